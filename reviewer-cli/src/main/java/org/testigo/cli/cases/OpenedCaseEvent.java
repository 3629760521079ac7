package org.testigo.cli.cases;

import java.util.Objects;
import org.testigo.crypto.event.SignedCaseEvent;

/**
 * A case event whose signature and author were verified against the key manifest, with its
 * content opened. {@code action} is null when the content could not be read by this
 * reviewer (not a recipient of the sealed content, e.g. added to the team later, or content
 * that is not valid JSON v1); such events stay in the history and change no state.
 */
public record OpenedCaseEvent(SignedCaseEvent event, String authorAlias, CaseAction action) {
  public OpenedCaseEvent {
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(authorAlias, "authorAlias");
  }

  public boolean readable() {
    return action != null;
  }
}
