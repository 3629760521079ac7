package org.testigo.server.intake;

/** Cleans the file name and media type a browser declared, before they are sealed. */
public final class FileNames {
  private FileNames() {}

  /** The last path segment, without control characters, at most 200 characters. */
  public static String clean(String name) {
    String n = name.replace('\\', '/');
    n = n.substring(n.lastIndexOf('/') + 1);
    StringBuilder sb = new StringBuilder();
    n.codePoints().filter(c -> c >= 0x20 && c != 0x7f).limit(200).forEach(sb::appendCodePoint);
    return sb.length() == 0 ? "file" : sb.toString();
  }

  /** A plausible {@code type/subtype}, else {@code application/octet-stream}. */
  public static String cleanType(String type) {
    if (type == null) {
      return "application/octet-stream";
    }
    String t = type.split(";")[0].strip().toLowerCase(java.util.Locale.ROOT);
    return t.length() <= 100 && t.matches("[a-z0-9][a-z0-9.+-]*/[a-z0-9][a-z0-9.+-]*")
        ? t : "application/octet-stream";
  }
}
