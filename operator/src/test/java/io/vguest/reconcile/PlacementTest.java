package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.libvirt.DomainState;
import io.vguest.reconcile.Placement.Decision;
import io.vguest.reconcile.Placement.Departure;
import io.vguest.reconcile.Placement.Facts;
import io.vguest.reconcile.Placement.Heartbeat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Placement as node-a decides it, one row per situation; "-" is an absent value. */
class PlacementTest {

  private static String value(String cell) {
    return cell == null || cell.equals("-") ? null : cell;
  }

  @ParameterizedTest(name = "spec {0}, status {1}, claim {2}, evacuate {3}, deleting {4}, finalizer {5}, "
      + "heartbeat {6}: {7}")
  @CsvSource({
      // spec.nodeName, status.node, claim, evacuate-from, deleting, finalizer, holder heartbeat, decision
      // a new guest of node-a, or one it holds already
      "node-a, -,      -,      -,      false, false, NOT_READ, SYNC_HERE",
      "node-a, node-a, -,      -,      false, true,  NOT_READ, SYNC_HERE",
      "node-a, -,      node-a, -,      false, true,  NOT_READ, SYNC_HERE",
      "node-a, node-b, node-a, -,      false, true,  NOT_READ, SYNC_HERE",
      // the claim wins over the status; a blank claim counts as none
      "node-a, node-a, node-b, -,      false, true,  NOT_READ, WAIT_FOR_PREVIOUS_NODE",
      "node-a, node-a, ' ',    -,      false, true,  NOT_READ, SYNC_HERE",
      // moving here: the previous node holds it until it releases it
      "node-a, node-b, -,      -,      false, true,  NOT_READ, WAIT_FOR_PREVIOUS_NODE",
      "node-a, -,      node-b, -,      false, true,  NOT_READ, WAIT_FOR_PREVIOUS_NODE",
      "node-a, node-b, node-b, node-c, false, true,  NOT_READ, WAIT_FOR_PREVIOUS_NODE",
      // evacuation from the holder: refused while its heartbeat lives
      "node-a, node-b, node-b, node-b, false, true,  LIVE,     EVACUATION_REFUSED",
      "node-a, node-b, node-b, node-b, false, true,  EXPIRED,  EVACUATE_HERE",
      "node-a, node-b, -,      node-b, false, true,  MISSING,  EVACUATE_HERE",
      // moving away: node-a holds it (claim or status) and lets it go
      "node-b, node-a, -,      -,      false, true,  NOT_READ, MOVE_AWAY",
      "node-b, -,      node-a, -,      false, true,  NOT_READ, MOVE_AWAY",
      "node-b, node-b, node-a, -,      false, true,  NOT_READ, MOVE_AWAY",
      // someone else's guest
      "node-b, -,      -,      -,      false, false, NOT_READ, IGNORE",
      "node-b, node-b, node-b, -,      false, true,  NOT_READ, IGNORE",
      "node-b, node-a, node-b, -,      false, true,  NOT_READ, IGNORE",
      // deleting: the holder undefines; nobody without the finalizer
      "node-a, node-a, node-a, -,      true,  true,  NOT_READ, DELETE_HERE",
      "node-a, -,      -,      -,      true,  true,  NOT_READ, DELETE_HERE",
      "node-b, node-a, node-a, -,      true,  true,  NOT_READ, DELETE_HERE",
      "node-a, node-a, node-a, -,      true,  false, NOT_READ, IGNORE",
      "node-a, node-b, node-b, -,      true,  true,  NOT_READ, IGNORE",
      "node-b, node-b, -,      -,      true,  true,  NOT_READ, IGNORE",
      // deleting an evacuated guest: node-a undefines only when the holder is gone
      "node-a, node-b, node-b, node-b, true,  true,  EXPIRED,  DELETE_HERE",
      "node-a, node-b, node-b, node-b, true,  true,  MISSING,  DELETE_HERE",
      "node-a, node-b, node-b, node-b, true,  true,  LIVE,     IGNORE",
  })
  void decides(String spec, String status, String claim, String evacuate, boolean deleting, boolean finalizer,
      Heartbeat heartbeat, Decision expected) {
    Facts facts = new Facts("node-a", value(spec), value(status), claim == null ? null : claim.equals("-") ? null
        : claim, value(evacuate), deleting, finalizer, heartbeat);
    assertEquals(expected, Placement.decide(facts));
  }

  @ParameterizedTest(name = "spec {0}, status {1}, claim {2}, evacuate {3}: heartbeat needed {4}")
  @CsvSource({
      "node-a, node-b, node-b, node-b, true",
      "node-a, node-b, -,      node-b, true",
      "node-a, node-b, node-b, node-c, false",
      "node-a, node-a, -,      node-a, false",
      "node-b, node-a, -,      node-a, false",
      "node-a, -,      -,      node-b, false",
  })
  void readsTheHeartbeatOnlyForAnEvacuationFromTheHolder(String spec, String status, String claim, String evacuate,
      boolean needed) {
    Facts facts = new Facts("node-a", value(spec), value(status), value(claim), value(evacuate), false, true,
        Heartbeat.NOT_READ);
    assertEquals(needed, facts.heartbeatNeeded());
  }

  @Test
  void anEvacuationIsNeverDecidedWithoutTheHeartbeat() {
    Facts facts = new Facts("node-a", "node-a", "node-b", "node-b", "node-b", false, true, Heartbeat.NOT_READ);
    assertThrows(IllegalArgumentException.class, () -> Placement.decide(facts));
  }

  @ParameterizedTest(name = "domain {0}, halted {1}: {2}")
  @CsvSource({
      "RUNNING,       false, KEEP_RUNNING",
      "PAUSED,        false, KEEP_RUNNING",
      "SHUTTING_DOWN, false, KEEP_RUNNING",
      "CRASHED,       false, KEEP_RUNNING",
      "OTHER,         false, KEEP_RUNNING",
      "STOPPED,       false, RELEASE",
      "RUNNING,       true,  RELEASE",
      "STOPPED,       true,  RELEASE",
  })
  void departs(DomainState domain, boolean halted, Departure expected) {
    assertEquals(expected, Placement.departure(domain, halted));
  }

  @Test
  void departsAtOnceWithoutADomain() {
    assertEquals(Departure.RELEASE, Placement.departure(null, false));
  }

  @Test
  void theHolderIsTheClaimElseTheStatus() {
    assertEquals("node-b", new Facts("node-a", "node-a", "node-c", "node-b", null, false, true,
        Heartbeat.NOT_READ).holder());
    assertEquals("node-c", new Facts("node-a", "node-a", "node-c", null, null, false, true,
        Heartbeat.NOT_READ).holder());
    assertTrue(new Facts("node-a", "node-a", null, null, null, false, true, Heartbeat.NOT_READ).home());
    assertFalse(new Facts("node-a", "node-b", null, null, null, false, true, Heartbeat.NOT_READ).home());
  }
}
