package org.testigo.server.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testigo.server.circuit.Circuit;
import org.testigo.server.circuit.CurrentCircuit;
import org.testigo.server.config.FairnessSettings;
import org.testigo.server.domain.ServiceBusyException;
import org.testigo.server.domain.TooManyRequestsException;

/**
 * Upload slots must make progress (issue 18): an upload that receives no byte for the stall
 * time is released, an empty piece does not refresh it, a piece that is arriving does; and a
 * circuit holds at most its share of uploads and bytes.
 */
class UploadProgressTest {
  @TempDir Path dir;
  final VisitServiceTest.MutableClock clock = new VisitServiceTest.MutableClock();

  UploadService uploads(int maxOpen) throws IOException {
    return uploads(maxOpen, 100, 10_000_000);
  }

  UploadService uploads(int maxActive, int maxPending, long maxDiskBytes) throws IOException {
    return new UploadService(dir, null, new UploadService.Bounds(maxActive, maxPending, maxDiskBytes, 1_000_000,
        100_000, Duration.ofMinutes(60), Duration.ofSeconds(60), Duration.ofMinutes(120), 5), clock, new SecureRandom());
  }

  long files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void anUploadWithoutBytesForTheStallTimeIsReleased_andEmptyPiecesDoNotKeepItAlive() throws Exception {
    UploadService u = uploads(2);
    String a = u.create().id();
    String b = u.create().id();
    for (int i = 0; i < 5; i++) {
      clock.now = clock.now.plusSeconds(20);
      u.append(a, 0, 0L, new ByteArrayInputStream(new byte[0]));
      u.append(b, u.status(b).offset(), 10L, new ByteArrayInputStream(new byte[10]));
    }
    u.expire();
    assertThatThrownBy(() -> u.status(a)).as("only empty pieces: released")
        .isInstanceOf(UploadService.UnknownUploadException.class);
    assertThat(u.status(b).offset()).isEqualTo(50);
    assertThat(u.create().id()).isNotNull();
    assertThat(files()).isEqualTo(2);
    assertThat(u.activeCount()).as("b holds bytes").isOne();
    assertThat(u.pendingCount()).as("the new one").isOne();
  }

  @Test
  void pendingUploadsHoldNoSlot_theOldestIsEvictedForANewOne_andActiveSlotsGoToUploadsWithBytes() throws Exception {
    UploadService u = uploads(1, 3, 10_000_000);
    String honest = u.create().id();
    u.append(honest, 0, 10L, new ByteArrayInputStream(new byte[10]));
    String[] idle = new String[5];
    for (int i = 0; i < idle.length; i++) {
      clock.now = clock.now.plusSeconds(1);
      idle[i] = u.create().id();
    }
    assertThat(u.pendingCount()).isEqualTo(3);
    assertThat(u.evictedCount()).isEqualTo(2);
    assertThatThrownBy(() -> u.status(idle[0])).as("oldest pending evicted")
        .isInstanceOf(UploadService.UnknownUploadException.class);
    assertThatThrownBy(() -> u.status(idle[1])).isInstanceOf(UploadService.UnknownUploadException.class);
    assertThat(u.status(honest).offset()).as("an upload with bytes is never evicted").isEqualTo(10);
    assertThatThrownBy(() -> u.append(idle[4], 0, 5L, new ByteArrayInputStream(new byte[5])))
        .as("the one slot is taken by the upload with bytes").isInstanceOf(ServiceBusyException.class);
    assertThat(u.status(idle[4]).offset()).isZero();
    assertThat(u.pendingCount()).as("refused, still pending").isEqualTo(3);
    u.delete(honest);
    u.append(idle[4], 0, 5L, new ByteArrayInputStream(new byte[5]));
    assertThat(u.activeCount()).isOne();
    assertThat(u.pendingCount()).isEqualTo(2);
    assertThat(files()).isEqualTo(3);
  }

  @Test
  void anEmptyPieceGivesItsSlotBack_andDoesNotMoveTheUploadInTheEvictionOrder() throws Exception {
    UploadService u = uploads(1, 2, 10_000_000);
    String first = u.create().id();
    clock.now = clock.now.plusSeconds(1);
    String second = u.create().id();
    u.append(first, 0, 0L, new ByteArrayInputStream(new byte[0]));
    assertThat(u.activeCount()).as("no byte stored: no slot").isZero();
    clock.now = clock.now.plusSeconds(1);
    u.create();
    assertThatThrownBy(() -> u.status(first)).as("still the oldest pending")
        .isInstanceOf(UploadService.UnknownUploadException.class);
    assertThat(u.status(second).offset()).isZero();
  }

  @Test
  void aPieceThatWouldPassTheDiskBoundGets503BeforeAnyByteIsRead() throws Exception {
    UploadService u = uploads(10, 10, 150);
    String a = u.create().id();
    String b = u.create().id();
    u.append(a, 0, 100L, new ByteArrayInputStream(new byte[100]));
    ByteArrayInputStream body = new ByteArrayInputStream(new byte[100]);
    assertThatThrownBy(() -> u.append(b, 0, 100L, body)).isInstanceOf(ServiceBusyException.class);
    assertThat(body.available()).as("nothing read").isEqualTo(100);
    assertThat(u.activeCount()).isOne();
    u.append(b, 0, 50L, new ByteArrayInputStream(new byte[50]));
    u.delete(a);
    u.append(b, 50, 100L, new ByteArrayInputStream(new byte[100]));
    assertThat(u.status(b).offset()).isEqualTo(150);
  }

  @Test
  void bytesOfAPieceThatBreaksOffAreNoProgress() throws Exception {
    UploadService u = uploads(2);
    String id = u.create().id();
    for (int i = 0; i < 4; i++) {
      clock.now = clock.now.plusSeconds(20);
      InputStream breaksOff = new InputStream() {
        boolean sent;

        @Override
        public int read() throws IOException {
          if (!sent) {
            sent = true;
            return 'x';
          }
          throw new IOException("connection reset");
        }
      };
      assertThatThrownBy(() -> u.append(id, 0, 1000L, breaksOff)).isInstanceOf(IOException.class);
      assertThat(u.status(id).offset()).isZero();
    }
    u.expire();
    assertThatThrownBy(() -> u.status(id)).as("80 s without a byte kept").isInstanceOf(
        UploadService.UnknownUploadException.class);
  }

  @Test
  void anUploadStillOpenAfterItsMaximumAgeIsReleased_progressOrNot() throws Exception {
    UploadService u = uploads(2);
    String id = u.create().id();
    for (int i = 0; i < 122; i++) {
      clock.now = clock.now.plusSeconds(59);
      u.append(id, u.status(id).offset(), 1L, new ByteArrayInputStream(new byte[1]));
      u.expire();
      assertThat(u.status(id).offset()).as("a byte every 59 s: progress, %d s old", 59 * (i + 1)).isEqualTo(i + 1);
    }
    clock.now = clock.now.plusSeconds(59);
    u.append(id, u.status(id).offset(), 1L, new ByteArrayInputStream(new byte[1]));
    u.expire();
    assertThatThrownBy(() -> u.status(id)).as("two hours old").isInstanceOf(UploadService.UnknownUploadException.class);
  }

  @Test
  void bytesArrivingDuringALongPieceCountAsProgress() throws Exception {
    UploadService u = uploads(2);
    String id = u.create().id();
    InputStream slow = new InputStream() {
      int left = 5;

      @Override
      public int read() {
        if (left == 0) {
          return -1;
        }
        left--;
        clock.now = clock.now.plusSeconds(50);
        return 'x';
      }
    };
    u.append(id, 0, null, slow);
    u.expire();
    assertThat(u.status(id).offset()).as("250 s for the piece, but a byte every 50 s").isEqualTo(5);
  }

  @Test
  void aCircuitHoldsItsShareOfUploadsAndBytes_andGetsItBackWhenOneEnds() throws Exception {
    FairnessSettings s = new FairnessSettings();
    s.setMaxOpenUploads(2);
    s.setMaxUploadBytes(150);
    Circuit mine = Circuit.standalone(s);
    UploadService u = uploads(10);
    Circuit before = CurrentCircuit.enter(mine);
    try {
      String a = u.create().id();
      String b = u.create().id();
      assertThatThrownBy(u::create).isInstanceOf(TooManyRequestsException.class);
      u.append(a, 0, 100L, new ByteArrayInputStream(new byte[100]));
      assertThatThrownBy(() -> u.append(b, 0, 100L, new ByteArrayInputStream(new byte[100])))
          .isInstanceOf(TooManyRequestsException.class);
      assertThat(u.status(b).offset()).isZero();
      u.append(b, 0, 50L, new ByteArrayInputStream(new byte[50]));
      u.delete(a);
      u.append(b, 50, 100L, new ByteArrayInputStream(new byte[100]));
      assertThat(u.create().id()).isNotNull();
    } finally {
      CurrentCircuit.restore(before);
    }
    Circuit other = Circuit.standalone(s);
    CurrentCircuit.enter(other);
    try {
      assertThat(u.create().id()).as("another circuit is not affected").isNotNull();
    } finally {
      CurrentCircuit.restore(null);
    }
  }
}
