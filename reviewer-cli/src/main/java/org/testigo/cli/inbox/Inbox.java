package org.testigo.cli.inbox;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.testigo.api.client.ClientException;
import org.testigo.cli.cases.Assignees;
import org.testigo.cli.cases.CaseAction;
import org.testigo.cli.cases.Outcome;
import org.testigo.cli.cases.Priority;
import org.testigo.cli.cases.ReferralTarget;
import org.testigo.cli.cases.ReplyCommand;
import org.testigo.cli.cases.ReportIndex;
import org.testigo.cli.cases.ShowCommand;
import org.testigo.cli.cases.Status;
import org.testigo.cli.cases.SyncCommand;
import org.testigo.cli.cases.Text;
import org.testigo.cli.cases.TriageCommands;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.ProgressBars;
import org.testigo.cli.common.UnlockedKeystore;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.identity.ReviewerIdentity;

/**
 * The inbox: a full-screen session over one terminal. It asks for the passphrase once (no
 * echo), lists the cases of the encrypted report index, opens one with {@code show}'s
 * rendering, and runs the triage commands and {@code reply} with keys. Every action is the
 * tool's own command run in-process ({@link Commands}), or, for a reply, {@link ReplyCommand}'s
 * own checks and sending; the inbox adds only the screen and the keys.
 *
 * <p>Guarantees: the decrypted keys stay in this process's memory ({@link UnlockedKeystore}),
 * zeroed on every way out of {@link #run()}; nothing is written to disk before the passphrase is
 * right; text from reports reaches the terminal only through {@link Text#safe} (no control or
 * bidi characters); the terminal's modes are restored on exit.
 */
public final class Inbox {
  static final int MIN_COLS = 60;
  static final int MIN_ROWS = 16;
  static final int ATTEMPTS = 3;
  private static final AttributedStyle BAR = AttributedStyle.DEFAULT.inverse();
  private static final AttributedStyle BOLD = AttributedStyle.DEFAULT.bold();

  private final Terminal terminal;
  private final HomeOptions home;
  private final KeystoreOption keystore;
  private final Messages m;
  private final AtomicBoolean resized = new AtomicBoolean();
  private Display display;
  private Size shownSize;
  private Keys keys;
  private UnlockedKeystore unlocked;
  private Commands commands;
  private String message = "";
  private String error;

  private List<CaseRows.Row> all = List.of();
  private List<CaseRows.Row> shown = List.of();
  private final CaseRows.View view = new CaseRows.View();
  private int selected;
  private int top;

  public Inbox(Terminal terminal, HomeOptions home, KeystoreOption keystore, String language) {
    this.terminal = terminal;
    this.home = home;
    this.keystore = keystore;
    this.m = new Messages(language);
  }

  /** True for a terminal that cannot be drawn on (no cursor addressing): use the commands instead. */
  public static boolean isDumb(Terminal t) {
    String type = t.getType() == null ? "" : t.getType();
    return type.startsWith(Terminal.TYPE_DUMB) || t.getStringCapability(Capability.cursor_address) == null
        || t.getStringCapability(Capability.clear_screen) == null;
  }

  /** Runs the session to its end; returns the exit code. */
  public int run() throws IOException {
    if (isDumb(terminal)) {
      throw new CliException(ExitCodes.USAGE, "the inbox needs a full-screen terminal, and this one ('"
          + terminal.getType() + "') cannot move the cursor; use the commands instead: sync, list, show ID,"
          + " ack ID, assign ID ALIAS, note ID, reply ID --editor, close ID OUTCOME (see testigo-reviewer --help)");
    }
    Attributes saved = terminal.enterRawMode();
    Attributes raw = terminal.getAttributes();
    raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
    raw.setInputFlag(Attributes.InputFlag.IXON, false);
    terminal.setAttributes(raw);
    Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.WINCH, s -> resized.set(true));
    ProgressBars.quiet(true);
    terminal.puts(Capability.enter_ca_mode);
    terminal.puts(Capability.keypad_xmit);
    terminal.puts(Capability.cursor_invisible);
    terminal.flush();
    display = new Display(terminal, true);
    keys = new Keys(terminal.reader(), resized);
    try {
      if (!unlock()) {
        return error == null ? ExitCodes.OK : ExitCodes.CRYPTO;
      }
      commands = new Commands(unlocked, home);
      reloadRows();
      listLoop();
      return ExitCodes.OK;
    } finally {
      if (unlocked != null) {
        unlocked.close();
      }
      ProgressBars.quiet(false);
      terminal.puts(Capability.clear_screen);
      terminal.puts(Capability.cursor_visible);
      terminal.puts(Capability.keypad_local);
      terminal.puts(Capability.exit_ca_mode);
      terminal.flush();
      terminal.handle(Terminal.Signal.WINCH, previous);
      terminal.setAttributes(saved);
      if (error != null) {
        terminal.writer().println(Commands.PROGRAM + ": " + error);
        terminal.flush();
      }
    }
  }

  // ---- screens -------------------------------------------------------------------------------

  /** Asks for the passphrase, at most {@link #ATTEMPTS} times; false if the reviewer gave up or ran out. */
  private boolean unlock() throws IOException {
    String note = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      char[] typed = new char[64];
      int n = 0;
      try {
        while (true) {
          drawUnlock(note);
          Key k = keys.next();
          if (k.kind() == Key.Kind.ESC || k.kind() == Key.Kind.EOF || k.isCtrl('C') || k.isCtrl('D')) {
            return false;
          } else if (k.kind() == Key.Kind.ENTER && n > 0) {
            break;
          } else if (k.kind() == Key.Kind.BACKSPACE && n > 0) {
            typed[--n] = '\0';
          } else if (k.kind() == Key.Kind.CHAR) {
            char[] c = Character.toChars(k.ch());
            if (n + c.length > typed.length) {
              char[] bigger = Arrays.copyOf(typed, typed.length * 2);
              Arrays.fill(typed, '\0');
              typed = bigger;
            }
            for (char x : c) {
              typed[n++] = x;
            }
          }
        }
        drawUnlock(m.get("unlock.working"));
        try {
          unlocked = UnlockedKeystore.unlock(keystore.path(), Arrays.copyOf(typed, n));
          return true;
        } catch (CryptoException e) {
          note = m.format("unlock.wrong", attempt, ATTEMPTS);
        } catch (CliException e) {
          error = e.getMessage();
          return false;
        }
      } finally {
        Arrays.fill(typed, '\0');
      }
    }
    error = m.get("unlock.gaveUp");
    return false;
  }

  private void drawUnlock(String note) {
    Screen s = screen();
    s.bar(0, m.get("title"));
    s.put(2, m.format("unlock.keystore", keystore.path()));
    s.put(4, m.get("unlock.prompt"));
    s.put(6, note);
    s.bar(s.rows - 1, m.get("unlock.help"));
    s.show(-1, -1);
  }

  private void listLoop() throws IOException {
    while (true) {
      drawList();
      Key k = keys.next();
      int page = Math.max(1, listHeight() - 1);
      switch (k.kind()) {
        case EOF -> {
          return;
        }
        case UP -> move(-1);
        case DOWN -> move(1);
        case PAGE_UP -> move(-page);
        case PAGE_DOWN -> move(page);
        case HOME -> move(-shown.size());
        case END -> move(shown.size());
        case ENTER, RIGHT -> {
          if (!shown.isEmpty() && caseLoop(shown.get(selected).id())) {
            reloadRows();
          }
        }
        case CTRL -> {
          if (k.isCtrl('C')) {
            return;
          }
        }
        case CHAR -> {
          switch (k.ch()) {
            case 'q', 'Q' -> {
              return;
            }
            case 'o' -> {
              view.sort = view.sort.next();
              applyView(null);
            }
            case 'e' -> {
              view.nextStatus();
              applyView(null);
            }
            case 'v' -> {
              view.overdueOnly = !view.overdueOnly;
              applyView(null);
            }
            case 'i' -> {
              view.nextLanguage(all);
              applyView(null);
            }
            case '/' -> prompt(m.get("search.prompt"), view.idPrefix).ifPresent(t -> {
              view.searchId(t);
              applyView(null);
            });
            case 'y' -> sync();
            case '?' -> help();
            default -> { }
          }
        }
        default -> { }
      }
    }
  }

  /** One case, until the reviewer goes back; true if anything was recorded, sent or synced. */
  private boolean caseLoop(String id) throws IOException {
    List<String> text = show(id);
    boolean changed = false;
    int scroll = 0;
    while (true) {
      Screen s = screen();
      List<String> wrapped = s.wrap(text);
      int height = s.rows - 1 - s.footerRows(message, m.get("case.help"));
      scroll = Math.max(0, Math.min(scroll, wrapped.size() - height));
      s.bar(0, m.format("case.title", id.substring(0, 12)) + " · " + unlocked.alias() + "@" + home.serverName());
      for (int i = 0; i < height && scroll + i < wrapped.size(); i++) {
        s.put(1 + i, wrapped.get(scroll + i));
      }
      s.footer(message, m.get("case.help"));
      s.show(-1, -1);
      Key k = keys.next();
      String before = message;
      message = "";
      switch (k.kind()) {
        case EOF -> {
          return changed;
        }
        case UP -> scroll--;
        case DOWN -> scroll++;
        case PAGE_UP -> scroll -= height - 1;
        case PAGE_DOWN, TAB -> scroll += height - 1;
        case HOME -> scroll = 0;
        case END -> scroll = wrapped.size();
        case ESC, LEFT -> {
          return changed;
        }
        case CHAR -> {
          boolean acted = switch (k.ch()) {
            case 'q', 'Q' -> {
              yield false;
            }
            case 'a' -> act(new TriageCommands.Ack(), id);
            case 'u' -> assign(id);
            case 't' -> choose(m.get("menu.status"), TriageCommands.SETTABLE.stream().map(Inbox::wire).toList())
                .map(st -> act(new TriageCommands.SetStatus(), id, st)).orElseGet(this::cancelled);
            case 'p' -> choose(m.get("menu.priority"), Arrays.stream(Priority.values()).map(Inbox::wire).toList())
                .map(p -> act(new TriageCommands.SetPriority(), id, p)).orElseGet(this::cancelled);
            case 'c' -> choose(m.get("menu.outcome"), Arrays.stream(Outcome.values()).map(Inbox::wire).toList())
                .map(o -> act(new TriageCommands.Close(), id, o)).orElseGet(this::cancelled);
            case 'n' -> edit(m.get("editor.note"), "", CaseAction.MAX_NOTE_CHARS)
                .map(t -> act(new TriageCommands.Note(), id, "--text=" + t)).orElseGet(this::cancelled);
            case 'f' -> edit(m.get("editor.feedback"), "", CaseAction.MAX_NOTE_CHARS)
                .map(t -> act(new TriageCommands.Feedback(), id, "--note=" + t)).orElseGet(this::cancelled);
            case 'd' -> refer(id);
            case 'r' -> reply(id);
            case 'y' -> {
              sync();
              yield true;
            }
            case '?' -> {
              help();
              message = before;
              yield false;
            }
            default -> {
              message = before;
              yield false;
            }
          };
          if (k.ch() == 'q' || k.ch() == 'Q') {
            return changed;
          }
          if (acted) {
            changed = true;
            text = show(id);
          }
        }
        default -> message = before;
      }
    }
  }

  private static String wire(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  private boolean cancelled() {
    message = m.get("cancelled");
    return false;
  }

  // ---- actions: the tool's own commands ------------------------------------------------------

  /** Runs one triage command on the case; its message (or refusal) goes to the message line. */
  private boolean act(Object command, String id, String... args) {
    busy(m.get("working"));
    List<String> all = new ArrayList<>(List.of(id));
    all.addAll(List.of(args));
    Commands.Result r = commands.run(command, all.toArray(String[]::new));
    message = r.message();
    return true;
  }

  private List<String> show(String id) {
    busy(m.get("working"));
    Commands.Result r = commands.run(new ShowCommand(), id, "--lang=" + m.language);
    if (!r.ok()) {
      message = r.message();
      return List.of(r.message());
    }
    return r.out().lines().toList();
  }

  private void sync() {
    busy(m.get("syncing"));
    Commands.Result r = commands.run(new SyncCommand());
    message = r.message();
    reloadRows();
  }

  private boolean assign(String id) {
    List<String> aliases;
    try {
      aliases = Assignees.assignable(LocalCache.open(home.home(), home.serverName()), RemoteSession.server(home));
    } catch (IOException | CliException e) {
      message = e.getMessage();
      return false;
    }
    List<String> options = new ArrayList<>(aliases);
    options.add(m.get("menu.assign.none"));
    Optional<String> who = choose(m.get("menu.assign"), options);
    if (who.isEmpty()) {
      return cancelled();
    }
    return who.get().equals(m.get("menu.assign.none")) ? act(new TriageCommands.Assign(), id, "--none")
        : act(new TriageCommands.Assign(), id, who.get());
  }

  private boolean refer(String id) {
    Optional<String> to = choose(m.get("menu.refer"), Arrays.stream(ReferralTarget.values()).map(Inbox::wire).toList());
    if (to.isEmpty()) {
      return cancelled();
    }
    ReferralTarget target = ReferralTarget.valueOf(to.get().toUpperCase(Locale.ROOT));
    List<String> args = new ArrayList<>(List.of("--to=" + to.get()));
    if (target.needsState()) {
      Optional<String> st = prompt(m.get("prompt.state"), "");
      if (st.isEmpty()) {
        return cancelled();
      }
      args.add("--state=" + st.get().strip());
    }
    if (target == ReferralTarget.OTHER) {
      Optional<String> inst = prompt(m.get("prompt.institution"), "");
      if (inst.isEmpty()) {
        return cancelled();
      }
      args.add("--institution=" + inst.get().strip());
    }
    Optional<String> ref = prompt(m.get("prompt.reference"), "");
    if (ref.isEmpty()) {
      return cancelled();
    }
    args.add("--reference=" + ref.get().strip());
    return act(new TriageCommands.Refer(), id, args.toArray(String[]::new));
  }

  /**
   * {@code reply}: the draft of {@link ReplyCommand#draft} in the editor, {@link ReplyCommand#check}'s
   * refusals (back to the editor with the reason), the final text shown for confirmation, then
   * {@link ReplyCommand#send}. Nothing is sent unless the reviewer says yes.
   */
  private boolean reply(String id) {
    busy(m.get("working"));
    StringWriter err = new StringWriter();
    ReplyCommand.Target target;
    try (RemoteSession s = RemoteSession.open(home, keystore, commands.passphrase())) {
      target = ReplyCommand.target(s, home, id, new PrintWriter(err, true));
    } catch (IOException | CryptoException | CliException | ClientException e) {
      message = failure(e);
      return false;
    }
    String draft;
    try {
      draft = ReplyCommand.draft(m.language, target.language());
    } catch (IOException e) {
      message = failure(e);
      return false;
    }
    while (true) {
      Optional<String> edited = edit(m.get("editor.reply"), draft, ReplyCommand.MAX_REPLY_CHARS * 2);
      if (edited.isEmpty()) {
        message = m.get("notSent");
        return false;
      }
      draft = edited.get();
      String text = ReplyCommand.withoutInstructions(draft);
      try {
        ReplyCommand.check(text);
      } catch (IOException | CliException e) {
        message = failure(e);
        continue;
      }
      if (!confirm(m.get("confirm.reply"), text, m.get("confirm.question"))) {
        message = m.get("notSent");
        return false;
      }
      busy(m.get("working"));
      StringWriter out = new StringWriter();
      try (RemoteSession s = RemoteSession.open(home, keystore, commands.passphrase())) {
        ReplyCommand.send(s, target, text, new PrintWriter(out, true), new PrintWriter(err, true));
        message = new Commands.Result(0, out.toString(), "").message()
            + (err.toString().isBlank() ? "" : " " + new Commands.Result(1, "", err.toString()).message());
      } catch (IOException | CryptoException | CliException | ClientException e) {
        message = failure(e);
      }
      return true;
    }
  }

  /** The one-line message of a failed action (as the command line's error handler words it). */
  private static String failure(Exception e) {
    if (e instanceof CliException || e instanceof ClientException) {
      return e.getMessage();
    }
    if (e instanceof CryptoException) {
      return "decryption or verification failed: wrong key, or the input was modified";
    }
    return "input/output error: " + e.getMessage();
  }

  private void reloadRows() {
    busy(m.get("working"));
    ReviewerIdentity identity = unlocked.copy();
    try {
      ReportIndex index = ReportIndex.forCommand(home, LocalCache.open(home.home(), home.serverName()), identity,
          new PrintWriter(new StringWriter(), true));
      all = CaseRows.read(index, Instant.now());
    } catch (IOException | CliException e) {
      message = failure(e);
    } finally {
      identity.destroy();
    }
    applyView(shown.isEmpty() ? null : shown.get(Math.min(selected, shown.size() - 1)).id());
  }

  /** Re-applies the view, keeping {@code keep} selected if it is still shown. */
  private void applyView(String keep) {
    shown = view.apply(all);
    selected = 0;
    if (keep != null) {
      for (int i = 0; i < shown.size(); i++) {
        if (shown.get(i).id().equals(keep)) {
          selected = i;
        }
      }
    }
    top = Math.max(0, Math.min(top, selected));
  }

  private void move(int by) {
    if (!shown.isEmpty()) {
      selected = Math.max(0, Math.min(shown.size() - 1, selected + by));
    }
  }

  private int listHeight() {
    Screen s = screen();
    return s.rows - 3 - s.footerRows(message, m.get("list.help"));
  }

  private void drawList() {
    Screen s = screen();
    int height = listHeight();
    if (selected < top) {
      top = selected;
    } else if (selected >= top + height) {
      top = selected - height + 1;
    }
    s.bar(0, m.get("title") + " · " + unlocked.alias() + "@" + home.serverName());
    s.put(1, m.format("list.summary", shown.size(), all.size(), m.get("sort." + view.sort.name().toLowerCase(Locale.ROOT)),
        switch (view.status) {
          case "all" -> m.get("filter.all");
          case "open" -> m.get("filter.open");
          default -> view.status;
        }, view.language.isEmpty() ? m.get("filter.any") : view.language,
        view.overdueOnly ? m.get("filter.on") : m.get("filter.off"))
        + (view.idPrefix.isEmpty() ? "" : m.format("list.id", view.idPrefix)));
    s.put(2, CaseRows.header(m, s.cols), BOLD);
    if (shown.isEmpty()) {
      s.put(4, m.get("list.empty"));
    }
    for (int i = 0; i < height && top + i < shown.size(); i++) {
      CaseRows.Row r = shown.get(top + i);
      s.put(3 + i, CaseRows.format(r, m, s.cols), top + i == selected ? BAR : AttributedStyle.DEFAULT);
    }
    s.footer(message, m.get("list.help"));
    s.show(-1, -1);
  }

  private void help() throws IOException {
    Screen s = screen();
    s.bar(0, m.get("help.title"));
    List<String> lines = s.wrap(m.get("help.text").lines().toList());
    for (int i = 0; i < lines.size() && i < s.rows - 2; i++) {
      s.put(1 + i, lines.get(i));
    }
    s.show(-1, -1);
    keys.next();
  }

  // ---- modal input ---------------------------------------------------------------------------

  /** A menu of {@code options}; empty if cancelled. */
  private Optional<String> choose(String title, List<String> options) {
    int at = 0;
    while (true) {
      Screen s = screen();
      s.bar(0, title);
      int height = s.rows - 1 - s.footerRows(message, m.get("menu.help"));
      int first = Math.max(0, at - height + 1);
      for (int i = 0; i < height && first + i < options.size(); i++) {
        String o = (first + i == at ? "> " : "  ") + options.get(first + i);
        s.put(1 + i, o, first + i == at ? BAR : AttributedStyle.DEFAULT);
      }
      s.footer(message, m.get("menu.help"));
      s.show(-1, -1);
      Key k = nextKey();
      switch (k.kind()) {
        case UP -> at = Math.max(0, at - 1);
        case DOWN -> at = Math.min(options.size() - 1, at + 1);
        case HOME -> at = 0;
        case END -> at = options.size() - 1;
        case ENTER -> {
          return Optional.of(options.get(at));
        }
        case ESC, EOF -> {
          return Optional.empty();
        }
        case CTRL -> {
          if (k.isCtrl('C')) {
            return Optional.empty();
          }
        }
        default -> { }
      }
    }
  }

  /** One line of text; empty if cancelled. */
  private Optional<String> prompt(String label, String initial) {
    StringBuilder b = new StringBuilder(initial);
    while (true) {
      Screen s = screen();
      s.bar(0, m.get("title"));
      String shownText = Text.cell(b.toString(), 400);
      int room = Math.max(1, s.cols - label.length() - 1);
      String tail = shownText.length() > room ? shownText.substring(shownText.length() - room) : shownText;
      s.put(2, label + tail);
      s.footer(message, m.get("prompt.help"));
      terminal.puts(Capability.cursor_visible);
      s.show(2, Math.min(s.cols - 1, label.length() + tail.length()));
      Key k = nextKey();
      switch (k.kind()) {
        case ENTER -> {
          terminal.puts(Capability.cursor_invisible);
          return Optional.of(b.toString());
        }
        case ESC, EOF -> {
          terminal.puts(Capability.cursor_invisible);
          return Optional.empty();
        }
        case BACKSPACE -> {
          if (b.length() > 0) {
            b.setLength(b.length() - 1);
          }
        }
        case CHAR -> {
          if (b.length() < 400) {
            b.appendCodePoint(k.ch());
          }
        }
        default -> { }
      }
    }
  }

  /** The multi-line editor; the text when finished with Ctrl-X, empty if cancelled or blank. */
  private Optional<String> edit(String title, String initial, int maxChars) {
    TextArea area = new TextArea(initial, maxChars);
    area.toPlaceholder();
    int top = 0;
    try {
      terminal.puts(Capability.cursor_visible);
      while (true) {
        Screen s = screen();
        s.bar(0, title);
        int height = s.rows - 1 - s.footerRows(message, m.get("editor.help"));
        List<TextArea.Visual> wrapped = area.wrap(s.cols - 1);
        int[] cur = area.cursor(wrapped);
        if (cur[0] < top) {
          top = cur[0];
        } else if (cur[0] >= top + height) {
          top = cur[0] - height + 1;
        }
        for (int i = 0; i < height && top + i < wrapped.size(); i++) {
          s.put(1 + i, Text.safe(wrapped.get(top + i).text()));
        }
        s.footer(message, m.get("editor.help"));
        s.show(1 + cur[0] - top, s.columns(Text.safe(wrapped.get(cur[0]).text()), cur[1]));
        Key k = nextKey();
        while (k.kind() == Key.Kind.CHAR && keys.ready()) {
          area.apply(k);
          k = nextKey();
        }
        if (k.isCtrl('X') || k.isCtrl('D')) {
          message = "";
          String t = area.text();
          return t.isBlank() ? Optional.empty() : Optional.of(t);
        }
        if (k.kind() == Key.Kind.ESC || k.kind() == Key.Kind.EOF || k.isCtrl('C')) {
          return Optional.empty();
        }
        area.apply(k);
      }
    } finally {
      area.erase();
      terminal.puts(Capability.cursor_invisible);
    }
  }

  /** Shows {@code text} under {@code title} and asks {@code question}; true only for s/y. */
  private boolean confirm(String title, String text, String question) {
    int scroll = 0;
    while (true) {
      Screen s = screen();
      s.bar(0, title);
      List<String> lines = s.wrap(text.lines().map(Text::safe).toList());
      int height = s.rows - 3 - s.footerRows(question, m.get("confirm.help"));
      scroll = Math.max(0, Math.min(scroll, lines.size() - height));
      s.put(1, "-".repeat(Math.min(40, s.cols)));
      for (int i = 0; i < height && scroll + i < lines.size(); i++) {
        s.put(2 + i, lines.get(scroll + i));
      }
      s.put(2 + Math.min(height, lines.size()), "-".repeat(Math.min(40, s.cols)));
      s.footer(question, m.get("confirm.help"));
      s.show(-1, -1);
      Key k = nextKey();
      switch (k.kind()) {
        case UP -> scroll--;
        case DOWN -> scroll++;
        case PAGE_UP -> scroll -= height - 1;
        case PAGE_DOWN -> scroll += height - 1;
        case CHAR -> {
          int c = Character.toLowerCase(k.ch());
          if (c == 's' || c == 'y') {
            return true;
          }
          if (c == 'n') {
            return false;
          }
        }
        case ESC, EOF -> {
          return false;
        }
        default -> { }
      }
    }
  }

  private Key nextKey() {
    try {
      return keys.next();
    } catch (IOException e) {
      return Key.of(Key.Kind.EOF);
    }
  }

  private void busy(String what) {
    Screen s = screen();
    s.bar(0, m.get("title"));
    s.put(s.rows / 2, what);
    s.show(-1, -1);
  }

  private Screen screen() {
    Size size = terminal.getSize();
    int rows = Math.max(1, size.getRows());
    int cols = Math.max(1, size.getColumns());
    return new Screen(rows, cols);
  }

  /** One frame: {@code rows} lines of at most {@code cols} columns, drawn by JLine's {@link Display}. */
  private final class Screen {
    final int rows;
    final int cols;
    final List<AttributedString> lines = new ArrayList<>();

    Screen(int rows, int cols) {
      this.rows = rows;
      this.cols = cols;
      for (int i = 0; i < rows; i++) {
        lines.add(AttributedString.EMPTY);
      }
    }

    void put(int row, String text) {
      put(row, text, AttributedStyle.DEFAULT);
    }

    /** Puts one line, made safe (no control or bidi characters) and cut to the width. */
    void put(int row, String text, AttributedStyle style) {
      if (row < 0 || row >= rows) {
        return;
      }
      String safe = Text.safe(text).replace('\n', ' ').replace('\t', ' ');
      AttributedString a = new AttributedString(safe, style);
      if (a.columnLength() > cols) {
        a = a.columnSubSequence(0, cols);
      }
      if (style != AttributedStyle.DEFAULT && a.columnLength() < cols) {
        a = new AttributedString(a.toString() + " ".repeat(cols - a.columnLength()), style);
      }
      lines.set(row, a);
    }

    void bar(int row, String text) {
      put(row, text, BAR);
    }

    int helpRows(String help) {
      return help.length() <= cols ? 1 : 2;
    }

    /** The rows the footer takes: the message (one or two rows) and the help bar. */
    int footerRows(String msg, String help) {
      return helpRows(help) + messageLines(msg).size();
    }

    private List<String> messageLines(String msg) {
      List<String> w = wrap(List.of(msg == null ? "" : msg));
      return w.size() <= 2 ? w : List.of(w.get(0), Text.cell(w.get(1) + " " + w.get(2), cols));
    }

    /** The message line and the help bar (one or two rows, split at a space) at the bottom. */
    void footer(String msg, String help) {
      int h = helpRows(help);
      if (h == 1) {
        bar(rows - 1, help);
      } else {
        int cut = help.lastIndexOf(' ', Math.min(help.length() - 1, cols));
        cut = cut <= 0 ? Math.min(cols, help.length()) : cut;
        bar(rows - 2, help.substring(0, cut));
        bar(rows - 1, help.substring(cut).strip());
      }
      List<String> ml = messageLines(msg);
      for (int i = 0; i < ml.size(); i++) {
        put(rows - h - ml.size() + i, ml.get(i), BOLD);
      }
    }

    /**
     * Lines wrapped at the width by columns (wide characters fit), at a space where one falls
     * in the last third of the row, else mid-word.
     */
    List<String> wrap(List<String> text) {
      List<String> out = new ArrayList<>();
      for (String l : text) {
        AttributedString rest = new AttributedString(Text.safe(l).replace('\t', ' '));
        while (rest.columnLength() > cols) {
          AttributedString head = rest.columnSubSequence(0, cols);
          int space = head.toString().lastIndexOf(' ');
          int cut = space > head.length() * 2 / 3 ? space + 1 : Math.max(1, head.length());
          out.add(rest.subSequence(0, cut).toString());
          rest = rest.subSequence(cut, rest.length());
        }
        out.add(rest.toString());
      }
      return out;
    }

    /** The column of character {@code index} of {@code text}. */
    int columns(String text, int index) {
      return new AttributedString(text.substring(0, Math.min(index, text.length()))).columnLength();
    }

    void show(int cursorRow, int cursorCol) {
      if (rows < MIN_ROWS || cols < MIN_COLS) {
        for (int i = 0; i < rows; i++) {
          lines.set(i, AttributedString.EMPTY);
        }
        lines.set(0, new AttributedString(Text.cell(m.format("tooSmall", MIN_COLS, MIN_ROWS), cols)));
        cursorRow = -1;
      }
      Size size = new Size(cols, rows);
      if (!size.equals(shownSize)) {
        // After a resize the terminal may have reflowed what was on it: start from a clear screen.
        display.clear();
        shownSize = size;
      }
      display.resize(rows, cols);
      display.update(lines, cursorRow < 0 ? -1 : size.cursorPos(cursorRow, cursorCol));
      terminal.flush();
    }
  }
}
