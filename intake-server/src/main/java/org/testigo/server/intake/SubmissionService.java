package org.testigo.server.intake;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.SecretBytes;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.KeyState;
import org.testigo.server.domain.LimitedInputStream;
import org.testigo.server.domain.MailboxId;
import org.testigo.server.domain.PayloadTooLargeException;
import org.testigo.server.storage.EnvelopeStore.MailboxLink;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.MailboxStore;

/**
 * Envelopes sealed elsewhere (browser, shelter laptop) and mailbox registration. An envelope
 * is checked structurally while it streams into the database ({@link Envelope#inspect}:
 * version 1, context {@code report}, recipients exactly the current manifest's reviewers)
 * and the transaction commits only if every check passed.
 */
public final class SubmissionService {
  private final KeyState keys;
  private final EnvelopeStore envelopes;
  private final MailboxStore mailboxes;
  private final ReceiptService receipts;
  private final ConcurrencyLimiter submissions;
  private final long maxEnvelopeBytes;
  private final Path spool;
  private final int retryAfterSeconds;

  /**
   * {@code spool} is the directory where a body waits (ciphertext only) until it has arrived
   * whole, before the request takes a submission slot ({@link Spool}).
   */
  public SubmissionService(KeyState keys, EnvelopeStore envelopes, MailboxStore mailboxes,
      ReceiptService receipts, ConcurrencyLimiter submissions, long maxEnvelopeBytes, Path spool,
      int retryAfterSeconds) {
    this.spool = spool;
    this.retryAfterSeconds = retryAfterSeconds;
    try {
      java.nio.file.Files.createDirectories(spool);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    this.keys = keys;
    this.envelopes = envelopes;
    this.mailboxes = mailboxes;
    this.receipts = receipts;
    this.submissions = submissions;
    this.maxEnvelopeBytes = maxEnvelopeBytes;
  }

  /**
   * Stores a sealed report; {@code lookupKey} (32 bytes) links it to a registered mailbox.
   * With a client-chosen {@code submissionId} a repeated request (the client did not see the
   * answer) returns the stored envelope with {@code alreadyStored} instead of a duplicate;
   * without one, an id is drawn once here, before the first attempt.
   */
  public EnvelopeStore.Stored submit(InputStream body, Long contentLength, Optional<byte[]> lookupKey,
      Optional<EnvelopeId> submissionId) throws IOException {
    if (contentLength != null && contentLength > maxEnvelopeBytes) {
      throw new PayloadTooLargeException();
    }
    Optional<MailboxLink> link = link(lookupKey);
    // The body arrives whole before a slot is taken: a slow sender holds only its own bytes.
    try (Spool held = Spool.in(spool, retryAfterSeconds)) {
      new LimitedInputStream(body, maxEnvelopeBytes).transferTo(held);
      return store(held::read, link, submissionId);
    }
  }

  /**
   * Stores an envelope that is already whole on this server (an upload's file): no spool, a
   * submission slot for the transaction only.
   */
  public EnvelopeStore.Stored submitArrived(InputStream whole, Optional<byte[]> lookupKey) throws IOException {
    return store(() -> new LimitedInputStream(whole, maxEnvelopeBytes), link(lookupKey), Optional.empty());
  }

  private Optional<MailboxLink> link(Optional<byte[]> lookupKey) {
    if (lookupKey.isEmpty()) {
      return Optional.empty();
    }
    MailboxId id = mailboxId(lookupKey.get());
    if (mailboxes.replyKey(id).isEmpty()) {
      throw new InvalidInputException("error.not_found");
    }
    return Optional.of(MailboxLink.existing(id, MailboxStore.KIND_REPORT));
  }

  /** Where the envelope's bytes come from, once it has arrived. */
  @FunctionalInterface
  private interface Arrived {
    InputStream open() throws IOException;
  }

  private EnvelopeStore.Stored store(Arrived arrived, Optional<MailboxLink> link,
      Optional<EnvelopeId> submissionId) throws IOException {
    try (ConcurrencyLimiter.Slot slot = submissions.acquire()) {
      Set<Fingerprint> expected = keys.recipientFingerprints();
      EnvelopeId id = submissionId.orElseGet(envelopes::randomId);
      return envelopes.store(id, Envelope.CONTEXT_REPORT, link, out -> {
        EnvelopeInfo info;
        try (InputStream in = arrived.open()) {
          info = Envelope.inspect(in, out);
        } catch (CryptoException e) {
          throw new InvalidInputException("error.envelope");
        }
        List<Fingerprint> named = info.recipients();
        if (info.version() != Envelope.VERSION || !Envelope.CONTEXT_REPORT.equals(info.context())
            || named.size() != expected.size() || !new HashSet<>(named).equals(expected)) {
          throw new InvalidInputException("error.envelope");
        }
      });
    }
  }

  /** Registers a mailbox: stores only HMAC(deployment secret, lookup key) and the reply key. */
  public MailboxStore.Registration register(byte[] lookupKey, byte[] replyPublicKey) {
    RecipientPublicKey key;
    try {
      key = RecipientPublicKey.fromBytes(replyPublicKey);
    } catch (RuntimeException e) {
      throw new InvalidInputException("error.reply_key");
    }
    return mailboxes.register(mailboxId(lookupKey), key);
  }

  private MailboxId mailboxId(byte[] lookupKey) {
    if (lookupKey.length != 32) {
      throw new InvalidInputException("error.lookup_key");
    }
    SecretBytes secret = new SecretBytes(lookupKey);
    try {
      return receipts.mailboxId(secret);
    } finally {
      secret.destroy();
      java.util.Arrays.fill(lookupKey, (byte) 0);
    }
  }
}
