package io.vguest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.bench.ScaleHarness.Options;
import io.vguest.bench.ScaleHarness.Pair;
import io.vguest.bench.ScaleHarness.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A tiny run of {@code --api real}: floor and agent against one real kube-apiserver with etcd, the
 * agent in the production watch mode (filtered on the node by the server). Checks the counts,
 * never the timings. The agent defining only its own guests proves the runs on the shared server
 * stay apart (the floor's guests are on the same server, on another node).
 */
class ScaleHarnessRealApiTest {

  @Test
  void floorAndAgentOnTheRealServerConvergeAndAreCounted() throws Exception {
    Options options = Options.parse("--sizes", "3", "--idle", "1", "--resync", "0.5", "--changes", "2",
        "--threads", "2", "--api", "real");
    ScaleHarness harness = new ScaleHarness(options);

    Run floor = harness.floor(3, 2);
    Run agent = harness.agent(3);

    assertTrue(floor.converged());
    assertEquals(6, floor.requests().guestWrites(), "one stamp and one status write per guest: " + floor.requests().byKind());
    assertEquals(6, floor.requests().total(), "the floor reads nothing: " + floor.requests().byKind());
    assertEquals(3, floor.libvirt().get("define"));
    for (Run a : List.of(agent)) {
      assertTrue(a.converged());
      assertEquals(2L * a.guests(), a.requests().guestWrites(), "stamp and status per guest: " + a.requests().byKind());
      assertEquals(a.guests(), a.libvirt().get("define"), "only this run's guests are defined: " + a.libvirt());
      assertEquals(0, a.doubleDefines());
      assertEquals(0, a.idleRequests().guestWrites(), "no guest writes while idle: " + a.idleRequests().byKind());
      assertEquals(0, a.idleLibvirt().getOrDefault("define", 0L), "no defines while idle");
      assertEquals(2, a.changeToRedefine().size(), "every change to a stopped guest redefines it");
      assertEquals(0, a.changesMissed());
    }
    String report = Report.detail(new Pair(floor, floor, agent), options);
    assertTrue(report.contains("### 3 guests"), report);
  }
}
