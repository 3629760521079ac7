package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link AttachmentNames}: a table of hostile names from a report and what each becomes. */
class AttachmentNamesTest {
  static final String EMOJI = "\ud83d\ude00"; // U+1F600, a surrogate pair, 4 bytes in UTF-8

  static Stream<Arguments> hostile() {
    return Stream.of(
        Arguments.of("foto.jpg", "foto.jpg"),
        Arguments.of("../../.ssh/authorized_keys", "authorized_keys"),
        Arguments.of("..\\..\\Windows\\system32\\evil.dll", "evil.dll"),
        Arguments.of("..", "attachment-7"),
        Arguments.of(".", "attachment-7"),
        Arguments.of("", "attachment-7"),
        Arguments.of(null, "attachment-7"),
        Arguments.of(".bashrc", "bashrc"),
        Arguments.of("...hidden", "hidden"),
        Arguments.of("a\u0000b.txt", "ab.txt"),
        Arguments.of("\u001b]0;owned\u0007x.txt", "]0;ownedx.txt"),
        Arguments.of("csi\u009b31mred.txt", "csi31mred.txt"),
        Arguments.of("invoice\u202egpj.exe", "invoicegpj.exe"),
        Arguments.of("\u2066isolate\u2069\u200f.pdf", "isolate.pdf"),
        Arguments.of("CON", "_CON"),
        Arguments.of("con.txt", "_con.txt"),
        Arguments.of("Nul.tar.gz", "_Nul.tar.gz"),
        Arguments.of("COM1", "_COM1"),
        Arguments.of("lpt9.doc", "_lpt9.doc"),
        Arguments.of("CONSOLE.txt", "CONSOLE.txt"),
        Arguments.of("a<b>c:d\"e|f?g*h.txt", "a_b_c_d_e_f_g_h.txt"),
        Arguments.of("trailing. . .", "trailing"),
        Arguments.of("  spaced.txt  ", "spaced.txt"),
        Arguments.of("lone\ud800surrogate.txt", "lonesurrogate.txt"),
        Arguments.of("e\u0301.txt", "\u00e9.txt"),
        Arguments.of("del\u007f.txt", "del.txt"));
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void sanitize_makesEveryHostileNameSafe(String given, String expected) {
    String safe = AttachmentNames.sanitize(given, 7);
    assertThat(safe).isEqualTo(expected);
    assertSafe(safe);
  }

  static void assertSafe(String s) {
    assertThat(s).isNotEmpty().doesNotContain("/").doesNotContain("\\").isNotIn(".", "..").doesNotStartWith(".");
    assertThat(s.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(AttachmentNames.MAX_BYTES);
    assertThat(s.codePointCount(0, s.length())).isLessThanOrEqualTo(AttachmentNames.MAX_CODE_POINTS);
    s.codePoints().forEach(c -> assertThat(AttachmentNames.dropped(c)).as("U+%04X", c).isFalse());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))).as("pair at %d", i).isTrue();
        i++;
      } else {
        assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d", i).isFalse();
      }
    }
  }

  @Test
  void sanitize_cutsA300ByteNameToTheByteCapAndKeepsTheExtension() {
    String name = "ñ".repeat(150) + ".jpeg"; // 300 bytes of ñ
    String safe = AttachmentNames.sanitize(name, 1);
    assertSafe(safe);
    assertThat(safe).endsWith(".jpeg").startsWith("ñññ");
    assertThat(safe.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(200);
    assertThat(safe).isEqualTo("ñ".repeat(97) + ".jpeg");
  }

  @Test
  void sanitize_neverSplitsASurrogatePairAtTheByteOrCodePointBoundary() {
    for (int prefix = 0; prefix < 8; prefix++) {
      String name = "x".repeat(prefix) + EMOJI.repeat(100) + ".png";
      String safe = AttachmentNames.sanitize(name, 1);
      assertSafe(safe);
      assertThat(safe).endsWith(EMOJI + ".png");
    }
    String cps = EMOJI.repeat(200);
    String safe = AttachmentNames.sanitize(cps, 1);
    assertSafe(safe);
    assertThat(safe).isEqualTo(EMOJI.repeat(50));
  }

  @Test
  void sanitize_cutsByCodePointsEvenWhenTheBytesFit() {
    String safe = AttachmentNames.sanitize("a".repeat(150) + ".txt", 1);
    assertThat(safe).isEqualTo("a".repeat(116) + ".txt");
  }

  @Test
  void sanitize_dropsAnExtensionThatIsItselfTooLong() {
    String safe = AttachmentNames.sanitize("name." + "e".repeat(300), 1);
    assertSafe(safe);
    assertThat(safe).startsWith("name.eee");
    assertThat(safe.codePointCount(0, safe.length())).isEqualTo(AttachmentNames.MAX_CODE_POINTS);
  }

  @Test
  void next_dedupesCollisionsCaseInsensitivelyAndAfterSanitising() {
    AttachmentNames names = new AttachmentNames();
    assertThat(names.next("foto.jpg", 1)).isEqualTo("foto.jpg");
    assertThat(names.next("../foto.jpg", 2)).isEqualTo("foto-2.jpg");
    assertThat(names.next("FOTO.JPG", 3)).isEqualTo("FOTO-3.JPG");
    assertThat(names.next("foto\u202e.jpg", 4)).isEqualTo("foto-4.jpg");
    assertThat(names.next("..", 5)).isEqualTo("attachment-5");
    assertThat(names.next("attachment-5", 6)).isEqualTo("attachment-5-2");
    String longName = "ñ".repeat(150) + ".jpeg";
    String first = names.next(longName, 7);
    String second = names.next(longName, 8);
    assertThat(second).isNotEqualTo(first).endsWith("-2.jpeg");
    assertThat(second.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(255);
  }

  @Test
  void next_givesEachOf50000RepeatsOfOneNameItsOwnSuffixInOnePass() {
    AttachmentNames names = new AttachmentNames();
    assertThat(names.next("a-3", 0)).isEqualTo("a-3");
    java.util.Set<String> seen = new java.util.HashSet<>();
    String last = null;
    for (int i = 1; i <= 50_000; i++) {
      last = names.next("a", i);
      assertThat(seen.add(last.toLowerCase(java.util.Locale.ROOT))).as(last).isTrue();
    }
    assertThat(seen).contains("a", "a-2", "a-4").doesNotContain("a-3");
    assertThat(last).isEqualTo("a-50001");
  }
}
