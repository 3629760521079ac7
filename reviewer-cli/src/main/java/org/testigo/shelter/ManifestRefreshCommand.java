package org.testigo.shelter;

import java.io.IOException;
import java.util.concurrent.Callable;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.manifest.KeyManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code manifest refresh}: fetch the key manifest chain, verify it, keep it if it extends. */
@Command(name = "refresh", mixinStandardHelpOptions = true,
    description = "Fetch the key manifest chain from the server, verify it from the pinned root"
        + " fingerprint and store it if it extends the stored chain.")
final class ManifestRefreshCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOption home;

  @Override
  public Integer call() throws IOException {
    ShelterProfile profile = ShelterProfile.load(home.path());
    KeyManifest latest = ManifestSync.refresh(profile, new ShelterHttp(profile.socks, 60_000));
    InitCommand.describe(spec.commandLine().getOut(), latest);
    return ExitCodes.OK;
  }

  /** {@code manifest}: the group. */
  @Command(name = "manifest", mixinStandardHelpOptions = true,
      description = "The organisation's key manifest.",
      subcommands = ManifestRefreshCommand.class)
  static final class Group implements Runnable {
    @Spec CommandSpec spec;

    @Override
    public void run() {
      spec.commandLine().usage(spec.commandLine().getOut());
    }
  }
}
