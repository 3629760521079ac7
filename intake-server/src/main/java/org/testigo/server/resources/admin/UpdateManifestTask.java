package org.testigo.server.resources.admin;

import io.dropwizard.servlets.tasks.PostBodyTask;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.server.log.ManifestUpdater;

/**
 * Admin port only: {@code POST /tasks/update-manifest} with the whole armored manifest chain
 * as the request body (e.g. {@code curl --fail -H 'Content-Type: text/plain' --data-binary
 * @new-chain.txt http://127.0.0.1:8081/tasks/update-manifest}). The chain is taken from the
 * body, never from a path the caller names, so the task reads no file chosen over HTTP.
 *
 * <p>The Content-Type matters: Dropwizard's task servlet reads the request's parameters before
 * its body, so a body sent as {@code application/x-www-form-urlencoded} (curl's default for
 * {@code --data-binary}) is consumed as form fields and arrives empty. Such a request is
 * refused with a message that says which header to add, and changes nothing.
 *
 * <p>Accepted only if it extends the current chain ({@link ManifestUpdater}); then the server
 * seals new reports to the new recipients and publishes the new chain at
 * {@code GET /api/v1/manifest}. A refused chain answers 500 with the reason and changes
 * nothing.
 */
public final class UpdateManifestTask extends PostBodyTask {
  private final ManifestUpdater updater;

  public UpdateManifestTask(ManifestUpdater updater) {
    super("update-manifest");
    this.updater = updater;
  }

  @Override
  public void execute(Map<String, List<String>> parameters, String body, PrintWriter output) throws Exception {
    if ((body == null || body.isBlank()) && !parameters.isEmpty()) {
      throw new ManifestUpdater.RefusedException("the chain arrived as form fields, not as the request body:"
          + " send it with the header 'Content-Type: text/plain' (curl -H 'Content-Type: text/plain'"
          + " --data-binary @chain.txt ...); nothing was changed");
    }
    KeyManifest latest = updater.update(body == null ? "" : body);
    output.println("manifest " + latest.sequence() + " in force: " + latest.reviewers().size()
        + " reviewer entr" + (latest.reviewers().size() == 1 ? "y" : "ies") + ", issued " + latest.issuedAt());
  }
}
