package org.testigo.cli.cases;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.testigo.api.client.ClientException;
import org.testigo.api.wire.Accepted;
import org.testigo.api.wire.ReplyKey;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.payload.PayloadWriter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code reply ID (--file F | --editor)}: write a reply to the source of a report, seal it to
 * the report's reply key (which only the source's receipt unlocks) and post it. The source
 * reads it on the status page with the receipt. With {@code --editor} the editor opens a
 * template whose instructions (lines starting with {@code #}, not sent) are in the reviewer's
 * language ({@code --lang}) and whose body is in the report's language (es, en, fr, ht, pt).
 * The editor's file is private (0600) and deleted afterwards. A text that still holds a
 * template's placeholder, or is a template body unchanged, is refused; otherwise the final
 * text is shown and sent only once the reviewer confirms on the terminal ({@code --yes} skips
 * the question for scripts; without a terminal and without {@code --yes} nothing is sent).
 */
@Command(name = "reply", mixinStandardHelpOptions = true,
    description = {"Reply to the person who made a report (sealed to their reply key).",
        "The text, its language and your alias are also kept in the case, sealed to the team like a note:"
            + " show and history display them to every reviewer."})
public final class ReplyCommand implements Callable<Integer> {
  static final List<String> TEMPLATE_LANGUAGES = List.of("es", "en", "fr", "ht", "pt");
  public static final int MAX_REPLY_CHARS = 20000;

  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;
  @ArgGroup(exclusive = true, multiplicity = "1") Source source;
  @Option(names = "--lang", paramLabel = "LANG", defaultValue = "es",
      description = "Your language for the template's instructions with --editor: es, en, fr, ht or pt"
          + " (default: ${DEFAULT-VALUE}); the text for the source is in the report's language.")
  String lang;
  @Option(names = "--yes", description = "Send without showing the text and asking for confirmation (for scripts).")
  boolean yes;

  /** Asks the reviewer a question on the terminal; null when there is no terminal. */
  interface Prompt {
    String ask(String question);
  }

  /** The terminal the confirmation is asked on (tests replace it). */
  static Prompt terminal = question -> {
    java.io.Console console = System.console();
    return console == null ? null : Objects.toString(console.readLine("%s", question), "");
  };
  @Parameters(index = "0", paramLabel = "ID", description = "Report id (or a unique prefix of 4+ characters).")
  String id;

  static final class Source {
    @Option(names = "--file", paramLabel = "FILE", description = "Send the UTF-8 text of FILE.")
    Path file;
    @Option(names = "--editor", description = "Compose in $VISUAL or $EDITOR, starting from a template.")
    boolean editor;
  }

  /**
   * The draft the editor opens: the instruction lines ({@code #}) of the template in
   * {@code reviewerLanguage}, then the body of the template in {@code reportLanguage}.
   */
  public static String draft(String reviewerLanguage, String reportLanguage) throws IOException {
    String instructions = template(reviewerLanguage).lines().filter(l -> l.startsWith("#"))
        .collect(Collectors.joining("\n", "", "\n"));
    return instructions + body(reportLanguage) + "\n";
  }

  /** What is sent of an edited draft: its lines not starting with {@code #}, stripped. */
  public static String withoutInstructions(String edited) {
    return edited.lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n")).strip();
  }

  /** The part of a template that is sent: its lines not starting with {@code #}, stripped. */
  static String body(String language) throws IOException {
    return template(language).lines().filter(l -> !l.startsWith("#")).collect(Collectors.joining("\n")).strip();
  }

  /** The placeholder line of a template, e.g. "[Write here what will happen ...]". */
  static String placeholder(String language) throws IOException {
    return template(language).lines().map(String::strip).filter(l -> l.startsWith("[") && l.endsWith("]"))
        .findFirst().orElseThrow();
  }

  /**
   * Refuses (exit 5, nothing sent) a text that is a template body unchanged or that still
   * holds the start of a template's placeholder, in any template language.
   */
  static void requireWritten(String text) throws IOException {
    String normalised = text.strip().replaceAll("\\s+", " ");
    for (String l : TEMPLATE_LANGUAGES) {
      if (normalised.equals(body(l).replaceAll("\\s+", " "))) {
        throw new CliException(ExitCodes.BAD_INPUT, "the reply is the template unchanged; write what will"
            + " happen with the report; nothing was sent");
      }
    }
    for (String l : TEMPLATE_LANGUAGES) {
      String p = placeholder(l);
      if (normalised.contains(p.substring(0, Math.min(p.length(), 14)))) {
        throw new CliException(ExitCodes.BAD_INPUT, "the reply still contains the template's placeholder "
            + Text.cell(p, 60) + "; replace it with what will happen; nothing was sent");
      }
    }
  }

  /** Shows the final text and asks; false when the reviewer does not answer yes. */
  private boolean confirmed(String reportId, String text) {
    if (yes) {
      return true;
    }
    java.io.PrintWriter out = spec.commandLine().getOut();
    out.println("The source of report " + reportId + " will read exactly this:");
    out.println("----");
    out.println(text);
    out.println("----");
    out.flush();
    String answer = terminal.ask("Send this reply? [y/N] ");
    if (answer == null) {
      throw new CliException(ExitCodes.USAGE, "no terminal to confirm the reply on: check the text and run again"
          + " with --yes; nothing was sent");
    }
    String a = answer.strip().toLowerCase(java.util.Locale.ROOT);
    return a.equals("y") || a.equals("yes") || a.equals("s") || a.equals("si") || a.equals("sí");
  }

  /** The reply template for a language (es when unknown). */
  public static String template(String language) throws IOException {
    String l = TEMPLATE_LANGUAGES.contains(language) ? language : "es";
    try (InputStream in = ReplyCommand.class.getResourceAsStream("reply/template_" + l + ".txt")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public Integer call() throws IOException, CryptoException {
    try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
      Target t = target(s, home, id, spec.commandLine().getErr());
      String text = source.file != null ? readFile(source.file) : compose(t.language());
      check(text);
      if (!confirmed(t.reportId(), text)) {
        spec.commandLine().getOut().println("Not sent.");
        return ExitCodes.REFUSED;
      }
      send(s, t, text, spec.commandLine().getOut(), spec.commandLine().getErr());
      return ExitCodes.OK;
    }
  }

  /** A report whose source can receive a reply: its full id and the language the source wrote in. */
  public record Target(String reportId, String language) {}

  /**
   * The report of {@code id} (a unique prefix, or a follow-up's id) opened with the session's
   * key; exit 6 if its source has no mailbox. Used by this command and by the inbox.
   */
  public static Target target(RemoteSession s, HomeOptions home, String id, java.io.PrintWriter err)
      throws IOException {
    CachedReports.Case c = CachedReports.open(ReportIndex.current(home.home(), s.cache, home.serverName(), s.server,
        s.identity, err), s.cache, id, s.identity.encryptionKey(), null);
    String reportId = c.report().listing().id();
    if (!c.report().listing().hasMailbox()) {
      throw new CliException(ExitCodes.REFUSED, "report " + reportId + " has no mailbox: its source"
          + " cannot receive replies");
    }
    return new Target(reportId, c.report().text("language"));
  }

  /** Refuses (exit 5, nothing sent) an empty or too long text, a template's placeholder or an unchanged template. */
  public static void check(String text) throws IOException {
    if (text.isBlank()) {
      throw new CliException(ExitCodes.BAD_INPUT, "the reply is empty; nothing was sent");
    }
    if (text.length() > MAX_REPLY_CHARS) {
      throw new CliException(ExitCodes.BAD_INPUT, "the reply is longer than " + MAX_REPLY_CHARS + " characters");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Text.unsafe(c)) {
        throw new CliException(ExitCodes.BAD_INPUT, String.format(java.util.Locale.ROOT, "the reply holds a control"
            + " or text-direction character (U+%04X) at character %d; remove it; nothing was sent", (int) c, i + 1));
      }
    }
    requireWritten(text);
  }

  /**
   * Seals {@code text} to the report's reply key, posts it and records reply_sent. The caller
   * has {@link #check checked} the text and had the reviewer confirm it.
   */
  public static void send(RemoteSession s, Target target, String text, java.io.PrintWriter out,
      java.io.PrintWriter err) throws IOException {
    String reportId = target.reportId();
    ReplyKey key = s.client.replyKey(reportId);
    RecipientPublicKey replyKey;
    try {
      replyKey = RecipientPublicKey.fromBytes(Base64.getUrlDecoder().decode(Objects.toString(key.replyPublicKey(), "")));
    } catch (IllegalArgumentException e) {
      throw new CliException(ExitCodes.SERVER, "the server sent a malformed reply key");
    }
    if (!replyKey.fingerprint().hex().equals(key.fingerprint())) {
      throw new CliException(ExitCodes.SERVER, "the server's reply key and its fingerprint disagree");
    }
    byte[] payload = PayloadWriter.textMessage(text);
    ByteArrayOutputStream sealed = new ByteArrayOutputStream();
    try {
      Envelope.seal(new ByteArrayInputStream(payload), sealed, List.of(replyKey), Envelope.CONTEXT_REPLY,
          new SecureRandom());
    } finally {
      java.util.Arrays.fill(payload, (byte) 0);
    }
    Accepted stored = s.client.reply(reportId, sealed.toByteArray());
    out.println("Reply sent for report " + reportId + " (stored as "
        + Objects.toString(stored.id(), "") + " on " + Objects.toString(stored.receivedDay(), "")
        + "); the source reads it with their receipt.");
    String language = Objects.toString(target.language(), "");
    recordReplySent(s, reportId, sealed.toByteArray(), text,
        CaseAction.ReplySent.LANGUAGE.matcher(language).matches() ? language : "und", err);
  }

  /**
   * Appends a signed reply_sent event to the case's trail: the reply's SHA-256, and its text and
   * language sealed to the team (every reviewer of the current manifest), as notes are.
   */
  private static void recordReplySent(RemoteSession s, String reportId, byte[] sealedReply, String text,
      String language, java.io.PrintWriter err)
      throws IOException {
    try {
      CaseLog.sync(s.client, s.cache);
      CaseLog log = CaseLog.load(s.cache, s.server, s.identity);
      org.testigo.crypto.event.CaseId caseId = org.testigo.crypto.event.CaseId.fromHex(reportId);
      var built = new CaseEvents(java.time.Clock.systemUTC(), new SecureRandom()).build(
          s.identity, log.verifier.latest(), caseId, log.known(caseId),
          new CaseAction.ReplySent(org.testigo.crypto.event.SignedCaseEvent.contentHash(sealedReply), text, language));
      s.client.postCaseEvent(reportId, CaseLog.frame(built));
      CaseLog.sync(s.client, s.cache);
    } catch (IllegalStateException | CliException | ClientException e) {
      err.println("testigo-reviewer: warning: the reply was sent but its reply_sent"
          + " event was not recorded: " + e.getMessage());
    }
  }

  private static String readFile(Path file) throws IOException {
    if (Files.size(file) > MAX_REPLY_CHARS * 4L) {
      throw new CliException(ExitCodes.BAD_INPUT, "the reply file is too large");
    }
    return Files.readString(file, StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n').strip();
  }

  private String compose(String reportLanguage) throws IOException {
    if (!TEMPLATE_LANGUAGES.contains(lang)) {
      throw new CliException(ExitCodes.USAGE, "--lang must be one of " + TEMPLATE_LANGUAGES);
    }
    String editor = System.getenv("VISUAL");
    if (editor == null || editor.isBlank()) {
      editor = System.getenv("EDITOR");
    }
    if (editor == null || editor.isBlank()) {
      throw new CliException(ExitCodes.USAGE, "set $EDITOR (or use --file FILE)");
    }
    Path dir = Files.createTempDirectory("testigo-reply-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Path draft = dir.resolve("reply.txt");
    try {
      Files.writeString(draft, draft(lang, reportLanguage), StandardCharsets.UTF_8);
      Files.setPosixFilePermissions(draft, PosixFilePermissions.fromString("rw-------"));
      List<String> command = new java.util.ArrayList<>(List.of(editor.strip().split("\\s+")));
      command.add(draft.toString());
      Process p = new ProcessBuilder(command).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new CliException(ExitCodes.USAGE, "the editor exited with an error; nothing was sent");
      }
      return withoutInstructions(Files.readString(draft, StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.USAGE, "interrupted; nothing was sent");
    } finally {
      wipe(dir, spec.commandLine().getErr());
    }
  }

  /**
   * Overwrites with zeros and deletes every file the editor left in the draft's directory (its
   * backup {@code reply.txt~}, a swap file, a lock), then the directory; a file that cannot be
   * removed is named on stderr rather than hiding the reply already read (found by an outside
   * attack: an editor's backup copy kept the draft in plaintext and made the reply fail).
   */
  static void wipe(Path dir, java.io.PrintWriter err) {
    try (java.util.stream.Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        try {
          if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.write(p, new byte[(int) Math.min(Files.size(p), 64L << 20)]);
          }
          Files.deleteIfExists(p);
        } catch (IOException e) {
          err.println("testigo-reviewer: warning: could not delete " + p + " ("
              + e.getClass().getSimpleName() + "); it may hold your draft: delete it by hand");
        }
      }
    } catch (IOException e) {
      err.println("testigo-reviewer: warning: could not clean " + dir + " ("
          + e.getClass().getSimpleName() + "); it may hold your draft: delete it by hand");
    }
  }
}
