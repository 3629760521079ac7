package org.testigo.cli.poster;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.cli.CliResult;
import org.testigo.cli.common.ExitCodes;
import org.testigo.crypto.Fingerprint;

/**
 * {@code testigo-reviewer poster}: the PDF has one page per language with the address, the
 * fingerprint's short form and the three steps as real text; each PNG decodes, and its QR code
 * decodes back to the address with that language's {@code ?lang=}.
 */
class PosterCliTest {
  static final String ONION = "http://testigo2fvmzl7ymcaxl6gcgzxjpiwo5r5jenvzkkumutejnmwbiiyqd.onion";
  static final Fingerprint ROOT = Fingerprint.of("test-root", new byte[] {1, 2, 3});

  static String decodeQr(BufferedImage img) throws Exception {
    int[] px = img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(img.getWidth(), img.getHeight(), px)));
    return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
  }

  @Test
  void poster_writesAPdfPageAndAPngPerLanguageWhoseQrDecodesToTheAddress(@TempDir Path dir) throws Exception {
    Path prefix = dir.resolve("albergue");
    CliResult r = CliResult.run("poster", "--address", ONION, "--root", ROOT.hex(), "--out", prefix.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains(ROOT.shortForm());

    try (PDDocument pdf = Loader.loadPDF(dir.resolve("albergue.pdf").toFile())) {
      assertThat(pdf.getNumberOfPages()).isEqualTo(5);
      String[] titles = {"Denuncie abusos", "Report abuse", "Signalez les abus", "Denonse abi", "Denuncie abusos"};
      String[] steps = {"Navegador Tor", "Tor Browser", "navigateur Tor", "Navigatè Tor", "Navegador Tor"};
      String[] langs = {"es", "en", "fr", "ht", "pt"};
      for (int i = 0; i < 5; i++) {
        PDFTextStripper s = new PDFTextStripper();
        s.setStartPage(i + 1);
        s.setEndPage(i + 1);
        String text = s.getText(pdf);
        assertThat(text).as(langs[i]).contains(titles[i]).contains(steps[i]).contains(ROOT.shortForm())
            .contains(ONION + "/?lang=" + langs[i]).contains("1.").contains("2.").contains("3.")
            .doesNotContain(ROOT.hex());
      }
    }
    for (String lang : new String[] {"es", "en", "fr", "ht", "pt"}) {
      BufferedImage png = ImageIO.read(dir.resolve("albergue-" + lang + ".png").toFile());
      assertThat(png).as(lang).isNotNull();
      assertThat(png.getWidth()).isBetween(1200, 1300); // A4 at 150 dpi
      assertThat(decodeQr(png)).isEqualTo(ONION + "/?lang=" + lang);
    }
  }

  @Test
  void poster_refusesToOverwriteAndRefusesBadInput(@TempDir Path dir) throws Exception {
    Path prefix = dir.resolve("p");
    Files.writeString(dir.resolve("p.pdf"), "keep");
    assertThat(CliResult.run("poster", "--address", ONION, "--root", ROOT.hex(), "--out", prefix.toString(),
        "--lang", "ht").code()).isEqualTo(ExitCodes.REFUSED);
    assertThat(Files.readString(dir.resolve("p.pdf"))).isEqualTo("keep");
    assertThat(CliResult.run("poster", "--address", ONION, "--root", ROOT.shortForm(), "--out",
        dir.resolve("q").toString()).code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(CliResult.run("poster", "--address", "javascript:alert(1)", "--root", ROOT.hex(), "--out",
        dir.resolve("q").toString()).code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(CliResult.run("poster", "--address", ONION, "--root", ROOT.hex(), "--lang", "de", "--out",
        dir.resolve("q").toString()).code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(dir.resolve("q.pdf")).doesNotExist();
  }

  @Test
  void serverAdd_printsTheFingerprintInThePosterFormAndItsHelpSaysWhichFormToType(@TempDir Path home) {
    CliResult r = CliResult.run("server", "add", "http://127.0.0.1:9", "--root", ROOT.hex(), "--home", home.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out()).contains("compare it with the posters and the home page: " + ROOT.shortForm());
    // the whole pin too: a typo after the 25th character leaves the short form the same (user pass)
    String hex = ROOT.hex();
    assertThat(r.out()).contains(hex.substring(0, 16) + " " + hex.substring(16, 32) + " " + hex.substring(32, 48) + " "
        + hex.substring(48) + ".");
    String help = CliResult.run("server", "add", "--help").out().replaceAll("\\s+", " ");
    assertThat(help).contains("full 64 hex characters").contains("five groups of five digits");
  }
}
