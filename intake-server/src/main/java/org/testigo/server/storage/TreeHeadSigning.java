package org.testigo.server.storage;

import org.testigo.crypto.merkle.SignedTreeHead;

/**
 * What signs a tree head for {@link TransparencyLog#signTreeHead}: the server's log key
 * ({@code log.LogSigningKey}), which storage never holds itself.
 */
@FunctionalInterface
public interface TreeHeadSigning {
  SignedTreeHead sign(long treeSize, byte[] rootHash, long timestampMillis);
}
