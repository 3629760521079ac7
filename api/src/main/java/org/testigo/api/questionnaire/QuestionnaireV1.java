package org.testigo.api.questionnaire;

/**
 * The limits of questionnaire v1 (docs/spec/payload-and-questionnaire.md §2) that the server's form, the shelter's
 * interview and the reviewer tool's checks share. The closed lists are the enums of this
 * package ({@link AbuseCategory}, {@link Perpetrator}, {@link MxState}, {@link PlaceKind},
 * {@link Minors}, {@link Want}).
 */
public final class QuestionnaireV1 {
  /** The {@code version} of the document. */
  public static final int VERSION = 1;
  /** The payload part that holds a report's questionnaire, the first part. */
  public static final String PART = "questionnaire";
  /** The payload part that holds a follow-up's or reply's message. */
  public static final String MESSAGE_PART = "message";
  /** Short free-text fields ({@code whatOther}, {@code place}, {@code identifying.*}...). */
  public static final int SHORT_TEXT = 200;
  /** The narrative of a report and the message of a follow-up, in code points. */
  public static final int NARRATIVE = 20_000;
  /** The largest count of people harmed (and of minors among them). */
  public static final int MAX_COUNT = 9_999;

  private QuestionnaireV1() {}
}
