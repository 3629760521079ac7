package org.testigo.crypto.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.internal.XWingHpke;
import org.testigo.crypto.key.RecipientPrivateKey;
import org.testigo.crypto.key.RecipientPublicKey;

/**
 * The worked vector of {@code docs/spec/envelope.md} ("Worked vector"), recomputed from its
 * fixed inputs the way the spec describes it (SHAKE256 seed expansion, ML-KEM-768 and X25519
 * from the expanded key, the X-Wing combiner, the RFC 9180 key schedule, the envelope key
 * schedule, header and STREAM chunk), checked against the library (key from seed, HPKE
 * sealing with a fixed eseed, deterministic envelope sealing, opening) and against the
 * committed {@code docs/spec/vectors/xwing-eseed.json}. Every value the spec prints must be
 * the value computed here, so a wrong number in the spec fails this test.
 *
 * <p>To rewrite the vector file after a deliberate change of its inputs (never for a change of
 * the format): {@code -Dtestigo.spec.writeVectors=true}.
 */
class SpecVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Path SPEC_DIR = locateSpecDir();
  private static final Path VECTOR_FILE = SPEC_DIR.resolve("vectors/xwing-eseed.json");
  private static final Path ENVELOPE_SPEC = SPEC_DIR.resolve("envelope.md");
  private static final byte[] XWING_LABEL = {0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c};
  private static final String CONTEXT = "report";
  private static final byte[] PLAINTEXT =
      "Testigo spec vector\n".getBytes(StandardCharsets.US_ASCII);

  private static Path locateSpecDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("docs/spec");
      if (Files.isDirectory(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("docs/spec not found above " + Path.of("").toAbsolutePath());
  }

  @Test
  void vectorFile_isWhatTheSpecComputes() throws Exception {
    ObjectNode computed = compute();
    if (Boolean.getBoolean("testigo.spec.writeVectors")) {
      Files.writeString(VECTOR_FILE, new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(computed) + "\n");
    }
    JsonNode committed = new ObjectMapper().readTree(VECTOR_FILE.toFile());
    assertThat(committed).isEqualTo(computed);
  }

  @Test
  void everyValueTheEnvelopeSpecPrints_isTheComputedOne() throws Exception {
    String spec = Files.readString(ENVELOPE_SPEC, StandardCharsets.UTF_8);
    int start = spec.indexOf("## Worked vector");
    assertThat(start).as("envelope.md has a 'Worked vector' section").isNotNegative();
    String section = spec.substring(start);
    ObjectNode computed = compute();
    int checked = 0;
    for (Iterator<Map.Entry<String, JsonNode>> groups = computed.fields(); groups.hasNext(); ) {
      Map.Entry<String, JsonNode> group = groups.next();
      if (!group.getValue().isObject()) {
        continue;
      }
      for (Iterator<Map.Entry<String, JsonNode>> it = group.getValue().fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String v = e.getValue().asText();
        if (e.getValue().isTextual() && v.matches("[0-9a-f]{2,192}")) {
          assertThat(section.lines()).as("envelope.md prints %s.%s = %s", group.getKey(),
              e.getKey(), v).contains(e.getKey() + " = " + v);
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(30);
  }

  @Test
  void libraryAgreesWithTheSpec() throws Exception {
    ObjectNode v = compute();
    byte[] seed = hex(v, "inputs", "seed");
    byte[] eseed = hex(v, "inputs", "eseed");
    byte[] pk = hex(v, "xwing", "pk");
    byte[] fp = hex(v, "xwing", "fingerprint");
    byte[] info = hex(v, "hpke", "info");

    // Key pair from seed.
    assertThat(XWingHpke.publicKeyFromSeed(seed)).isEqualTo(pk);
    RecipientPrivateKey key = RecipientPrivateKey.fromSeed(seed);
    assertThat(key.publicKey().toBytes()).isEqualTo(pk);
    assertThat(key.publicKey().fingerprint().toBytes()).isEqualTo(fp);

    // HPKE SealBase with the fixed eseed: enc and wrapped file key.
    XWingHpke.Sealed sealed = XWingHpke.sealDeterministic(pk, info, fp,
        hex(v, "inputs", "file_key"), eseed);
    assertThat(HEX.formatHex(sealed.enc())).isEqualTo(v.get("xwing").get("enc").asText());
    assertThat(HEX.formatHex(sealed.ciphertext()))
        .isEqualTo(v.get("hpke").get("wrapped_file_key").asText());
    assertThat(key.openHpke(sealed.enc(), info, fp, sealed.ciphertext()))
        .isEqualTo(hex(v, "inputs", "file_key"));

    // Deterministic envelope sealing reproduces the envelope byte for byte; it opens.
    byte[] envelope = hex(v, "envelope", "envelope");
    assertThat(HEX.formatHex(sealDeterministically(key.publicKey(), hex(v, "inputs", "file_key"),
        hex(v, "inputs", "payload_salt"), eseed))).isEqualTo(HEX.formatHex(envelope));
    assertThat(Envelope.open(envelope, key, CONTEXT)).isEqualTo(PLAINTEXT);
  }

  /** {@code Envelope.sealingDeterministic} is package-private (known-answer use only). */
  private static byte[] sealDeterministically(RecipientPublicKey pk, byte[] fileKey, byte[] salt,
      byte[] eseed) throws Exception {
    Method m = Envelope.class.getDeclaredMethod("sealingDeterministic", OutputStream.class,
        List.class, String.class, byte[].class, byte[].class, List.class);
    m.setAccessible(true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream s = (OutputStream) m.invoke(null, out, List.of(pk), CONTEXT,
        fileKey.clone(), salt.clone(), List.of(eseed.clone()))) {
      s.write(PLAINTEXT);
    }
    return out.toByteArray();
  }

  /** Everything below follows docs/spec/envelope.md, independently of the library. */
  static ObjectNode compute() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("description", "Worked vector of docs/spec/envelope.md: X-Wing key pair from a "
        + "32-byte seed, encapsulation with a fixed 64-byte eseed, HPKE key schedule and "
        + "wrapped file key, and a deterministically sealed envelope v1 (context report, one "
        + "recipient). Inputs are SHA-256/SHA-512 of the ASCII labels given. Checked by "
        + "crypto/src/test/java/org/testigo/crypto/spec/SpecVectorsTest.java.");

    byte[] seed = sha("SHA-256", "testigo-spec-v1 recipient-seed");
    byte[] eseed = sha("SHA-512", "testigo-spec-v1 eseed");
    byte[] fileKey = sha("SHA-256", "testigo-spec-v1 file-key");
    byte[] salt = sha("SHA-256", "testigo-spec-v1 payload-salt");
    ObjectNode in = root.putObject("inputs");
    in.put("seed_label", "SHA-256(\"testigo-spec-v1 recipient-seed\")");
    in.put("seed", HEX.formatHex(seed));
    in.put("eseed_label", "SHA-512(\"testigo-spec-v1 eseed\")");
    in.put("eseed", HEX.formatHex(eseed));
    in.put("file_key_label", "SHA-256(\"testigo-spec-v1 file-key\")");
    in.put("file_key", HEX.formatHex(fileKey));
    in.put("payload_salt_label", "SHA-256(\"testigo-spec-v1 payload-salt\")");
    in.put("payload_salt", HEX.formatHex(salt));
    in.put("context", CONTEXT);
    in.put("plaintext", HEX.formatHex(PLAINTEXT));

    // X-Wing key pair from the seed: SHAKE256(seed, 96) = d || z || sk_X.
    byte[] expanded = new byte[96];
    SHAKEDigest shake = new SHAKEDigest(256);
    shake.update(seed, 0, seed.length);
    shake.doFinal(expanded, 0, 96);
    byte[] d = slice(expanded, 0, 32);
    byte[] z = slice(expanded, 32, 64);
    byte[] skX = slice(expanded, 64, 96);
    MLKEMPrivateKeyParameters skM =
        new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, concat(d, z));
    byte[] pkM = skM.getPublicKey();
    byte[] pkX = new byte[32];
    X25519.scalarMultBase(skX, 0, pkX, 0);
    byte[] pk = concat(pkM, pkX);
    byte[] fp = MessageDigest.getInstance("SHA-256").digest(
        concat("testigo-recipient-v1".getBytes(StandardCharsets.US_ASCII), new byte[1], pk));

    // EncapsulateDerand(pk, eseed): m = eseed[0:32], ek_X = eseed[32:64].
    byte[] m = slice(eseed, 0, 32);
    byte[] ekX = slice(eseed, 32, 64);
    SecretWithEncapsulation mlkem = MLKEMGenerator.internalGenerateEncapsulated(
        new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, pkM), m);
    byte[] ssM = mlkem.getSecret();
    byte[] ctM = mlkem.getEncapsulation();
    byte[] ctX = new byte[32];
    X25519.scalarMultBase(ekX, 0, ctX, 0);
    byte[] ssX = new byte[32];
    X25519.scalarMult(ekX, 0, pkX, 0, ssX, 0);
    byte[] ss = MessageDigest.getInstance("SHA3-256")
        .digest(concat(ssM, ssX, ctX, pkX, XWING_LABEL));
    byte[] enc = concat(ctM, ctX);
    // Decapsulation gives the same secret.
    byte[] ssXr = new byte[32];
    X25519.scalarMult(skX, 0, ctX, 0, ssXr, 0);
    byte[] ssMr = new MLKEMExtractor(skM).extractSecret(ctM);
    byte[] ssR = MessageDigest.getInstance("SHA3-256")
        .digest(concat(ssMr, ssXr, ctX, pkX, XWING_LABEL));
    if (!MessageDigest.isEqual(ss, ssR)) {
      throw new IllegalStateException("decapsulation disagrees with encapsulation");
    }

    ObjectNode xw = root.putObject("xwing");
    xw.put("expanded", HEX.formatHex(expanded));
    xw.put("d", HEX.formatHex(d));
    xw.put("z", HEX.formatHex(z));
    xw.put("sk_x", HEX.formatHex(skX));
    xw.put("pk_m", HEX.formatHex(pkM));
    xw.put("pk_m_sha256", sha256Hex(pkM));
    xw.put("pk_x", HEX.formatHex(pkX));
    xw.put("pk", HEX.formatHex(pk));
    xw.put("pk_sha256", sha256Hex(pk));
    xw.put("fingerprint", HEX.formatHex(fp));
    xw.put("m", HEX.formatHex(m));
    xw.put("ek_x", HEX.formatHex(ekX));
    xw.put("ct_m", HEX.formatHex(ctM));
    xw.put("ct_m_sha256", sha256Hex(ctM));
    xw.put("ct_x", HEX.formatHex(ctX));
    xw.put("enc", HEX.formatHex(enc));
    xw.put("enc_sha256", sha256Hex(enc));
    xw.put("ss_m", HEX.formatHex(ssM));
    xw.put("ss_x", HEX.formatHex(ssX));
    xw.put("ss", HEX.formatHex(ss));

    // HPKE (RFC 9180) mode_base key schedule with shared_secret = ss.
    byte[] suiteId = concat("HPKE".getBytes(StandardCharsets.US_ASCII),
        new byte[] {0x64, 0x7a, 0x00, 0x01, 0x00, 0x03});
    byte[] info = concat("testigo-envelope-v1".getBytes(StandardCharsets.US_ASCII), new byte[1],
        CONTEXT.getBytes(StandardCharsets.US_ASCII));
    byte[] pskIdHash = labeledExtract(suiteId, new byte[0], "psk_id_hash", new byte[0]);
    byte[] infoHash = labeledExtract(suiteId, new byte[0], "info_hash", info);
    byte[] ksContext = concat(new byte[] {0x00}, pskIdHash, infoHash);
    byte[] secret = labeledExtract(suiteId, ss, "secret", new byte[0]);
    byte[] key = labeledExpand(suiteId, secret, "key", ksContext, 32);
    byte[] baseNonce = labeledExpand(suiteId, secret, "base_nonce", ksContext, 12);
    Cipher chacha = Cipher.getInstance("ChaCha20-Poly1305");
    chacha.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"),
        new IvParameterSpec(baseNonce));
    chacha.updateAAD(fp);
    byte[] wrapped = chacha.doFinal(fileKey);
    ObjectNode hp = root.putObject("hpke");
    hp.put("suite_id", HEX.formatHex(suiteId));
    hp.put("info", HEX.formatHex(info));
    hp.put("aad", HEX.formatHex(fp));
    hp.put("psk_id_hash", HEX.formatHex(pskIdHash));
    hp.put("info_hash", HEX.formatHex(infoHash));
    hp.put("key_schedule_context", HEX.formatHex(ksContext));
    hp.put("secret", HEX.formatHex(secret));
    hp.put("key", HEX.formatHex(key));
    hp.put("base_nonce", HEX.formatHex(baseNonce));
    hp.put("wrapped_file_key", HEX.formatHex(wrapped));

    // Envelope v1: key schedule, header, MAC, one STREAM chunk.
    byte[] macKey = hkdf(fileKey, new byte[0],
        "testigo-envelope-v1 header-mac".getBytes(StandardCharsets.US_ASCII), 32);
    byte[] payloadKey = hkdf(fileKey, salt,
        concat("testigo-envelope-v1 payload".getBytes(StandardCharsets.US_ASCII), new byte[1],
            CONTEXT.getBytes(StandardCharsets.US_ASCII)), 32);
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.writeBytes(new byte[] {0x54, 0x53, 0x54, 0x47, 0x01, 0x01, 0x10, (byte) CONTEXT.length()});
    h.writeBytes(CONTEXT.getBytes(StandardCharsets.US_ASCII));
    h.writeBytes(salt);
    h.write(1);
    h.write(0x01);
    h.writeBytes(fp);
    h.writeBytes(enc);
    h.writeBytes(wrapped);
    byte[] macInput = h.toByteArray();
    byte[] mac = hmac(macKey, macInput);
    int padded = 22; // padme(20 + 1) = 22
    byte[] q = new byte[padded];
    System.arraycopy(PLAINTEXT, 0, q, 0, PLAINTEXT.length);
    q[PLAINTEXT.length] = (byte) 0x80;
    byte[] nonce0 = new byte[12];
    nonce0[11] = 0x01; // counter 0, final chunk
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(payloadKey, "AES"),
        new GCMParameterSpec(128, nonce0));
    byte[] chunk0 = gcm.doFinal(q);
    byte[] envelope = concat(macInput, mac, chunk0);
    ObjectNode ev = root.putObject("envelope");
    ev.put("mac_key", HEX.formatHex(macKey));
    ev.put("payload_key", HEX.formatHex(payloadKey));
    ev.put("header_length", macInput.length + mac.length);
    ev.put("header_mac", HEX.formatHex(mac));
    ev.put("padded_length", padded);
    ev.put("padded_plaintext", HEX.formatHex(q));
    ev.put("chunk0_nonce", HEX.formatHex(nonce0));
    ev.put("chunk0", HEX.formatHex(chunk0));
    ev.put("envelope_length", envelope.length);
    ev.put("envelope", HEX.formatHex(envelope));
    ev.put("envelope_sha256", sha256Hex(envelope));
    return root;
  }

  private static byte[] labeledExtract(byte[] suiteId, byte[] salt, String label, byte[] ikm)
      throws GeneralSecurityException {
    return hmac(salt.length == 0 ? new byte[32] : salt,
        concat("HPKE-v1".getBytes(StandardCharsets.US_ASCII), suiteId,
            label.getBytes(StandardCharsets.US_ASCII), ikm));
  }

  private static byte[] labeledExpand(byte[] suiteId, byte[] prk, String label, byte[] info,
      int length) throws GeneralSecurityException {
    return expand(prk, concat(new byte[] {(byte) (length >>> 8), (byte) length},
        "HPKE-v1".getBytes(StandardCharsets.US_ASCII), suiteId,
        label.getBytes(StandardCharsets.US_ASCII), info), length);
  }

  private static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info, int length)
      throws GeneralSecurityException {
    return expand(hmac(salt.length == 0 ? new byte[32] : salt, ikm), info, length);
  }

  private static byte[] expand(byte[] prk, byte[] info, int length)
      throws GeneralSecurityException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] t = new byte[0];
    for (int i = 1; out.size() < length; i++) {
      t = hmac(prk, concat(t, info, new byte[] {(byte) i}));
      out.writeBytes(t);
    }
    return slice(out.toByteArray(), 0, length);
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static byte[] sha(String algorithm, String label) throws GeneralSecurityException {
    return MessageDigest.getInstance(algorithm).digest(label.getBytes(StandardCharsets.US_ASCII));
  }

  private static String sha256Hex(byte[] b) throws GeneralSecurityException {
    return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static byte[] hex(JsonNode v, String group, String field) {
    return HEX.parseHex(v.get(group).get(field).asText());
  }

  private static byte[] slice(byte[] b, int from, int to) {
    return java.util.Arrays.copyOfRange(b, from, to);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
