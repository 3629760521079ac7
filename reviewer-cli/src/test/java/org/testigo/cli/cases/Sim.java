package org.testigo.cli.cases;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.testigo.crypto.event.CaseId;
import org.testigo.crypto.event.EventId;
import org.testigo.crypto.event.SignedCaseEvent;
import org.testigo.crypto.sign.SigningPrivateKey;

/** Builds opened events quickly (no sealing) for replay tests: a reviewer with a local view. */
final class Sim {
  static final CaseId CASE = CaseId.fromHex("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");

  final String alias;
  final SigningPrivateKey key;
  final List<OpenedCaseEvent> known = new ArrayList<>();
  Instant clock = Instant.parse("2026-03-02T09:00:00Z");

  Sim(String alias) {
    this.alias = alias;
    this.key = SigningPrivateKey.fromSeed(sha256("sim:" + alias));
  }

  /** Makes an event on top of this reviewer's view and adds it to the view. */
  OpenedCaseEvent act(CaseAction action) {
    return act(CASE, action);
  }

  OpenedCaseEvent act(CaseId caseId, CaseAction action) {
    List<SignedCaseEvent> mine = new ArrayList<>();
    long lamport = 0;
    for (OpenedCaseEvent o : known) {
      mine.add(o.event());
      lamport = Math.max(lamport, o.event().lamport());
    }
    List<EventId> parents = new ArrayList<>();
    List<SignedCaseEvent> heads = CaseReplay.heads(mine);
    for (int i = Math.max(0, heads.size() - 16); i < heads.size(); i++) {
      parents.add(heads.get(i).eventId());
    }
    clock = clock.plusSeconds(60);
    SignedCaseEvent e = SignedCaseEvent.signHash(key, caseId, lamport + 1, parents, clock,
        sha256(CaseContent.encode(action).length + ":" + new String(CaseContent.encode(action),
            StandardCharsets.UTF_8) + alias + clock));
    OpenedCaseEvent o = new OpenedCaseEvent(e, alias, action);
    known.add(o);
    return o;
  }

  /** Learns events made by others. */
  void learn(Collection<OpenedCaseEvent> events) {
    for (OpenedCaseEvent e : events) {
      if (known.stream().noneMatch(k -> k.event().eventId().equals(e.event().eventId()))) {
        known.add(e);
      }
    }
  }

  static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
