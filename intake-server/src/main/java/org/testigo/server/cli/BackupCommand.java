package org.testigo.server.cli;

import io.dropwizard.core.cli.Cli;
import io.dropwizard.core.cli.Command;
import io.dropwizard.core.setup.Bootstrap;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import net.sourceforge.argparse4j.inf.Namespace;
import net.sourceforge.argparse4j.inf.Subparser;
import org.testigo.crypto.key.RecipientPublicKey;
import org.testigo.server.backup.BackupArchive;
import org.testigo.server.backup.BackupFailure;
import org.testigo.server.backup.BackupKeyDirectory;
import org.testigo.server.backup.BackupPeriod;
import org.testigo.server.backup.BackupRetention;

/**
 * {@code backup key|seal|open|shred [options]}: sealed, crypto-shredded backups
 * (docs/spec/retention-and-erasure.md §7), run by {@code ops/backup/testigo-backup.sh} and
 * {@code testigo-restore.sh} on the server host as root. Needs no configuration file.
 *
 * <ul>
 *   <li>{@code key}: makes (once) and shows the key pair of the period;</li>
 *   <li>{@code seal --out FILE [--in FILE]}: seals the archive (standard input by default) to
 *       the period's key, making the key pair on first use;</li>
 *   <li>{@code open --in FILE --out FILE}: opens a sealed backup with the key of its period;</li>
 *   <li>{@code shred (--keep-months N | --manifest FILE --root-fingerprint FILE)}: destroys the
 *       keys of periods more than N months before the current one (N from the retention policy
 *       of the manifest in force when not given), and names each period destroyed.</li>
 * </ul>
 * Exit codes: 0 done; 1 other failure; 3 the backup's period key was destroyed on schedule;
 * 4 no key matches the backup; 5 not a sealed backup, or altered, truncated or damaged.
 */
public final class BackupCommand extends Command {
  private final Clock clock;

  public BackupCommand() {
    this(Clock.systemUTC());
  }

  BackupCommand(Clock clock) {
    super("backup", "Sealed backups: 'backup key|seal|open|shred' (see ops/runbooks/backups.md).");
    this.clock = clock;
  }

  @Override
  public void configure(Subparser subparser) {
    subparser.addArgument("action").choices("key", "seal", "open", "shred")
        .help("key: make/show the period's key pair; seal: seal an archive; open: open a sealed backup;"
            + " shred: destroy the keys of expired periods");
    subparser.addArgument("--key-dir").dest("keyDir").metavar("DIR")
        .setDefault(BackupKeyDirectory.DEFAULT.toString())
        .help("the backup key directory (default " + BackupKeyDirectory.DEFAULT + ", mode 0700)");
    subparser.addArgument("--period").metavar("YYYY-MM")
        .help("the current period (UTC month); default: this month by the system clock");
    subparser.addArgument("--in").metavar("FILE").help("seal: the archive (default: standard input);"
        + " open: the sealed backup");
    subparser.addArgument("--out").metavar("FILE").help("seal: the sealed backup to write;"
        + " open: the archive to write (both must not exist)");
    subparser.addArgument("--keep-months").dest("keepMonths").type(Integer.class).metavar("N")
        .help("shred: keep the keys of the current period and the N before it; destroy older ones");
    subparser.addArgument("--manifest").metavar("FILE")
        .help("shred without --keep-months: N from the retention policy of this manifest chain's manifest in"
            + " force (ceil(longest retention in days / 30) + 1)");
    subparser.addArgument("--root-fingerprint").dest("rootFingerprint").metavar("FILE")
        .help("with --manifest: the pinned root fingerprint file the chain is verified from");
  }

  @Override
  public void run(Bootstrap<?> bootstrap, Namespace ns) throws Exception {
    SecureRandom random = new SecureRandom();
    Instant now = clock.instant();
    BackupPeriod current = period(ns.getString("period"), now);
    BackupKeyDirectory keys = BackupKeyDirectory.open(Path.of(ns.getString("keyDir")), random);
    switch (ns.getString("action")) {
      case "key" -> {
        RecipientPublicKey pk = keys.ensureKey(current);
        System.out.println("backup key of period " + current + ": fingerprint " + pk.fingerprint().hex()
            + " (" + keys.path().resolve(current + ".key") + ", " + current + ".pub)");
      }
      case "seal" -> {
        Path out = Path.of(required(ns, "out", "seal"));
        RecipientPublicKey pk = keys.ensureKey(current);
        String inName = ns.getString("in");
        try (InputStream in = inName == null || "-".equals(inName) ? System.in
            : new BufferedInputStream(Files.newInputStream(Path.of(inName)), 1 << 16)) {
          BackupArchive.seal(in, out, pk, random);
        } catch (IOException e) {
          throw new BackupFailure(BackupFailure.GENERAL, "cannot read " + inName + ": " + e.getMessage());
        }
        System.out.println("sealed " + out + " to the backup key of period " + current + " ("
            + pk.fingerprint().shortForm() + ")");
      }
      case "open" -> {
        Path in = Path.of(required(ns, "in", "open"));
        Path out = Path.of(required(ns, "out", "open"));
        BackupPeriod period = BackupArchive.open(in, out, keys);
        System.out.println("opened " + in + " with the backup key of period " + period + " into " + out);
      }
      case "shred" -> {
        Integer keep = ns.getInt("keepMonths");
        if (keep == null && ns.getString("manifest") != null) {
          if (ns.getString("rootFingerprint") == null) {
            throw new BackupFailure(BackupFailure.GENERAL, "--manifest needs --root-fingerprint FILE");
          }
          OptionalInt derived = BackupRetention.fromManifest(Path.of(ns.getString("manifest")),
              Path.of(ns.getString("rootFingerprint")), now);
          if (derived.isEmpty()) {
            System.out.println("the manifest in force has no retention policy: no backup key destroyed"
                + " (give --keep-months N to destroy keys by age)");
            return;
          }
          keep = derived.getAsInt();
        }
        if (keep == null || keep < 0 || keep > 1200) {
          throw new BackupFailure(BackupFailure.GENERAL, "shred needs --keep-months N (0..1200), the number"
              + " of periods kept before the current one, or --manifest FILE --root-fingerprint FILE");
        }
        List<BackupPeriod> shredded = keys.shredExpired(current, keep, now);
        for (BackupPeriod p : shredded) {
          System.out.println("shredded the backup key of period " + p
              + ": every backup of that period is now unreadable");
        }
        if (shredded.isEmpty()) {
          System.out.println("no backup key was due for destruction (keeping " + current + " and the "
              + keep + " periods before it)");
        }
      }
      default -> throw new IllegalStateException("unknown action");
    }
  }

  private static BackupPeriod period(String text, Instant now) throws BackupFailure {
    if (text == null) {
      return BackupPeriod.of(now);
    }
    try {
      return BackupPeriod.parse(text);
    } catch (IllegalArgumentException e) {
      throw new BackupFailure(BackupFailure.GENERAL, e.getMessage());
    }
  }

  private static String required(Namespace ns, String option, String action) throws BackupFailure {
    String v = ns.getString(option);
    if (v == null) {
      throw new BackupFailure(BackupFailure.GENERAL, action + " needs --" + option + " FILE");
    }
    return v;
  }

  /** A refusal is one clear line on standard error; its exit code is set by the application. */
  @Override
  public void onError(Cli cli, Namespace namespace, Throwable e) {
    if (e instanceof BackupFailure) {
      cli.getStdErr().println("backup: " + e.getMessage());
    } else {
      super.onError(cli, namespace, e);
    }
  }
}
