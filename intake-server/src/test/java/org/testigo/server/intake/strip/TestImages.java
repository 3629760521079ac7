package org.testigo.server.intake.strip;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Small JPEG and PNG files with metadata, built byte by byte (no image library). */
public final class TestImages {
  private TestImages() {}

  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  public static byte[] seg(int marker, byte[]... payload) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    for (byte[] b : payload) {
      p.writeBytes(b);
    }
    int len = p.size() + 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0xff, (byte) marker, (byte) (len >> 8), (byte) len});
    out.writeBytes(p.toByteArray());
    return out.toByteArray();
  }

  /** Big-endian TIFF: IFD0 {Make "Cam", GPSInfo -> GPS IFD {GPSLatitudeRef "N" + marker}}. */
  public static byte[] exifWithGps(String gpsMarker) {
    byte[] marker = ascii(gpsMarker);
    ByteBuffer t = ByteBuffer.allocate(64 + marker.length);
    t.put(ascii("MM")).putShort((short) 42).putInt(8);
    t.putShort((short) 2);
    t.putShort((short) 0x010f).putShort((short) 2).putInt(4).put(ascii("Cam\0"));
    t.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(38);
    t.putInt(0);
    t.putShort((short) 1);
    t.putShort((short) 0x0002).putShort((short) 2).putInt(marker.length).putInt(56);
    t.putInt(0);
    t.position(56);
    t.put(marker);
    return t.array();
  }

  /** A JPEG with JFIF, an EXIF segment with a GPS IFD, a comment, XMP between scans and a trailer. */
  public static byte[] jpegWithGps(String gpsMarker) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd8});
    o.writeBytes(seg(0xe0, ascii("JFIF\0"), new byte[] {1, 1, 0, 0, 1, 0, 1, 0, 0}));
    o.writeBytes(seg(0xe1, ascii("Exif\0\0"), exifWithGps(gpsMarker)));
    o.writeBytes(seg(0xfe, ascii("shot on my phone")));
    o.writeBytes(imageSegments());
    o.writeBytes(ascii("TRAILER-WITH-SECRETS"));
    return o.toByteArray();
  }

  /** The part of {@link #jpegWithGps} that must survive, with XMP between the scans. */
  static byte[] imageSegments() {
    return imageSegments(true);
  }

  static byte[] imageSegments(boolean withXmp) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    byte[] dqt = new byte[65];
    java.util.Arrays.fill(dqt, (byte) 1);
    o.writeBytes(seg(0xdb, dqt));
    o.writeBytes(seg(0xc0, new byte[] {8, 0, 1, 0, 1, 1, 1, 0x11, 0}));
    o.writeBytes(seg(0xda, new byte[] {1, 1, 0, 0, 0x3f, 0}));
    o.writeBytes(new byte[] {0x12, (byte) 0xff, 0x00, 0x34, (byte) 0xff, (byte) 0xd0, 0x56, 0x78});
    if (withXmp) {
      o.writeBytes(seg(0xe1, ascii("http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>")));
    }
    o.writeBytes(seg(0xda, new byte[] {1, 1, 0, 0, 0x3f, 0}));
    o.writeBytes(new byte[] {(byte) 0x9a, (byte) 0xff, (byte) 0xd9});
    return o.toByteArray();
  }

  static byte[] expectedCleanJpeg() {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    o.writeBytes(new byte[] {(byte) 0xff, (byte) 0xd8});
    o.writeBytes(seg(0xe0, ascii("JFIF\0"), new byte[] {1, 1, 0, 0, 1, 0, 1, 0, 0}));
    o.writeBytes(imageSegments(false));
    return o.toByteArray();
  }

  static byte[] pngChunk(String type, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(12 + data.length);
    b.putInt(data.length).put(ascii(type)).put(data).putInt(0x12345678);
    return b.array();
  }

  static final byte[] PNG_SIG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a};
}
