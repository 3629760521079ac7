package org.testigo.server.tor;

import org.testigo.crypto.Base32;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientAuthKeyToolTest {
  @TempDir Path tmp;

  @Test
  void run_writesAPrivateClientAuthFileAndPrintsOnlyTheMatchingPublicLine() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path file = tmp.resolve("testigo.auth_private");
    String address = OnionAddressTest.ADDRESS_OF_SEED_FF + ".onion";
    int code = ClientAuthKeyTool.run(new String[] {address, file.toString()},
        new PrintStream(out), new PrintStream(err));
    assertThat(code).isEqualTo(0);
    String line = Files.readString(file).strip();
    assertThat(line).matches(OnionAddressTest.ADDRESS_OF_SEED_FF + ":descriptor:x25519:[A-Z2-7]{52}");
    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    byte[] priv = Base32.decode(line.substring(line.lastIndexOf(':') + 1));
    String printed = out.toString(StandardCharsets.US_ASCII).strip();
    assertThat(printed).isEqualTo(ClientAuthKeyPair.fromPrivateKey(priv).publicKey().authFileLine());
    assertThat(printed).doesNotContain(line.substring(line.lastIndexOf(':') + 1));

    int again = ClientAuthKeyTool.run(new String[] {address, file.toString()},
        new PrintStream(out), new PrintStream(err));
    assertThat(again).isEqualTo(1);
    assertThat(Files.readString(file).strip()).isEqualTo(line);
  }
}
