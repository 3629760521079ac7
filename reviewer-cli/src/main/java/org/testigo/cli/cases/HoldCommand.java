package org.testigo.cli.cases;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hold ID --reference TEXT} / {@code hold ID --release}: a signed {@code legal_hold}
 * event (docs/spec/retention-and-erasure.md §4). A case under hold is never due for erasure and
 * {@code erase} refuses it, whatever its state; a release lets the retention policy apply
 * again. A release of a case not under hold is refused, recording nothing.
 */
@Command(name = "hold", mixinStandardHelpOptions = true,
    description = {"Put a case under legal hold (it is then never erased, even when the retention policy makes"
        + " it due), or release the hold.",
        "hold ID --reference TEXT names the court order, prosecutor's request or other reason that requires"
            + " the case to be kept; hold ID --release lifts it."})
public final class HoldCommand extends TriageCommands.Append {
  @ArgGroup(exclusive = true, multiplicity = "1") Which which;

  static final class Which {
    @Option(names = "--reference", paramLabel = "TEXT",
        description = "The order or request that requires the hold, e.g. its number (1-200 characters).")
    String reference;
    @Option(names = "--release", description = "Release the hold in force.") boolean release;
  }

  @Override
  CaseAction action() {
    return which.release ? new CaseAction.LegalHold(false, null) : new CaseAction.LegalHold(true, which.reference);
  }
}
