package io.vguest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.bench.ScaleHarness.Options;
import io.vguest.bench.ScaleHarness.Pair;
import io.vguest.bench.ScaleHarness.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tiny run of the scale harness, so a normal build proves it still works: it checks what the
 * harness counts, never how long anything took.
 */
class ScaleHarnessTest {

  @Test
  void floorAndAgentConvergeAndAreCounted() throws Exception {
    Options options = Options.parse("--sizes", "4", "--idle", "1", "--resync", "0.5", "--changes", "2",
        "--threads", "2");
    ScaleHarness harness = new ScaleHarness(options);

    Run floor = harness.floor(4, 1);
    Run parallelFloor = harness.floor(4, 2);
    Run agent = harness.agent(4);

    for (Run f : List.of(floor, parallelFloor)) {
      assertTrue(f.converged());
      assertEquals(8, f.requests().guestWrites(), "one stamp and one status write per guest: " + f.requests().byKind());
      assertEquals(8, f.requests().total(), "the floor reads nothing: " + f.requests().byKind());
      assertEquals(4, f.libvirt().get("define"));
      assertEquals(0, f.doubleDefines());
    }
    assertTrue(agent.converged());
    assertEquals(8, agent.requests().guestWrites(), "stamp and status per guest: " + agent.requests().byKind());
    assertEquals(4, agent.libvirt().get("define"));
    assertEquals(0, agent.doubleDefines(), "no guest defined twice, apart from the timed changes");
    assertEquals(0, agent.idleRequests().guestWrites(), "no guest writes while idle: " + agent.idleRequests().byKind());
    assertEquals(0, agent.idleLibvirt().getOrDefault("define", 0L), "no defines while idle");
    assertEquals(2, agent.changeToRedefine().size(), "every change to a stopped guest redefines it");
    assertEquals(0, agent.changesMissed());
    assertTrue(agent.heapBytes() > 0);

    String report = Report.detail(new Pair(floor, parallelFloor, agent), options)
        + Report.summary(List.of(new Pair(floor, parallelFloor, agent)), options);
    assertTrue(report.contains("| 4 |"), report);
  }
}
