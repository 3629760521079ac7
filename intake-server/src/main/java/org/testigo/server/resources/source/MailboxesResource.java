package org.testigo.server.resources.source;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.testigo.api.ApiPaths;
import org.testigo.api.wire.ErrorMessage;
import org.testigo.api.wire.MailboxStatus;
import org.testigo.server.intake.SubmissionService;
import org.testigo.server.storage.MailboxStore;

/**
 * {@code POST /api/v1/mailboxes}: a client that derived its receipt keys itself registers
 * its mailbox. The server never sees the receipt; it stores HMAC(deployment secret, lookup
 * key) and the reply public key.
 */
@Path(ApiPaths.MAILBOXES)
public final class MailboxesResource {
  private final SubmissionService submissions;

  /** Request body: base64url of the 32-byte lookup key and of the 1216-byte X-Wing reply key. */
  public record Registration(
      @JsonProperty("lookupKey") @NotNull @Size(min = 43, max = 44) String lookupKey,
      @JsonProperty("replyPublicKey") @NotNull @Size(min = 1000, max = 1700) String replyPublicKey) {}

  public MailboxesResource(SubmissionService submissions) {
    this.submissions = submissions;
  }

  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public Response register(@NotNull @Valid Registration body) {
    MailboxStore.Registration r = submissions.register(HeaderValues.lookupKey(body.lookupKey()),
        HeaderValues.replyKey(body.replyPublicKey()));
    return switch (r) {
      case CREATED -> Response.status(201).entity(new MailboxStatus(MailboxStatus.CREATED)).build();
      case ALREADY_PRESENT -> Response.ok(new MailboxStatus(MailboxStatus.EXISTS)).build();
      case CONFLICT -> Response.status(409).entity(new ErrorMessage(409,
          "This mailbox is registered with another reply key.")).build();
    };
  }
}
