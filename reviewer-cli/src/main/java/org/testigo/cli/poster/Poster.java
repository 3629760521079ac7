package org.testigo.cli.poster;

import io.nayuki.qrcodegen.QrCode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.testigo.crypto.Fingerprint;

/**
 * The printable flyer for shelters: per language, one A4 page with the source onion's address
 * ({@code ?lang=} for that language), its QR code, the organisation's root fingerprint in its
 * one human form ({@link Fingerprint#shortForm()}, as on the home page and the report page) and
 * three plain-language steps. Vector PDF (Apache PDFBox, the standard Helvetica and Courier
 * fonts, WinAnsi: enough for the five languages' letters); PNG rendered from the same PDF.
 * Nothing secret is on it.
 */
public final class Poster {
  /** The languages of the flyer, in the source pages' order. */
  public static final List<String> LANGUAGES = List.of("es", "en", "fr", "ht", "pt");
  private static final float MARGIN = 48;
  private final URI address;
  private final Fingerprint root;

  public Poster(URI address, Fingerprint root) {
    this.address = address;
    this.root = root;
  }

  /** What the QR code of {@code lang}'s page holds: the address with {@code /?lang=}. */
  public String link(String lang) {
    String base = address.toString();
    return (base.endsWith("/") ? base : base + "/") + "?lang=" + lang;
  }

  static Properties texts(String lang) {
    Properties p = new Properties();
    try (InputStream in = Poster.class.getResourceAsStream("poster_" + lang + ".properties")) {
      if (in == null) {
        throw new IllegalArgumentException("no poster texts for " + lang);
      }
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** Writes the PDF, one page per language of {@code langs}. */
  public void writePdf(List<String> langs, OutputStream out) throws IOException {
    try (PDDocument doc = document(langs)) {
      doc.save(out);
    }
  }

  /** Renders {@code lang}'s page as an image (grey, {@code dpi} dots per inch). */
  public BufferedImage png(String lang, int dpi) throws IOException {
    try (PDDocument doc = document(List.of(lang))) {
      return new PDFRenderer(doc).renderImageWithDPI(0, dpi, ImageType.GRAY);
    }
  }

  PDDocument document(List<String> langs) throws IOException {
    PDDocument doc = new PDDocument();
    try {
      doc.getDocumentInformation().setTitle("Testigo");
      for (String lang : langs) {
        page(doc, lang.toLowerCase(Locale.ROOT));
      }
      return doc;
    } catch (IOException | RuntimeException e) {
      doc.close();
      throw e;
    }
  }

  private void page(PDDocument doc, String lang) throws IOException {
    Properties t = texts(lang);
    PDFont regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    PDFont bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    PDFont mono = new PDType1Font(Standard14Fonts.FontName.COURIER_BOLD);
    PDPage page = new PDPage(PDRectangle.A4);
    doc.addPage(page);
    float width = page.getMediaBox().getWidth() - 2 * MARGIN;
    float top = page.getMediaBox().getHeight() - MARGIN;
    try (PDPageContentStream c = new PDPageContentStream(doc, page)) {
      float y = top;
      y = lines(c, bold, 26, t.getProperty("title"), MARGIN, y, width);
      y = lines(c, regular, 14, t.getProperty("private"), MARGIN, y - 4, width);

      String link = link(lang);
      QrCode qr = QrCode.encodeText(link, QrCode.Ecc.MEDIUM);
      float side = 250;
      float module = side / (qr.size + 8);
      float x0 = MARGIN + (width - side) / 2;
      float y0 = y - 12 - side;
      c.setNonStrokingColor(0f);
      for (int r = 0; r < qr.size; r++) {
        for (int col = 0; col < qr.size; col++) {
          if (qr.getModule(col, r)) {
            c.addRect(x0 + (col + 4) * module, y0 + side - (r + 5) * module, module, module);
          }
        }
      }
      c.fill();
      y = y0 - 8;
      y = lines(c, regular, 12, t.getProperty("address"), MARGIN, y, width);
      y = lines(c, mono, fit(mono, link, width, 12), link, MARGIN, y, width);
      y -= 10;
      y = lines(c, regular, 12, t.getProperty("fingerprint"), MARGIN, y, width);
      y = lines(c, bold, 28, root.shortForm(), MARGIN, y, width);
      y -= 10;
      for (String step : List.of("step1", "step2", "step3")) {
        y = lines(c, regular, 15, t.getProperty(step), MARGIN, y - 4, width);
      }
      StringBuilder others = new StringBuilder(t.getProperty("languages")).append(':');
      for (String l : LANGUAGES) {
        others.append("  ?lang=").append(l).append(" (").append(texts(l).getProperty("name")).append(')');
      }
      lines(c, regular, 10, others.toString(), MARGIN, Math.min(y - 8, MARGIN + 40), width);
    }
  }

  private static float fit(PDFont font, String text, float width, float size) throws IOException {
    float w = font.getStringWidth(text) / 1000 * size;
    return w <= width ? size : size * width / w;
  }

  /** Draws {@code text} wrapped to {@code width} from baseline below {@code y}; returns the new y. */
  private static float lines(PDPageContentStream c, PDFont font, float size, String text, float x, float y,
      float width) throws IOException {
    float leading = size * 1.25f;
    for (String line : wrap(font, size, text, width)) {
      y -= leading;
      c.beginText();
      c.setFont(font, size);
      c.newLineAtOffset(x, y);
      c.showText(line);
      c.endText();
    }
    return y;
  }

  static List<String> wrap(PDFont font, float size, String text, float width) throws IOException {
    List<String> out = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split(" ")) {
      String candidate = line.length() == 0 ? word : line + " " + word;
      if (line.length() > 0 && font.getStringWidth(candidate) / 1000 * size > width) {
        out.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    if (line.length() > 0) {
      out.add(line.toString());
    }
    return out;
  }
}
