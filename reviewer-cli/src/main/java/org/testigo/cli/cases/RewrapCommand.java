package org.testigo.cli.cases;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import me.tongfei.progressbar.ProgressBar;
import org.testigo.api.ApiPaths;
import org.testigo.cli.common.CliException;
import org.testigo.cli.common.ExitCodes;
import org.testigo.cli.common.HomeOptions;
import org.testigo.cli.common.KeystoreOption;
import org.testigo.cli.common.PassphraseOptions;
import org.testigo.cli.common.ProgressBars;
import org.testigo.cli.remote.LocalCache;
import org.testigo.cli.remote.RemoteSession;
import org.testigo.crypto.CryptoException;
import org.testigo.crypto.Fingerprint;
import org.testigo.crypto.envelope.Envelope;
import org.testigo.crypto.envelope.EnvelopeInfo;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.crypto.manifest.KeyManifest;
import org.testigo.crypto.manifest.ReviewerEntry;
import org.testigo.crypto.manifest.SignedManifest;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code rewrap [--all | ID...] [--dry-run]}: after the key manifest changed, re-seals the
 * file keys of cached submissions whose header is not sealed to exactly the current
 * manifest's reviewers, so that new reviewers can open them (docs/spec/reviewer-api-and-batches.md §5),
 * then the contents of the cases' events ({@code content_rewrap} events, {@link EventRewrapper};
 * docs/spec/case-events.md §6). Verifies
 * the manifest chain from the pinned root and applies other reviewers' rewraps to the cache
 * first; then, for each stale envelope, opens its header with this reviewer's key, seals the
 * same file key to the current reviewers ({@link Envelope#rewrapHeader}), uploads the new
 * header and puts it into the cache. Payloads are never re-encrypted or re-sent.
 *
 * <p>Resumable: each envelope is uploaded and cached on its own, and one already sealed to
 * the current reviewers is skipped, so an interrupted run continues where it stopped; a
 * retried upload of the same header is stored once by the server.
 *
 * <p>WARNING: rewrapping does not revoke. A departed reviewer who kept an envelope (or only
 * its file key) can still read it; rewrapping only makes it readable to the new reviewers.
 */
@Command(name = "rewrap", mixinStandardHelpOptions = true,
    description = "Re-seal cached reports to the current manifest's reviewers (after a reviewer joined or left).")
public final class RewrapCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin HomeOptions home;
  @Mixin KeystoreOption keystore;
  @Mixin PassphraseOptions passphrase;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  static final class Which {
    @Option(names = "--all", required = true, description = "Every cached submission that needs it.")
    boolean all;
    @Parameters(paramLabel = "ID", arity = "1..*", description = "Submission ids (or unique prefixes of 6+ hex characters).")
    List<String> ids;
  }

  @Option(names = "--dry-run", description = "Only list what would be rewrapped; upload nothing.")
  boolean dryRun;

  /** What one cached submission needs. */
  enum State { CURRENT, STALE, NOT_MINE }

  record Candidate(LocalCache.Submission submission, State state, Set<String> departed, Set<String> missing) {}

  @Override
  public Integer call() throws IOException, CryptoException {
    PrintWriter out = spec.commandLine().getOut();
    try (RemoteSession s = RemoteSession.open(home, keystore, passphrase)) {
      KeyManifest manifest = SyncCommand.syncManifest(s);
      int applied = Rewraps.sync(s.client, s.cache, s.identity.encryptionKey());
      Instant now = Instant.now();
      if (manifest.reviewerBySigningKey(s.identity.signingKey().publicKey(), now)
          .filter(ReviewerEntry::receivesReports).isEmpty()) {
        throw new CliException(ExitCodes.REFUSED, "your key is not a reviewer of the current manifest #"
            + manifest.sequence() + "; only a current reviewer can rewrap");
      }
      List<RecipientPublicKey> recipients = manifest.recipients(now);
      List<Candidate> candidates = new ArrayList<>();
      List<KeyManifest> chain = new ArrayList<>();
      try {
        SignedManifest.parseArmored(s.cache.manifest().orElse("")).forEach(m -> chain.add(m.manifest()));
      } catch (CryptoException | RuntimeException e) {
        chain.add(manifest); // verified just now by syncManifest; aliases of departed keys are then unknown
      }
      for (LocalCache.Submission sub : selected(s.cache)) {
        candidates.add(assess(s, sub, chain, recipients));
      }
      List<Candidate> stale = candidates.stream().filter(c -> c.state() != State.CURRENT).toList();
      long notMine = stale.stream().filter(c -> c.state() == State.NOT_MINE).count();
      if (applied > 0) {
        out.println(applied + " header(s) rewrapped by other reviewers were applied to the cache");
      }
      if (dryRun) {
        for (Candidate c : stale) {
          out.println(c.submission().id().substring(0, 12) + "  " + c.submission().context() + "  "
              + c.submission().receivedDay() + "  " + describe(c)
              + (c.state() == State.NOT_MINE ? "  (you are not a recipient: another reviewer must rewrap it)" : ""));
        }
        out.println("Dry run: " + (stale.size() - notMine) + " envelope(s) would be rewrapped to manifest #"
            + manifest.sequence() + ", " + notMine + " you cannot open, " + (candidates.size() - stale.size())
            + " already current; nothing was uploaded");
        EventRewrapper.Result ev = EventRewrapper.run(s, manifest, recipients, caseFilter(s.cache), true, out);
        out.println("Dry run: " + ev.rewrapped() + " case event content(s) would be rewrapped, " + ev.notMine()
            + " you cannot open, " + ev.current() + " already current");
        return ExitCodes.OK;
      }
      int done = 0;
      List<String> failed = new ArrayList<>();
      SecureRandom random = new SecureRandom();
      try (ProgressBar bar = progressBar(stale.size() - (int) notMine)) {
        for (Candidate c : stale) {
          if (c.state() == State.NOT_MINE) {
            continue;
          }
          String id = c.submission().id();
          byte[] header;
          try (InputStream in = Files.newInputStream(s.cache.envelope(id))) {
            header = Envelope.rewrapHeader(in, s.identity.encryptionKey(), c.submission().context(), recipients,
                random);
          } catch (CryptoException e) {
            failed.add(id.substring(0, 12) + ": its header does not open with your key (damaged, or not for you)");
            bar.step();
            continue;
          }
          // read leniently (not RewrapStored): an answer without its hashes is this envelope's
          // mismatch, reported with the others, not the end of the run
          JsonNode answer = s.client.post(ApiPaths.reviewerRewrap(id), header);
          var replaced = s.cache.replaceHeader(id, header, answer.path("sha256").asText(),
              answer.path("generation").asInt(), s.identity.encryptionKey());
          switch (replaced) {
            case REPLACED -> done++;
            case MISMATCH -> failed.add(id.substring(0, 12) + ": the server's answer does not match the uploaded header;"
                + " run sync");
            case DOES_NOT_OPEN -> failed.add(id.substring(0, 12) + ": uploaded, but the new header does not open with"
                + " your key; your cached copy keeps its previous header");
          }
          bar.step();
        }
      }
      out.println("Rewrapped " + done + " envelope(s) to manifest #" + manifest.sequence() + " ("
          + recipients.size() + " reviewer(s)); " + (candidates.size() - stale.size()) + " already current"
          + (notMine > 0 ? "; " + notMine + " you cannot open (not a recipient): another reviewer who is must"
              + " run rewrap" : ""));
      EventRewrapper.Result ev = EventRewrapper.run(s, manifest, recipients, caseFilter(s.cache), false, out);
      out.println("Rewrapped " + ev.rewrapped() + " case event content(s) (content_rewrap events); " + ev.current()
          + " already current" + (ev.notMine() > 0 ? "; " + ev.notMine() + " you cannot open: another reviewer who"
              + " can must run rewrap" : ""));
      failed.addAll(ev.failed());
      for (String f : failed) {
        spec.commandLine().getErr().println("testigo-reviewer: " + f);
      }
      return failed.isEmpty() ? ExitCodes.OK : ExitCodes.CRYPTO;
    }
  }

  /** The cases whose events are rewrapped: every case with --all, else the cases of the ids given. */
  private Set<String> caseFilter(LocalCache cache) throws IOException {
    if (which.all) {
      return null;
    }
    Set<String> out = new java.util.TreeSet<>();
    for (LocalCache.Submission sub : selected(cache)) {
      out.add(sub.caseId());
    }
    return out;
  }

  private List<LocalCache.Submission> selected(LocalCache cache) throws IOException {
    if (which.all) {
      return cache.submissions();
    }
    Set<LocalCache.Submission> out = new LinkedHashSet<>();
    for (String id : which.ids) {
      out.add(cache.find(id).orElseThrow(() -> new CliException(ExitCodes.BAD_INPUT, "no cached submission "
          + id + "; run sync first")));
    }
    return List.copyOf(out);
  }

  private static Candidate assess(RemoteSession s, LocalCache.Submission sub, List<KeyManifest> chain,
      List<RecipientPublicKey> recipients) throws IOException {
    EnvelopeInfo info;
    try (InputStream in = Files.newInputStream(s.cache.envelope(sub.id()))) {
      info = Envelope.inspectHeader(in);
    } catch (CryptoException e) {
      throw new CliException(ExitCodes.CRYPTO, "the cached envelope " + sub.id() + " has no valid header;"
          + " delete it and run sync");
    }
    Set<Fingerprint> have = Set.copyOf(info.recipients());
    Set<Fingerprint> want = recipients.stream().map(RecipientPublicKey::fingerprint).collect(Collectors.toSet());
    if (have.equals(want)) {
      return new Candidate(sub, State.CURRENT, Set.of(), Set.of());
    }
    Set<String> departed = have.stream().filter(f -> !want.contains(f)).map(f -> alias(chain, f))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    Set<String> missing = want.stream().filter(f -> !have.contains(f)).map(f -> alias(chain, f))
        .collect(Collectors.toCollection(java.util.TreeSet::new));
    boolean mine = have.contains(s.identity.encryptionKey().publicKey().fingerprint());
    return new Candidate(sub, mine ? State.STALE : State.NOT_MINE, departed, missing);
  }

  /** The alias a key had in the newest manifest of the chain that lists it. */
  private static String alias(List<KeyManifest> chain, Fingerprint f) {
    for (int i = chain.size() - 1; i >= 0; i--) {
      for (ReviewerEntry e : chain.get(i).reviewers()) {
        if (e.encryptionKey().fingerprint().equals(f)) {
          return e.alias();
        }
      }
    }
    return "key " + f.shortForm();
  }

  private static String describe(Candidate c) {
    List<String> parts = new ArrayList<>();
    if (!c.departed().isEmpty()) {
      parts.add("sealed to departed " + String.join(", ", c.departed()));
    }
    if (!c.missing().isEmpty()) {
      parts.add("not to " + String.join(", ", c.missing()));
    }
    return String.join("; ", parts);
  }

  private static ProgressBar progressBar(int max) {
    return ProgressBars.of("rewrap", max);
  }

  /** Hex SHA-256, for comparing a downloaded header with the listed one. */
  static String sha256Hex(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static boolean isExactlyOneHeader(byte[] header) {
    try {
      return Envelope.inspectHeader(new ByteArrayInputStream(header)).headerLength() == header.length;
    } catch (CryptoException | IOException e) {
      return false;
    }
  }
}
