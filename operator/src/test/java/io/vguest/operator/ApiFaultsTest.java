package io.vguest.operator;

import static io.vguest.operator.FaultCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.libvirt.DomainState;
import io.vguest.operator.FaultCluster.Node;
import io.vguest.operator.FaultyApiDispatcher.Fault;
import io.vguest.operator.FaultyApiDispatcher.Write;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The API server fails the agent's writes with 500, before or after applying them, refuses a
 * stamp because the guest changed since it was read, and closes its watches: the agent converges, its stamp is applied once and never overwritten, and nothing is
 * defined twice.
 */
class ApiFaultsTest {

  @TempDir Path dir;
  FaultCluster cluster;
  Node a;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new FaultCluster(dir);
    a = cluster.node("node-a", "node-a");
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private VirtualGuest get(String name) {
    return cluster.get("demo", name);
  }

  private List<Write> writesTo(String path) {
    return cluster.api.writes().stream().filter(w -> w.path().endsWith(path)).toList();
  }

  @Test
  void refusedStampAndStatusWritesAreRetriedUntilTheyLand() {
    cluster.api.fail(FaultyApiDispatcher.guestPatch("web-1"), Fault.REFUSE, 1);
    cluster.api.fail(FaultyApiDispatcher.statusPatch("web-1"), Fault.REFUSE, 1);
    a.start();
    cluster.create(FaultCluster.guest("web-1", "node-a"));

    eventually("web-1 Ready", () -> FaultCluster.ready(get("web-1")));

    List<Write> stamps = writesTo("/virtualguests/web-1");
    assertEquals(500, stamps.get(0).code(), "the first stamp was refused");
    assertEquals(1, stamps.stream().filter(Write::applied).count(), "stamped once: " + stamps);
    assertEquals(stamps.get(0).body(), stamps.stream().filter(Write::applied).findFirst().orElseThrow().body(),
        "the retried stamp is the refused one");
    assertTrue(writesTo("/virtualguests/web-1/status").stream().anyMatch(w -> w.code() == 500));
    assertEquals(1, a.hypervisor.defines("demo_web-1"), "defined once");
    assertEquals(List.of(), a.hypervisor.doubleDefinitions());
    VirtualGuest guest = get("web-1");
    assertEquals(guest.getSpec().firmware.uuid, a.libvirt.lookup("demo_web-1").orElseThrow().uuid());
    assertEquals(guest.getSpec().firmware.serial, guest.getStatus().serial);
  }

  @Test
  void writesAppliedButAnsweredWithAnErrorAreNotAppliedAgain() {
    cluster.api.fail(FaultyApiDispatcher.guestPatch("web-1"), Fault.APPLY_THEN_FAIL, 1);
    cluster.api.fail(FaultyApiDispatcher.statusPatch("web-1"), Fault.APPLY_THEN_FAIL, 1);
    a.start();
    cluster.create(FaultCluster.guest("web-1", "node-a"));

    eventually("web-1 Ready", () -> FaultCluster.ready(get("web-1")));
    VirtualGuest guest = get("web-1");

    List<Write> stamps = writesTo("/virtualguests/web-1");
    assertEquals(1, stamps.stream().filter(Write::applied).count(),
        "the stamp that landed is never applied again (a retry is refused by its resourceVersion test): " + stamps);
    assertEquals(1, a.hypervisor.defines("demo_web-1"), "defined once");
    assertEquals(List.of(), a.hypervisor.doubleDefinitions());
    assertEquals(guest.getSpec().firmware.uuid, a.libvirt.lookup("demo_web-1").orElseThrow().uuid());
    assertEquals(guest.getSpec().firmware.serial, guest.getStatus().serial);
  }

  @Test
  void aStampRefusedBecauseTheGuestChangedIsRetriedQuietlyOnTheNewerGuest() {
    cluster.api.fail(FaultyApiDispatcher.guestPatch("web-1"), Fault.CHANGED_FIRST, 1);
    a.start();
    cluster.create(FaultCluster.guest("web-1", "node-a"));

    eventually("web-1 Ready", () -> FaultCluster.ready(get("web-1")));
    List<Write> stamps = writesTo("/virtualguests/web-1");
    assertEquals(422, stamps.get(0).code(), "the stamp read before the other writer's change was refused: " + stamps);
    assertEquals(1, stamps.stream().filter(Write::applied).count(), "stamped once: " + stamps);
    assertEquals("another-writer", get("web-1").getMetadata().getLabels().get("example.com/changed-by"),
        "the other writer's change is kept");
    String metrics = a.agent.metrics().scrape();
    assertTrue(metrics.contains("vguest_reconciles_total{outcome=\"retry\"}"), metrics);
    assertFalse(metrics.contains("vguest_reconciles_total{outcome=\"error\"}"), "a refused stamp is no error: "
        + metrics);
    assertEquals(1, a.hypervisor.defines("demo_web-1"), "defined once");
  }

  @Test
  void changesMadeWhileTheWatchIsClosedAreApplied() {
    a.start();
    cluster.create(FaultCluster.guest("web-1", "node-a"));
    eventually("web-1 Ready", () -> FaultCluster.ready(get("web-1")));
    String before = cluster.spec(get("web-1"));

    int closed = cluster.api.closeWatches();
    VirtualGuest guest = get("web-1");
    guest.getSpec().runStrategy = RunStrategy.Halted;
    cluster.client.resource(guest).update();
    cluster.create(FaultCluster.guest("web-2", "node-a"));

    assertTrue(closed > 0, "the agent's watches were open and got closed");
    eventually("web-1 shut off", () -> a.libvirt.lookup("demo_web-1").orElseThrow().state() == DomainState.STOPPED);
    eventually("web-1 reported Stopped", () -> FaultCluster.ready(get("web-1"))
        && "Stopped".equals(get("web-1").getStatus().state));
    eventually("web-2, created while the watch was closed, Ready", () -> FaultCluster.ready(get("web-2")));
    VirtualGuest after = get("web-1");
    after.getSpec().runStrategy = null;
    assertEquals(before, cluster.spec(after), "nothing but the user's change in the spec");
    assertEquals(1, a.hypervisor.defines("demo_web-1"));
    assertEquals(1, a.hypervisor.defines("demo_web-2"));
    assertEquals(List.of(), a.hypervisor.doubleDefinitions());
  }
}
