package org.testigo.server.intake;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.testigo.api.EnvelopeId;
import org.testigo.crypto.receipt.ReceiptKeys;
import org.testigo.server.domain.InvalidInputException;
import org.testigo.server.domain.MailboxId;

/**
 * One Argon2id per visit (SECURITY.md, "One Argon2id per visit"). Once a source has typed the
 * receipt (or just filed a report), the keys derived from it are held in memory under a
 * random 128-bit capability for the rest of the visit: the pages carry the capability in a
 * hidden form field (never a cookie, never a URL), and the status page, follow-ups and replies
 * within the visit cost no derivation.
 *
 * <p>A capability opens exactly the mailbox it was made for. It ends after {@code idle} without
 * use, {@code maxAge} after it began, when the source presses "leave", or when the server
 * restarts; at most {@code maxVisits} exist, and beyond that the least recently used ends
 * first; one mailbox has at most {@link #PER_MAILBOX}, its own oldest ending first. Ended visits' keys are destroyed. Nothing here is stored or logged.
 */
public final class VisitService {
  /** Visits one mailbox may have at once (a phone, a shelter's computer, a retry or two). */
  static final int PER_MAILBOX = 4;

  private static final class Visit {
    final MailboxId mailbox;
    final ReceiptKeys keys;
    final Instant began;
    Instant lastUsed;
    boolean ended;

    Visit(MailboxId mailbox, ReceiptKeys keys, Instant now) {
      this.mailbox = mailbox;
      this.keys = keys;
      this.began = now;
      this.lastUsed = now;
    }

    synchronized void end() {
      if (!ended) {
        ended = true;
        keys.destroy();
      }
    }
  }

  /** What a request may use of a visit, while it holds it. */
  public record Opened(MailboxId mailbox, ReceiptKeys keys) {}

  private final int maxVisits;
  private final Duration idle;
  private final Duration maxAge;
  private final Clock clock;
  private final SecureRandom random;
  private final LinkedHashMap<String, Visit> visits = new LinkedHashMap<>(16, 0.75f, true);

  public VisitService(int maxVisits, Duration idle, Duration maxAge, Clock clock, SecureRandom random) {
    this.maxVisits = maxVisits;
    this.idle = idle;
    this.maxAge = maxAge;
    this.clock = clock;
    this.random = random;
  }

  /** Begins a visit holding {@code keys} (which it now owns) for {@code mailbox}; returns its capability. */
  public String begin(MailboxId mailbox, ReceiptKeys keys) {
    byte[] raw = new byte[16];
    random.nextBytes(raw);
    String capability = HexFormat.of().formatHex(raw);
    java.util.List<Visit> ended = new java.util.ArrayList<>();
    synchronized (this) {
      // At most PER_MAILBOX visits of one mailbox: typing one receipt again and again cannot
      // fill the table and push other sources' visits out (the oldest of its own ends instead).
      int same = 0;
      Map.Entry<String, Visit> oldestSame = null;
      for (Map.Entry<String, Visit> e : visits.entrySet()) {
        if (e.getValue().mailbox.equals(mailbox)) {
          same++;
          if (oldestSame == null) {
            oldestSame = e;
          }
        }
      }
      if (same >= PER_MAILBOX) {
        ended.add(visits.remove(oldestSame.getKey()));
      }
      if (visits.size() >= maxVisits) {
        Iterator<Map.Entry<String, Visit>> eldest = visits.entrySet().iterator();
        ended.add(eldest.next().getValue());
        eldest.remove();
      }
      visits.put(capability, new Visit(mailbox, keys, clock.instant()));
    }
    ended.forEach(Visit::end);
    return capability;
  }

  /**
   * Runs {@code use} with the visit's mailbox and keys (which stay valid until it returns);
   * {@link InvalidInputException} ({@code error.visit}) when the capability is malformed,
   * unknown or ended.
   */
  public <T> T use(String capability, Function<Opened, T> use) {
    Visit v = find(capability);
    synchronized (v) {
      if (v.ended) {
        throw new InvalidInputException("error.visit");
      }
      return use.apply(new Opened(v.mailbox, v.keys));
    }
  }

  /** Ends the visit now (the "leave" button); an unknown capability is not an error. */
  public void leave(String capability) {
    Visit v;
    synchronized (this) {
      v = capability == null ? null : visits.remove(capability);
    }
    if (v != null) {
      v.end();
    }
  }

  /** Ends every visit past its idle time or age. */
  public void sweep() {
    Instant now = clock.instant();
    java.util.List<Visit> ended = new java.util.ArrayList<>();
    synchronized (this) {
      for (Iterator<Visit> i = visits.values().iterator(); i.hasNext(); ) {
        Visit v = i.next();
        if (expired(v, now)) {
          i.remove();
          ended.add(v);
        }
      }
    }
    ended.forEach(Visit::end);
  }

  /** Visits open now (a gauge). */
  public synchronized int size() {
    return visits.size();
  }

  private Visit find(String capability) {
    if (!EnvelopeId.isCanonical(capability)) {
      throw new InvalidInputException("error.visit");
    }
    Instant now = clock.instant();
    Visit v;
    synchronized (this) {
      v = visits.get(capability);
      if (v != null && expired(v, now)) {
        visits.remove(capability);
      } else if (v != null) {
        v.lastUsed = now;
        return v;
      }
    }
    if (v != null) {
      v.end();
    }
    throw new InvalidInputException("error.visit");
  }

  private boolean expired(Visit v, Instant now) {
    return !now.isBefore(v.lastUsed.plus(idle)) || !now.isBefore(v.began.plus(maxAge));
  }
}
