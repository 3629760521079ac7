package org.testigo.server.log;

import java.util.Optional;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.server.storage.EnvelopeStore;
import org.testigo.server.storage.TransparencyLog;

/**
 * Serves the header of the envelope behind a submission leaf (reports and follow-ups), for
 * auditors who check recipients without any key. A header holds the context, a salt, one
 * stanza per recipient (fingerprint, HPKE encapsulation, wrapped file key) and a MAC: no
 * content, and without the payload (never served here) the wrapped file key protects
 * nothing. Reply headers are never served: their recipient is a source's reply key, which
 * would link replies to a mailbox.
 */
public final class EnvelopeHeaders {
  private final TransparencyLog log;
  private final EnvelopeStore envelopes;

  public EnvelopeHeaders(TransparencyLog log, EnvelopeStore envelopes) {
    this.log = log;
    this.envelopes = envelopes;
  }

  /** The header bytes of the envelope logged as submission leaf {@code index}, if any. */
  public Optional<byte[]> headerOf(long index) {
    return log.submissionEnvelope(index).flatMap(envelopes::find).map(envelopes::originalHeader);
  }
}
