package org.testigo.cli.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link PendingForces}: what a sync checkpoint waits for, and {@link PrivateFiles#openTemp}. */
class PendingForcesTest {
  @TempDir Path dir;

  FileChannel written(String name) throws Exception {
    FileChannel c = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    c.write(ByteBuffer.wrap(name.getBytes()));
    return c;
  }

  @Test
  void await_countsTheFilesHandedOverSinceTheLastCheckpointAndClosesThemOnceForced() throws Exception {
    try (PendingForces forces = new PendingForces(2, 3)) {
      List<FileChannel> channels = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        FileChannel c = written("f" + i);
        channels.add(c);
        forces.add(c);
      }
      assertThat(forces.await()).isEqualTo(10);
      assertThat(channels).noneMatch(FileChannel::isOpen);
      assertThat(forces.await()).as("nothing new since").isZero();
      forces.add(written("g"));
      assertThat(forces.await()).isEqualTo(1);
    }
  }

  @Test
  void await_throwsWhenAFileCouldNotBeForced() throws Exception {
    try (PendingForces forces = new PendingForces(1, 4)) {
      FileChannel closed = written("gone");
      closed.close();
      forces.add(written("ok"));
      forces.add(closed);
      assertThatThrownBy(forces::await).isInstanceOf(ClosedChannelException.class);
    }
  }

  @Test
  void openTemp_createsAnOwnerOnlyFileOpenForWriting() throws Exception {
    PrivateFiles.OpenTemp t = PrivateFiles.openTemp(dir);
    try (FileChannel c = t.channel()) {
      c.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    }
    assertThat(t.path().getParent()).isEqualTo(dir);
    assertThat(t.path().getFileName().toString()).startsWith(".tmp-").endsWith(".part");
    assertThat(Files.readAllBytes(t.path())).containsExactly(1, 2, 3);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t.path()))).isEqualTo("rw-------");
    assertThat(PrivateFiles.openTemp(dir).path()).isNotEqualTo(t.path());
  }
}
