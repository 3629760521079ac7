package org.testigo.server.resources.source;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.reset;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.identity.KeystoreParams;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.receipt.ReceiptParams;
import org.testigo.server.demo.DemoOrganisation;
import org.testigo.server.domain.KeyState;
import org.testigo.server.domain.StoredEnvelope;
import org.testigo.server.intake.ConcurrencyLimiter;
import org.testigo.server.intake.ReceiptService;
import org.testigo.server.resources.errors.ErrorRegistry;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.MailboxStore;

/**
 * What the resource tests share: a real organisation (manifest, root fingerprint, deployment
 * secret) made in a temporary directory, real services, and Mockito mocks of the two stores.
 * The envelope store mock behaves as the real one does for its callers: it runs the writer
 * (where envelopes are checked and forms sealed) and counts a commit only if the writer
 * finished without an exception, so {@link #committed} is what would have been stored.
 */
final class ResourceFixture {
  static final int RETRY_AFTER = 7;
  static final SecureRandom RANDOM = new SecureRandom();

  final Path dir;
  final KeyState keys;
  final EnvelopeStore envelopes = mock(EnvelopeStore.class);
  final MailboxStore mailboxes = mock(MailboxStore.class);
  final ConcurrencyLimiter submissionSlots = new ConcurrencyLimiter(2, RETRY_AFTER);
  final ConcurrencyLimiter argon2Slots = new ConcurrencyLimiter(1, RETRY_AFTER);
  final ReceiptService receipts;
  /** The envelopes the store would have committed (their bytes), in order. */
  final List<byte[]> committed = Collections.synchronizedList(new ArrayList<>());

  ResourceFixture() {
    try {
      dir = Files.createTempDirectory("testigo-resource-");
      DemoOrganisation.createIfAbsent(dir, dir.resolve("manifest-chain.txt"), dir.resolve("root-fingerprint"),
          dir.resolve("deployment-secret"), dir.resolve("log-key"), KeystoreParams.TEST, RANDOM, Clock.systemUTC());
      keys = KeyState.load(dir.resolve("manifest-chain.txt"), dir.resolve("root-fingerprint"),
          dir.resolve("deployment-secret"), Clock.systemUTC());
    } catch (IOException | KeyState.KeyLoadException e) {
      throw new IllegalStateException(e);
    }
    receipts = new ReceiptService(new ReceiptParams(256, 1, 1), keys, argon2Slots);
    resetStores();
  }

  List<RecipientPublicKey> recipients() {
    return keys.recipients();
  }

  /** An envelope of {@code size} payload bytes that start with {@code marker}. */
  static byte[] sealed(String marker, String context, List<RecipientPublicKey> to, int size) throws IOException {
    byte[] payload = new byte[size];
    byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(m, 0, payload, 0, m.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Envelope.seal(new ByteArrayInputStream(payload), out, to, context, RANDOM);
    return out.toByteArray();
  }

  /** Resets the mocks and the record of commits; stubs the store as described above. */
  void resetStores() {
    reset(envelopes, mailboxes);
    committed.clear();
    try {
      when(envelopes.randomId()).thenAnswer(inv -> EnvelopeId.random(RANDOM));
      when(envelopes.store(anyString(), any(), any())).thenAnswer(inv -> {
        byte[] bytes = runWriter(inv.getArgument(2));
        return new StoredEnvelope(EnvelopeId.random(RANDOM), LocalDate.now(), bytes.length, 1, 0);
      });
      when(envelopes.store(any(EnvelopeId.class), anyString(), any(), any())).thenAnswer(inv -> {
        byte[] bytes = runWriter(inv.getArgument(3));
        return new EnvelopeStore.Stored(new StoredEnvelope(inv.getArgument(0), LocalDate.now(), bytes.length, 1, 0),
            false);
      });
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] runWriter(EnvelopeStore.EnvelopeWriter writer) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writer.writeTo(out);
    byte[] bytes = out.toByteArray();
    committed.add(bytes);
    return bytes;
  }

  /** Adds the exception mappers the application registers (IntakeApplication.safety). */
  static io.dropwizard.testing.junit5.ResourceExtension.Builder withErrorMappers(
      io.dropwizard.testing.junit5.ResourceExtension.Builder b) {
    for (Object mapper : errorMappers()) {
      b.addProvider(mapper);
    }
    return b.setRegisterDefaultExceptionMappers(false);
  }

  private static Object[] errorMappers() {
    return new ErrorRegistry(RETRY_AFTER).mappers().toArray();
  }
}
