package org.testigo.cli.cases;

import java.util.ArrayList;
import java.util.List;

/**
 * What an institution did with a referral (content type {@code referral_update}). Each stage
 * belongs to one path: prosecutors (FGR, a state prosecutor's office) open an investigation
 * (carpeta de investigación), file charges, hold hearings and end in a sentence, an acquittal
 * or a dismissal; human-rights commissions (CNDH, a state commission) admit a complaint, may
 * conciliate, and issue a recommendation or dismiss. COMAR and other institutions have no
 * stages: their news is a note. {@link #rank} orders the stages of a path: a stage's date may
 * not precede the date of a lower-ranked stage of the same referral.
 */
public enum ReferralStage implements WireName {
  INVESTIGATION_OPENED(Path.PROSECUTION, 1),
  CHARGES_FILED(Path.PROSECUTION, 2),
  HEARING(Path.PROSECUTION, 3),
  SENTENCE(Path.PROSECUTION, 4),
  ACQUITTAL(Path.PROSECUTION, 4),
  DISMISSED(null, 4),
  COMPLAINT_ADMITTED(Path.COMMISSION, 1),
  CONCILIATION(Path.COMMISSION, 2),
  RECOMMENDATION_ISSUED(Path.COMMISSION, 3);

  /** The two accountability paths after a referral. */
  public enum Path { PROSECUTION, COMMISSION }

  private final Path path;
  private final int rank;

  ReferralStage(Path path, int rank) {
    this.path = path;
    this.rank = rank;
  }

  /** The path of a referral target, or null for COMAR and other institutions (no stages). */
  public static Path pathOf(ReferralTarget to) {
    return switch (to) {
      case FGR, FISCALIA_ESTATAL -> Path.PROSECUTION;
      case CNDH, COMISION_ESTATAL_DH -> Path.COMMISSION;
      case COMAR, OTHER -> null;
    };
  }

  /** True if this stage can be recorded for a referral to {@code to}. */
  public boolean allowedFor(ReferralTarget to) {
    Path p = pathOf(to);
    return p != null && (path == null || path == p);
  }

  /** Order within a path (dismissed ends either path). */
  public int rank(ReferralTarget to) {
    return this == DISMISSED && pathOf(to) == Path.COMMISSION ? 3 : rank;
  }

  /** The wire names of the stages allowed for {@code to}, in path order (dismissed last). */
  public static List<String> namesFor(ReferralTarget to) {
    List<ReferralStage> allowed = new ArrayList<>();
    for (ReferralStage s : values()) {
      if (s.allowedFor(to)) {
        allowed.add(s);
      }
    }
    allowed.sort(java.util.Comparator.comparingInt((ReferralStage s) -> s.rank(to))
        .thenComparing(s -> s == DISMISSED));
    return allowed.stream().map(ReferralStage::wire).toList();
  }
}
