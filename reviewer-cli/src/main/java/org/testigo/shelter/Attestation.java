package org.testigo.shelter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.testigo.crypto.sign.SignatureDomain;
import org.testigo.crypto.sign.SigningPrivateKey;
import org.testigo.crypto.sign.SigningPublicKey;

/**
 * The optional {@code shelter-attestation} part, the last part of a report a shelter filed:
 * the shelter's Ed25519 public key and its signature, under
 * {@link SignatureDomain#SHELTER_ATTESTATION}, over {@code SHA-256(questionnaire JSON) ||
 * SHA-256(file 1) || ... || SHA-256(file n)} (the part bodies, in payload order). It is
 * inside the envelope, so only reviewers see which shelter filed. It says "this shelter
 * key vouches for these exact answers and files"; which shelter a key belongs to is learned
 * out of band (its fingerprint, printed by {@code init}).
 */
final class Attestation {
  static final String PART = "shelter-attestation";
  private static final ObjectMapper JSON = new ObjectMapper();

  private Attestation() {}

  static byte[] message(byte[] questionnaireHash, List<byte[]> fileHashes) {
    byte[] m = new byte[32 * (1 + fileHashes.size())];
    System.arraycopy(questionnaireHash, 0, m, 0, 32);
    for (int i = 0; i < fileHashes.size(); i++) {
      System.arraycopy(fileHashes.get(i), 0, m, 32 * (i + 1), 32);
    }
    return m;
  }

  /** The part body: attestation JSON v1. */
  static byte[] create(SigningPrivateKey key, byte[] questionnaireHash, List<byte[]> fileHashes) {
    byte[] signature = key.sign(SignatureDomain.SHELTER_ATTESTATION,
        message(questionnaireHash, fileHashes));
    ObjectNode a = JSON.createObjectNode();
    a.put("version", 1);
    a.put("shelterKey", Base64.getEncoder().encodeToString(key.publicKey().toBytes()));
    a.put("shelterFingerprint", key.publicKey().fingerprint().hex());
    a.put("questionnaireSha256", HexFormat.of().formatHex(questionnaireHash));
    ArrayNode files = a.putArray("fileSha256");
    fileHashes.forEach(h -> files.add(HexFormat.of().formatHex(h)));
    a.put("signature", Base64.getEncoder().encodeToString(signature));
    try {
      return JSON.writeValueAsBytes(a);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Checks an attestation body against the hashes a reader computed itself; returns the
   * shelter key if the signature verifies over exactly those hashes, else null.
   */
  static SigningPublicKey verify(byte[] body, byte[] questionnaireHash, List<byte[]> fileHashes) {
    try {
      JsonNode a = JSON.readTree(body);
      if (a.path("version").asInt() != 1) {
        return null;
      }
      SigningPublicKey key = SigningPublicKey.fromBytes(Base64.getDecoder().decode(
          a.path("shelterKey").asText()));
      byte[] sig = Base64.getDecoder().decode(a.path("signature").asText());
      List<byte[]> listed = new ArrayList<>();
      a.path("fileSha256").forEach(h -> listed.add(HexFormat.of().parseHex(h.asText())));
      if (!Arrays.equals(HexFormat.of().parseHex(a.path("questionnaireSha256").asText()),
          questionnaireHash) || listed.size() != fileHashes.size()) {
        return null;
      }
      for (int i = 0; i < listed.size(); i++) {
        if (!Arrays.equals(listed.get(i), fileHashes.get(i))) {
          return null;
        }
      }
      return key.verify(SignatureDomain.SHELTER_ATTESTATION, message(questionnaireHash,
          fileHashes), sig) ? key : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
