package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.libvirt.DomainState;
import io.vguest.operator.AgentFixture.Node;
import io.vguest.reconcile.StatusBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two node agents, each with its own libvirt test-driver state, sharing the real API server: each
 * agent watches with field selectors on the server (spec.nodeName and status.node), as in production.
 */
class GuestMoveTest {

  static final String DOMAIN = NodeAgentTest.DOMAIN;

  @TempDir Path dir;
  AgentFixture cluster;
  Node a;
  Node b;
  final AtomicBoolean doubleDefined = new AtomicBoolean();
  final AtomicBoolean watching = new AtomicBoolean(true);
  Thread watcher;

  @BeforeEach
  void setUp() throws Exception {
    cluster = new AgentFixture(dir);
    a = cluster.node("node-a").start(Duration.ofMinutes(10));
    b = cluster.node("node-b").start(Duration.ofMinutes(10));
  }

  /** Watches both nodes for a moment at which both hold the guest's domain while both agents run. */
  private void watchForDoubleDefinition() {
    watcher = new Thread(() -> {
      while (watching.get()) {
        try {
          if (a.agent != null && b.agent != null && a.defined(DOMAIN) && b.defined(DOMAIN)) {
            doubleDefined.set(true);
          }
          Thread.sleep(2);
        } catch (RuntimeException | InterruptedException e) {
          // a node between connections; look again
        }
      }
    });
    watcher.setDaemon(true);
    watcher.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    watching.set(false);
    if (watcher != null) {
      watcher.join();
    }
    cluster.close();
  }

  private VirtualGuest web() {
    return cluster.get("demo", "web-1");
  }

  private void edit(Consumer<VirtualGuest> change) {
    VirtualGuest guest = web();
    change.accept(guest);
    cluster.client.resource(guest).update();
  }

  private static String readyReason(VirtualGuest guest) {
    Condition ready = guest.getStatus() == null ? null : StatusBuilder.condition(guest.getStatus(),
        StatusBuilder.READY);
    return ready == null ? null : ready.getReason() + "/" + ready.getStatus();
  }

  private static List<String> serials(VirtualGuest guest) {
    return guest.getStatus().disks.stream().map(d -> d.name + "=" + d.serial + "/" + d.guestSerial).toList();
  }

  private List<String> eventReasons() {
    return cluster.client.v1().events().inNamespace("demo").list().getItems().stream().map(Event::getReason).toList();
  }

  @Test
  void moveWaitsForTheStopThenTheNewNodeDefinesTheSameIdentity() {
    watchForDoubleDefinition();
    cluster.create(NodeAgentTest.WEB);
    eventually("running on node-a", () -> "Running/True".equals(readyReason(web())));
    VirtualGuest before = web();

    edit(g -> g.getSpec().nodeName = "node-b");
    eventually("node-a holds it: MovePending", () -> "MovePending/False".equals(readyReason(web())));
    assertEquals("node-a", web().getStatus().node);
    assertEquals(DomainState.RUNNING, a.libvirt.lookup(DOMAIN).orElseThrow().state(), "still running on node-a");
    assertFalse(b.defined(DOMAIN), "node-b waits");

    edit(g -> g.getSpec().runStrategy = RunStrategy.Halted);
    eventually("defined on node-b", () -> b.defined(DOMAIN));
    assertFalse(a.defined(DOMAIN), "undefined on node-a");
    eventually("status names node-b", () -> "node-b".equals(web().getStatus().node));

    edit(g -> g.getSpec().runStrategy = RunStrategy.Always);
    eventually("running on node-b", () -> "Running/True".equals(readyReason(web())));
    VirtualGuest after = web();
    assertEquals(before.getSpec().firmware.uuid, b.libvirt.lookup(DOMAIN).orElseThrow().uuid());
    assertEquals(before.getSpec().firmware.serial, after.getStatus().serial);
    assertEquals(serials(before), serials(after), "same disk serials");
    assertTrue(eventReasons().contains("Moved"));
    assertFalse(doubleDefined.get(), "never defined on both nodes while both agents ran");
    assertTrue(a.libvirt.volumeExists("default", "demo_web-1_scratch.qcow2"), "a move deletes no volume");
  }

  /**
   * The acceptance of the move on a real API server: the old node's "away" controller (status.node)
   * releases the guest, with no error in either agent's log, and the new node runs it with the same
   * identity within 30 seconds.
   */
  @Test
  void stoppedGuestMovesWithinThirtySecondsWithNoErrorLogged() {
    assertEquals(AgentConfig.WatchFilter.SERVER, a.agent.watchFilter());
    watchForDoubleDefinition();
    try (ErrorLog log = new ErrorLog()) {
      cluster.create(NodeAgentTest.WEB.replace("nodeName: node-a", "nodeName: node-a\n  runStrategy: Halted"));
      eventually("stopped on node-a", () -> "Stopped/True".equals(readyReason(web()))
          || "Stopped/False".equals(readyReason(web())) || (a.defined(DOMAIN) && "node-a".equals(web().getStatus().node)
          && "Stopped".equals(web().getStatus().state)));
      VirtualGuest before = web();
      List<String> macs = List.copyOf(before.getSpec().identity.macAddresses.values());

      long start = System.nanoTime();
      edit(g -> {
        g.getSpec().nodeName = "node-b";
        g.getSpec().runStrategy = RunStrategy.Always;
      });
      eventually("running on node-b", () -> "node-b".equals(web().getStatus().node)
          && "Running".equals(web().getStatus().state));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "moved in " + took);
      assertFalse(a.defined(DOMAIN), "undefined on node-a");
      VirtualGuest after = web();
      assertEquals(before.getSpec().firmware.uuid, b.libvirt.lookup(DOMAIN).orElseThrow().uuid());
      assertEquals(before.getSpec().firmware.serial, after.getStatus().serial);
      assertEquals(before.getSpec().identity.diskSerials, after.getSpec().identity.diskSerials);
      assertEquals(macs, List.copyOf(after.getSpec().identity.macAddresses.values()));
      assertEquals(List.of(), log.errors(), "no error in either agent's log");
    }
    assertFalse(doubleDefined.get(), "never defined on both nodes while both agents ran");
  }

  /**
   * A guest whose spec.nodeName and status.node both name this node is in both watches of its
   * agent: only the home controller (which has the guest's profile) handles it, never both at once.
   */
  @Test
  void guestInBothWatchesOfAnAgentIsHandledOnceWithItsProfile() throws Exception {
    cluster.client.resource(cluster.client.getKubernetesSerialization().unmarshal("""
        apiVersion: vguest.io/v1alpha1
        kind: GuestDeviceProfile
        metadata: {name: virtio, namespace: demo}
        spec:
          diskBus: sata
        """, io.vguest.api.v1alpha1.GuestDeviceProfile.class)).create();
    try (ErrorLog log = new ErrorLog()) {
      cluster.create(NodeAgentTest.WEB.replace("nodeName: node-a", "nodeName: node-a\n  profile: virtio"));
      eventually("running on node-a", () -> "Running/True".equals(readyReason(web())));
      int defines = a.hypervisor.defines.get();
      for (int i = 0; i < 5; i++) {
        int n = i;
        edit(g -> g.getMetadata().getAnnotations().put("example.com/touch", "t" + n)); // events to both watches
      }
      Thread.sleep(1_000);
      assertEquals("Running/True", readyReason(web()), "never refused for a missing profile");
      assertEquals("sata", cluster.client.getKubernetesSerialization().asJson(web().getSpec().devices.diskBus)
          .replace("\"", ""), "the profile's disk bus was stamped");
      assertEquals(defines, a.hypervisor.defines.get(), "no define for a metadata change");
      assertEquals(List.of(), log.errors());
    }
  }

  @Test
  void evacuationIsRefusedFromALiveNodeAndDoneFromOneWhoseLeaseExpired() {
    cluster.create(NodeAgentTest.WEB);
    eventually("running on node-a", () -> "Running/True".equals(readyReason(web())));

    edit(g -> {
      g.getSpec().nodeName = "node-b";
      g.getMetadata().getAnnotations().put(GuestHandler.EVACUATE_FROM, "node-a");
    });
    eventually("EvacuationRefused event", () -> eventReasons().contains("EvacuationRefused"));
    assertFalse(b.defined(DOMAIN), "never evacuated from a live node");
    assertEquals("node-a", web().getStatus().node);

    a.stopAgent(); // node-a dies with its guest still defined there
    Lease lease = cluster.client.resources(Lease.class).inNamespace(AgentFixture.LEASES)
        .withName(NodeLeases.leaseName("node-a")).get();
    lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(5));
    cluster.client.resource(lease).update();
    edit(g -> g.getMetadata().getAnnotations().put("example.com/ticket", "evacuate node-a")); // any change wakes node-b

    eventually("defined on node-b", () -> b.defined(DOMAIN));
    eventually("status names node-b", () -> "node-b".equals(web().getStatus().node));
    assertTrue(eventReasons().contains("Evacuated"));

    a.start(Duration.ofMinutes(10)); // node-a comes back: its stale copy must go
    eventually("stale domain removed from node-a", () -> !a.defined(DOMAIN));
    assertTrue(b.defined(DOMAIN));
  }
}
