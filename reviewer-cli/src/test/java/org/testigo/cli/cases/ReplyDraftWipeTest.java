package org.testigo.cli.cases;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reply --editor}: whatever the editor leaves beside the draft (a backup {@code ~}, a swap
 * file, a directory of its own) is overwritten and removed with the draft (an outside attack
 * found an editor's backup keeping the draft in plaintext, and the reply then failing).
 */
class ReplyDraftWipeTest {
  @TempDir Path tmp;

  @Test
  void everyFileTheEditorLeft_isRemoved_andNothingIsThrown() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("testigo-reply-x"));
    Files.writeString(dir.resolve("reply.txt"), "DRAFT SECRET");
    Files.writeString(dir.resolve("reply.txt~"), "FIRST DRAFT SECRET");
    Files.writeString(dir.resolve(".reply.txt.swp"), "SWAP SECRET");
    Files.createDirectory(dir.resolve("auto-save"));
    Files.writeString(dir.resolve("auto-save/#reply.txt#"), "AUTOSAVE SECRET");
    StringWriter err = new StringWriter();
    ReplyCommand.wipe(dir, new PrintWriter(err, true));
    assertThat(dir).doesNotExist();
    assertThat(err.toString()).isEmpty();
  }
}
