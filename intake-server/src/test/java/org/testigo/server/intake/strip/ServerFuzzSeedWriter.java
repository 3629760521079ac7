package org.testigo.server.intake.strip;

import static org.testigo.server.intake.strip.TestImages.ascii;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.testigo.crypto.payload.PartHeader;
import org.testigo.crypto.payload.PayloadWriter;

/**
 * Writes the intake server's fuzz seeds: images with metadata (from {@link TestImages}),
 * payload containers written by {@link PayloadWriter} (into crypto's corpus: the server reads
 * payloads with crypto's {@code PayloadReader}, fuzzed there), multipart bodies as the report
 * form sends them, and report forms. Not a test: run by hand with the test classpath and the
 * directory {@code intake-server/src/test/resources} as argument, then commit the output.
 * Deterministic.
 */
public final class ServerFuzzSeedWriter {
  private ServerFuzzSeedWriter() {}

  public static void main(String[] args) throws Exception {
    Path res = Path.of(args[0]).resolve("org/testigo/server");
    Path strip = res.resolve("intake/strip/MetadataStripperFuzzTestInputs/strip_refusesOrWritesCleanImageNoLargerThanInput");
    write(strip, "jpeg-with-gps-comment-xmp-trailer", TestImages.jpegWithGps("GPS-SECRET"));
    write(strip, "jpeg-clean", TestImages.expectedCleanJpeg());
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    png.writeBytes(TestImages.PNG_SIG);
    png.writeBytes(TestImages.pngChunk("IHDR", new byte[13]));
    png.writeBytes(TestImages.pngChunk("tEXt", ascii("Author\0someone")));
    png.writeBytes(TestImages.pngChunk("eXIf", TestImages.exifWithGps("GPS")));
    png.writeBytes(TestImages.pngChunk("IDAT", new byte[] {0x78, (byte) 0x9c, 0x63, 0, 0, 0, 1, 0, 1}));
    png.writeBytes(TestImages.pngChunk("IEND", new byte[0]));
    png.writeBytes(ascii("TRAILER"));
    write(strip, "png-with-text-exif-trailer", png.toByteArray());
    write(strip, "not-an-image", ascii("%PDF-1.7 just some other file\n"));

    Path payload = Path.of(args[0]).resolve("../../../../crypto/src/test/resources/org/testigo/crypto/payload/"
        + "PayloadReaderFuzzTestInputs/readBothWays_refuseAlikeOrRoundTripThroughTheWriter").normalize();
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    PayloadWriter w = new PayloadWriter(p);
    w.writePart(new PartHeader(PartHeader.QUESTIONNAIRE, null, "application/json"),
        "{\"version\":1,\"language\":\"es\",\"what\":[\"robbery\"]}".getBytes(StandardCharsets.UTF_8));
    w.writePart(new PartHeader(PartHeader.FILE, "foto.jpg", "image/jpeg"), TestImages.expectedCleanJpeg());
    w.writePart(new PartHeader(PartHeader.MESSAGE, null, "text/plain; charset=utf-8"), new byte[0]);
    w.finish();
    p.write(new byte[13]); // zero padding after the end marker is allowed
    write(payload, "three-parts-padded", p.toByteArray());
    ByteArrayOutputStream empty = new ByteArrayOutputStream();
    new PayloadWriter(empty).finish();
    write(payload, "no-parts", empty.toByteArray());

    Path multipart = res.resolve("intake/multipart/MultipartReaderFuzzTestInputs/read_refusesOrRoundTrips");
    String b = "----testigoBoundary7MA4YWxk";
    write(multipart, "report-form", ("multipart/form-data; boundary=" + b + "\n"
        + "--" + b + "\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n1\r\n"
        + "--" + b + "\r\nContent-Disposition: form-data; name=\"what\"\r\n\r\nrobbery\r\n"
        + "--" + b + "\r\nContent-Disposition: form-data; name=\"narrative\"\r\n\r\nl\u00ednea 1\r\nl\u00ednea 2\r\n"
        + "--" + b + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"foto.jpg\"\r\n"
        + "Content-Type: image/jpeg\r\n\r\nJPEGBYTES\r\n"
        + "--" + b + "--\r\n").getBytes(StandardCharsets.UTF_8));
    write(multipart, "quoted-boundary-preamble-padding", ("Multipart/Form-Data; charset=utf-8; boundary=\"a b\"\n"
        + "preamble\r\n--a b  \t\r\ncontent-disposition: form-data; name=x; filename=\"a\\\"b.txt\"\r\n\r\n"
        + "--a bc\r\n--a b--epilogue").getBytes(StandardCharsets.UTF_8));

    Path form = res.resolve("domain/report/QuestionnaireFuzzTestInputs/parse_refusesOrGivesBoundedQuestionnaireThatRoundTrips");
    write(form, "full-form", String.join("\n", "version=1", "what=robbery", "what=extortion",
        "what_other=", "who=inm", "who_other=", "uniform=gris", "badge=1234", "plates=ABC-12-34",
        "unit=", "state=OAX", "place=Ixtepec, v\u00edas del tren", "place_kind=train",
        "date=2026-02-14", "when_approx=en la noche", "victims=3", "minors=yes",
        "minors_count=1", "narrative=Nos bajaron del tren.\\nNos pidieron dinero.", "wants=reply")
        .getBytes(StandardCharsets.UTF_8));
    write(form, "narrative-only", "version=1\nnarrative=algo pas\u00f3".getBytes(StandardCharsets.UTF_8));
    write(form, "errors", "version=1\nwhat=nope\ndate=2030-01-01\nvictims=1\nminors_count=2"
        .getBytes(StandardCharsets.UTF_8));
  }

  private static void write(Path dir, String name, byte[] data) throws Exception {
    Files.createDirectories(dir);
    Files.write(dir.resolve(name), data);
  }
}
