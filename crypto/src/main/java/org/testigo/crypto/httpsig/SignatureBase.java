package org.testigo.crypto.httpsig;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The signature base of RFC 9421 section 2.5: one line per covered component,
 * {@code identifier ": " value LF}, then {@code "@signature-params": } followed by the
 * serialized signature parameters, with no trailing LF. The bytes are ASCII.
 */
public final class SignatureBase {
  private SignatureBase() {}

  /** One covered component: its serialized identifier (e.g. {@code "@method"}) and its value. */
  public record Component(String identifier, String value) {
    public Component {
      checkLine(identifier);
      checkLine(value);
    }
  }

  /**
   * Builds the base. {@code signatureParams} is the serialized inner list with parameters,
   * exactly as it appears as the member value in {@code Signature-Input}.
   *
   * @throws IllegalArgumentException if a value holds a line break or non-ASCII character
   */
  public static byte[] build(List<Component> components, String signatureParams) {
    checkLine(signatureParams);
    StringBuilder b = new StringBuilder();
    for (Component c : components) {
      b.append(c.identifier()).append(": ").append(c.value()).append('\n');
    }
    b.append("\"@signature-params\": ").append(signatureParams);
    return b.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** The serialized identifier of a component without parameters: the quoted name. */
  public static String identifier(String name) {
    return StructuredFields.serializeBareItem(name);
  }

  private static void checkLine(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("signature base lines are printable ASCII");
      }
    }
  }
}
