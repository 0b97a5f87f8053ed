package io.vguest.operator;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * When a guest whose sync failed in libvirt (a start refused, a transient QEMU failure; not a lost
 * connection, which the reconnect handles) is tried again: soon at first, then doubling up to a
 * cap, so a guest that should run starts as soon as libvirt can, and one that keeps failing costs
 * one attempt (and one status write) per cap. Until its next attempt is due, a guest's other
 * reconciles (its own status write coming back from the watch, a resync) do not call libvirt; a
 * change of its spec (a new generation) or a libvirt reconnect does at once. A successful sync
 * resets it.
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

  private record Waiting(int attempts, Long generation, long dueNanos) {}

  private final Duration first;
  private final Duration cap;
  private final LongSupplier nanoTime;
  private final Map<String, Waiting> failures = new ConcurrentHashMap<>();

  SyncBackoff() {
    this(FIRST, CAP, System::nanoTime);
  }

  SyncBackoff(Duration first, Duration cap, LongSupplier nanoTime) {
    if (first.isNegative() || first.isZero() || cap.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff needs 0 < first <= cap, got " + first + " and " + cap);
    }
    this.first = first;
    this.cap = cap;
    this.nanoTime = nanoTime;
  }

  /** Records one more failed attempt of the guest at this generation and says when to try again. */
  Retry failed(String guest, Long generation) {
    Waiting before = failures.get(guest);
    int attempt = before == null ? 1 : before.attempts() + 1;
    Duration delay = delay(attempt);
    failures.put(guest, new Waiting(attempt, generation, nanoTime.getAsLong() + delay.toNanos()));
    return new Retry(attempt, delay);
  }

  /**
   * How long the guest still waits for its next attempt, or empty when it may sync now (no failure,
   * the wait is over, or its spec changed since).
   */
  Optional<Duration> waiting(String guest, Long generation) {
    Waiting w = failures.get(guest);
    if (w == null || !java.util.Objects.equals(w.generation(), generation)) {
      return Optional.empty();
    }
    long left = w.dueNanos() - nanoTime.getAsLong();
    return left > 0 ? Optional.of(Duration.ofNanos(left)) : Optional.empty();
  }

  /** The guest synced (or is gone): its next failure starts from the first delay again. */
  void reset(String guest) {
    failures.remove(guest);
  }

  /** libvirt is back: every waiting guest may try at once (its attempt count is kept). */
  void due() {
    failures.replaceAll((guest, w) -> new Waiting(w.attempts(), w.generation(), nanoTime.getAsLong()));
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
