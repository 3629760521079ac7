package org.testigo.crypto.envelope;

import java.util.List;
import org.testigo.crypto.Fingerprint;

/**
 * What {@link Envelope#inspect} learns about an envelope without any key: its format
 * version, context, the fingerprints of its recipients in stanza order, the header length
 * and the total length in bytes.
 *
 * <p>It says nothing about whether the envelope opens: only a recipient can check the MAC
 * and the chunk tags.
 */
public record EnvelopeInfo(int version, String context, List<Fingerprint> recipients,
    long headerLength, long totalLength) {
  public EnvelopeInfo {
    recipients = List.copyOf(recipients);
  }
}
