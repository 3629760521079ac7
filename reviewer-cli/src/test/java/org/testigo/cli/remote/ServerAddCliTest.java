package org.testigo.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;

/**
 * {@code server add} under a name already registered (found by an outside attack: the old
 * cursors made every later sync skip the new server's reports, silently).
 */
class ServerAddCliTest {
  static final String ROOT_A = "a".repeat(64);
  static final String ROOT_B = "b".repeat(64);
  @TempDir Path home;

  CliResult add(String url, String root) {
    return CliResult.run("server", "add", url, "--root", root, "--home", home.toString());
  }

  @Test
  void anotherRootUnderTheSameName_onceSomethingWasSynced_isRefused_andNothingChanges() throws Exception {
    assertThat(add("http://127.0.0.1:9001", ROOT_A).code()).isZero();
    LocalCache.open(home, "default").saveManifest("a manifest verified under ROOT_A");
    byte[] registry = Files.readAllBytes(home.resolve("servers.json"));
    CliResult other = add("http://127.0.0.1:9002", ROOT_B);
    assertThat(other.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(other.err()).contains("already registered with another root fingerprint").contains("--name");
    assertThat(Files.readAllBytes(home.resolve("servers.json"))).isEqualTo(registry);
  }

  @Test
  void aNewAddressOfTheSameRoot_keepsTheCache_andRewindsTheFeedsButNotTheManifestSequence() throws Exception {
    assertThat(add("http://127.0.0.1:9001", ROOT_A).code()).isZero();
    LocalCache cache = LocalCache.open(home, "default");
    cache.setCursor("submissions", 12);
    cache.setCursor("events", 7);
    cache.setCursor(LocalCache.MANIFEST_SEQUENCE, 3);
    Files.writeString(cache.directory().resolve("submissions/kept.json"), "{}");

    CliResult same = add("http://127.0.0.1:9001", ROOT_A);
    assertThat(same.code()).isZero();
    assertThat(cache.cursor("submissions")).isEqualTo(12);

    CliResult moved = add("http://127.0.0.1:9002", ROOT_A);
    assertThat(moved.code()).as(moved.err()).isZero();
    assertThat(moved.out()).contains("moved from http://127.0.0.1:9001").contains("reads every feed from the start");
    assertThat(cache.cursor("submissions")).isZero();
    assertThat(cache.cursor("events")).isZero();
    assertThat(cache.cursor(LocalCache.MANIFEST_SEQUENCE)).isEqualTo(3);
    assertThat(cache.directory().resolve("submissions/kept.json")).exists();
    assertThat(Files.readString(home.resolve("servers.json"))).contains("127.0.0.1:9002");
  }

  /**
   * A mistyped pin under which nothing was ever synced (the first sync refused the manifest and
   * stored nothing) is replaced by adding the server again, under -s as other commands take it
   * (user pass: the tool said to add it again, then refused).
   */
  @Test
  void anotherRootUnderTheSameName_whenNothingWasEverSynced_replacesTheMistypedPin() throws Exception {
    assertThat(CliResult.run("server", "add", "http://127.0.0.1:9001", "--root", ROOT_A, "-s", "ngo", "--home",
        home.toString()).code()).isZero();
    LocalCache.open(home, "ngo"); // the refused first sync made the empty cache directories
    CliResult again = CliResult.run("server", "add", "http://127.0.0.1:9001", "--root", ROOT_B, "--server", "ngo",
        "--home", home.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("nothing was ever synced; the new pin replaces it");
    assertThat(Files.readString(home.resolve("servers.json"))).contains(ROOT_B).doesNotContain(ROOT_A);
  }
}
