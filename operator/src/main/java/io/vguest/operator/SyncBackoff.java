package io.vguest.operator;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a guest whose sync failed in libvirt (a start refused, a transient QEMU failure; not a lost
 * connection, which the reconnect handles) is tried again: soon at first, then doubling up to a
 * cap, so a guest that should run starts as soon as libvirt can, and one that keeps failing costs
 * one attempt (and one status write) per cap. Counted per guest; a successful sync resets it.
 */
final class SyncBackoff {

  /** First retry after a libvirt failure. */
  static final Duration FIRST = Duration.ofSeconds(2);
  /** Longest wait between attempts. */
  static final Duration CAP = Duration.ofMinutes(1);

  /** The attempt that failed (1 for the first) and the wait before the next one. */
  record Retry(int attempt, Duration delay) {
    /** The condition message's note, e.g. "attempt 3 failed; retrying in 8s". */
    String note() {
      return "attempt " + attempt + " failed; retrying in " + delay.toSeconds() + "s";
    }
  }

  private final Duration first;
  private final Duration cap;
  private final Map<String, Integer> failures = new ConcurrentHashMap<>();

  SyncBackoff() {
    this(FIRST, CAP);
  }

  SyncBackoff(Duration first, Duration cap) {
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < first <= cap, got " + first + " and " + cap);
    }
    this.first = first;
    this.cap = cap;
  }

  /** Records one more failed attempt of the guest and says when to try again. */
  Retry failed(String guest) {
    int attempt = failures.merge(guest, 1, Integer::sum);
    return new Retry(attempt, delay(attempt));
  }

  /** The guest synced (or is gone): its next failure starts from the first delay again. */
  void reset(String guest) {
    failures.remove(guest);
  }

  /** Guests whose last sync failed in libvirt and that wait for their next attempt. */
  int retrying() {
    return failures.size();
  }

  Duration delay(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    Duration d = first.multipliedBy(1L << doublings);
    return d.compareTo(cap) > 0 ? cap : d;
  }
}
