package org.testigo.cli.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.identity.ReviewerPublicBundle;

/** {@code keys init/public/tor} and {@code tor client-file}: the reviewer's Tor client-auth key. */
class TorClientAuthCliTest {
  static final String ONION = "aoqqpp7tzyil4hlq3umoos6atft6jvrqtosq2xy53sdgiesvgg4bqead";
  @TempDir Path dir;
  Path keystore;
  Path pass;
  String torKey;

  @BeforeEach
  void createIdentity() throws Exception {
    keystore = dir.resolve("maria.tkey");
    pass = dir.resolve("pass.txt");
    Files.writeString(pass, "una frase larga de cinco palabras\n");
    CliResult r = CliResult.run("keys", "init", "--alias", "maria", "-k", keystore.toString(),
        "--passphrase-file", pass.toString(), "--argon2-memory-mib", "8", "--argon2-iterations", "1");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("Tor client-auth key \\(for the reviewer onion, kept in this keystore\\): [A-Z2-7]{52}");
    torKey = r.out().replaceAll("(?s).*kept in this keystore\\): ([A-Z2-7]{52}).*", "$1");
  }

  CliResult reviewer(String... args) {
    String[] all = new String[args.length + 4];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "-k";
    all[args.length + 1] = keystore.toString();
    all[args.length + 2] = "--passphrase-file";
    all[args.length + 3] = pass.toString();
    return CliResult.run(all);
  }

  @Test
  void keysTor_showsTheSameKeyEveryTime_andKeysPublicSignsItIntoBundleV2() throws Exception {
    CliResult tor = reviewer("keys", "tor");
    assertThat(tor.code()).as(tor.err()).isZero();
    assertThat(tor.out()).contains("Tor client-auth public key: " + torKey);
    CliResult pub = reviewer("keys", "public");
    assertThat(pub.code()).as(pub.err()).isZero();
    ReviewerPublicBundle b = ReviewerPublicBundle.parse(pub.out());
    assertThat(b.tor()).isPresent();
    assertThat(b.torKey().base32()).isEqualTo(torKey);
  }

  @Test
  void clientFile_writesTorsClientOnionAuthDirLineWithMode0600_andNeverOverwrites() throws Exception {
    Path authDir = dir.resolve("onion-auth");
    CliResult r = reviewer("tor", "client-file", "--onion", ONION + ".onion", "--dir", authDir.toString());
    assertThat(r.code()).as(r.err()).isZero();
    Path file = authDir.resolve(ONION.substring(0, 16) + ".auth_private");
    assertThat(Files.readString(file)).matches(ONION + ":descriptor:x25519:[A-Z2-7]{52}\n");
    assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE);
    assertThat(r.out()).doesNotContain(Files.readString(file).strip().substring(ONION.length() + 19));
    CliResult again = reviewer("tor", "client-file", "--onion", ONION, "--dir", authDir.toString());
    assertThat(again.code()).isEqualTo(ExitCodes.REFUSED);
  }

  @Test
  void clientFile_forTorBrowser_printsThePrivateKeyOfTheSameFile() throws Exception {
    Path authDir = dir.resolve("onion-auth");
    assertThat(reviewer("tor", "client-file", "--onion", ONION, "--dir", authDir.toString()).code()).isZero();
    String line = Files.readString(authDir.resolve(ONION.substring(0, 16) + ".auth_private")).strip();
    CliResult r = reviewer("tor", "client-file", "--onion", ONION, "--tor-browser");
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("Private key for Tor Browser's prompt: " + line.substring(line.lastIndexOf(':') + 1));
  }

  @Test
  void clientFile_refusesABadOnionAndNeedsATarget() {
    assertThat(reviewer("tor", "client-file", "--onion", "example.com", "--tor-browser").code())
        .isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(reviewer("tor", "client-file", "--onion", ONION).code()).isEqualTo(ExitCodes.USAGE);
  }
}
