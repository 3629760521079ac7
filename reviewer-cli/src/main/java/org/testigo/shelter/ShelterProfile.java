package org.testigo.shelter;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.testigo.api.client.Socks5;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.identity.ReviewerPublicBundle;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ManifestChain;
import org.testigo.crypto.manifest.SignedManifest;
import org.testigo.crypto.receipt.ReceiptParams;

/**
 * A shelter profile directory (mode 0700): the server address, the pinned root fingerprint,
 * optionally a SOCKS proxy, the receipt parameters of the deployment, the last verified
 * manifest chain, the shelter's keystore and public bundle, and the outbox. Every file is
 * replaced atomically. Nothing in it is plaintext of a report.
 */
final class ShelterProfile {
  static final String SETTINGS = "shelter.properties";
  static final String CHAIN = "manifest-chain.txt";
  static final String KEYSTORE = "shelter.tkey";
  static final String PUBLIC = "shelter.pub";
  static final String OUTBOX = "outbox";

  final Path home;
  final URI server;
  final Fingerprint root;
  final Optional<Socks5.Address> socks;
  final ReceiptParams receiptParams;

  private ShelterProfile(Path home, URI server, Fingerprint root, Optional<Socks5.Address> socks,
      ReceiptParams receiptParams) {
    this.home = home;
    this.server = server;
    this.root = root;
    this.socks = socks;
    this.receiptParams = receiptParams;
  }

  static ShelterProfile create(Path home, URI server, Fingerprint root,
      Optional<Socks5.Address> socks, ReceiptParams params) throws IOException {
    ShelterProfile p = new ShelterProfile(home, server, root, socks, params);
    Properties props = new Properties();
    props.setProperty("version", "1");
    props.setProperty("server", server.toString());
    props.setProperty("root", root.hex());
    socks.ifPresent(s -> props.setProperty("socks", s.toString()));
    props.setProperty("receipt.memoryKiB", Integer.toString(params.memoryKiB()));
    props.setProperty("receipt.iterations", Integer.toString(params.iterations()));
    props.setProperty("receipt.parallelism", Integer.toString(params.parallelism()));
    StringWriter text = new StringWriter();
    props.store(text, "testigo-shelter profile v1");
    writeAtomically(home.resolve(SETTINGS), text.toString().getBytes(StandardCharsets.UTF_8));
    return p;
  }

  static ShelterProfile load(Path home) throws IOException {
    Path settings = home.resolve(SETTINGS);
    if (!Files.exists(settings)) {
      throw new CliException(ExitCodes.IO, "no shelter profile in " + home
          + " (create one with: testigo-shelter init --server URL --root FINGERPRINT)");
    }
    Properties props = new Properties();
    try (Reader r = Files.newBufferedReader(settings, StandardCharsets.UTF_8)) {
      props.load(r);
    }
    try {
      if (!"1".equals(props.getProperty("version"))) {
        throw new IllegalArgumentException("version");
      }
      URI server = serverUri(props.getProperty("server"));
      Fingerprint root = Fingerprint.fromHex(props.getProperty("root"));
      String s = props.getProperty("socks");
      Optional<Socks5.Address> socks = s == null ? Optional.empty()
          : Optional.of(Socks5.Address.parse(s));
      ReceiptParams params = new ReceiptParams(
          Integer.parseInt(props.getProperty("receipt.memoryKiB")),
          Integer.parseInt(props.getProperty("receipt.iterations")),
          Integer.parseInt(props.getProperty("receipt.parallelism")));
      return new ShelterProfile(home, server, root, socks, params);
    } catch (RuntimeException e) {
      throw new CliException(ExitCodes.BAD_INPUT, settings + " is damaged; run init again in"
          + " a new directory");
    }
  }

  /** An http or https URL without query or fragment; the path prefix is kept. */
  static URI serverUri(String text) {
    try {
      URI u = new URI(text.strip());
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null
          || u.getQuery() != null || u.getFragment() != null || u.getUserInfo() != null) {
        throw new IllegalArgumentException();
      }
      String path = u.getPath() == null ? "" : u.getPath().replaceAll("/+$", "");
      return new URI(u.getScheme(), null, u.getHost(), u.getPort(), path, null, null);
    } catch (URISyntaxException | IllegalArgumentException | NullPointerException e) {
      throw new CliException(ExitCodes.BAD_INPUT, "--server must be an http:// or https:// URL"
          + " (an onion address is fine), without user, query or fragment");
    }
  }

  URI endpoint(String path) {
    return URI.create(server.toString() + path);
  }

  /** The public per-deployment receipt salt: the 32 bytes of the pinned root fingerprint. */
  byte[] receiptSalt() {
    return root.toBytes();
  }

  Path keystore() {
    return home.resolve(KEYSTORE);
  }

  Path outbox() {
    return home.resolve(OUTBOX);
  }

  ReviewerPublicBundle shelterPublic() throws IOException {
    Path p = home.resolve(PUBLIC);
    try {
      return ReviewerPublicBundle.parse(Files.readString(p, StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.BAD_INPUT, p + " is damaged: " + e.getMessage());
    }
  }

  /** The stored chain, verified again from the pinned root; empty before the first refresh. */
  Optional<List<SignedManifest>> storedChain() throws IOException {
    Path p = home.resolve(CHAIN);
    if (!Files.exists(p)) {
      return Optional.empty();
    }
    try {
      List<SignedManifest> chain = SignedManifest.parseArmored(Files.readString(p,
          StandardCharsets.US_ASCII));
      ManifestChain.verify(chain, root);
      return Optional.of(chain);
    } catch (CryptoException | RuntimeException e) {
      throw new CliException(ExitCodes.CRYPTO, p + " no longer verifies from the pinned root"
          + " fingerprint; it was modified. Run init again in a new directory.");
    }
  }

  /** The latest manifest of the stored, verified chain; refuses when there is none. */
  KeyManifest verifiedManifest() throws IOException {
    List<SignedManifest> chain = storedChain().orElseThrow(() -> new CliException(
        ExitCodes.REFUSED, "no verified key manifest yet: run 'testigo-shelter manifest refresh'"
            + " while online (or init with --manifest FILE)"));
    try {
      return ManifestChain.verify(chain, root);
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.CRYPTO, "the stored manifest chain does not verify");
    }
  }

  void storeChain(List<SignedManifest> chain) throws IOException {
    writeAtomically(home.resolve(CHAIN), ManifestChain.toArmored(chain)
        .getBytes(StandardCharsets.US_ASCII));
  }

  static void createPrivateDirectory(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rwx------")));
    }
  }

  /** Writes via a 0600 temporary file in the same directory, fsync, atomic rename. */
  static void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = Files.createTempFile(dir, ".tmp-", ".part", PosixFilePermissions
        .asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp,
          java.nio.file.StandardOpenOption.WRITE)) {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("the file system cannot replace files atomically", e);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
