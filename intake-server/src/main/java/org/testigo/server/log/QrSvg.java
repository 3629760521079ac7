package org.testigo.server.log;

import io.nayuki.qrcodegen.QrCode;

/**
 * Renders text as a QR code in SVG (one path, black modules on white, a 4-module quiet
 * zone), so no image library runs on the server and the page's CSP ({@code img-src 'self'})
 * is met by a same-origin image. Error correction level L: a proof of filing is up to about
 * 1,200 characters, and level L keeps the symbol small enough for a phone camera.
 */
public final class QrSvg {
  private static final int QUIET = 4;

  private QrSvg() {}

  /** The SVG document for {@code text} (UTF-8 bytes in the QR code). */
  public static String of(String text) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.LOW);
    int size = qr.size + 2 * QUIET;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (qr.getModule(x, y)) {
          path.append('M').append(x + QUIET).append(',').append(y + QUIET).append("h1v1h-1z");
        }
      }
    }
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        + "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"0 0 " + size + " " + size
        + "\" shape-rendering=\"crispEdges\">"
        + "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        + "<path d=\"" + path + "\" fill=\"#000000\"/></svg>\n";
  }
}
