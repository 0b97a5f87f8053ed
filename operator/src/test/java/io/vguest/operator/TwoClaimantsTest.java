package io.vguest.operator;

import static io.vguest.operator.FaultCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.operator.FaultCluster.Node;
import io.vguest.operator.RecordingHypervisor.Gate;
import io.vguest.reconcile.StatusBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents that could both take a guest: it is never defined on both nodes. A node claims a
 * guest (annotation vguest.io/claimed-by, guarded by the resourceVersion) before its first define,
 * and two agents configured with one node name are told apart by the node's Lease. GuestMoveTest
 * covers the ordinary move and evacuation.
 */
class TwoClaimantsTest {

  static final String DOMAIN = "demo_web-1";

  @TempDir Path dir;
  FaultCluster cluster;
  final AtomicBoolean bothDefined = new AtomicBoolean();
  final AtomicBoolean watching = new AtomicBoolean(true);
  Thread watcher;

  @BeforeEach
  void setUp() throws Exception {
    cluster = FaultCluster.real(dir);
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

  /** Looks, as often as it can, for a moment at which both nodes hold the guest's domain. */
  private void watchForBoth(Node a, Node b) {
    watcher = new Thread(() -> {
      while (watching.get()) {
        if (a.defined(DOMAIN) && b.defined(DOMAIN)) {
          bothDefined.set(true);
        }
        Thread.onSpinWait();
      }
    });
    watcher.setDaemon(true);
    watcher.start();
  }

  @Test
  void guestMovedWhileItsFirstNodeIsBetweenDefineAndStatusIsDefinedOnOneNodeOnly() throws Exception {
    Node a = cluster.node("node-a", "node-a");
    Node b = cluster.node("node-b", "node-b");
    watchForBoth(a, b);
    Gate gate = a.hypervisor.hold(DOMAIN, true);
    a.start();
    b.start();
    cluster.create(FaultCluster.guest("web-1", "node-a"));
    gate.awaitReached(); // node-a has defined the domain and not yet said so in the status

    VirtualGuest guest = web();
    guest.getSpec().nodeName = "node-b";
    cluster.client.resource(guest).update();
    Thread.sleep(500); // give node-b every chance to act on the guest, which it now sees as its own
    gate.release();

    eventually("node-a reports it holds the guest", () -> "node-a".equals(web().getStatus() == null ? null
        : web().getStatus().node));
    assertEquals(0, b.hypervisor.defines(DOMAIN), "node-b waits for node-a to release the guest");
    eventually("node-a keeps the running guest: MovePending", () -> "MovePending".equals(readyReason(web())));
    assertEquals(0, b.hypervisor.defines(DOMAIN), "node-b waits for node-a to release the guest");

    halt();
    eventually("node-b defines it once node-a let it go", () -> b.defined(DOMAIN));
    assertFalse(a.defined(DOMAIN));
    eventually("the status names node-b", () -> "node-b".equals(web().getStatus().node));
    assertEquals("node-b", web().getMetadata().getAnnotations().get(GuestHandler.CLAIMED_BY));
    assertFalse(bothDefined.get(), "never defined on both nodes");
  }

  @Test
  void statusLostWhileTheGuestMovesAndItsNodeIsDownIsNotDefinedOnTheNewNode() throws Exception {
    Node a = cluster.node("node-a", "node-a").start();
    Node b = cluster.node("node-b", "node-b").start();
    watchForBoth(a, b);
    cluster.create(FaultCluster.guest("web-1", "node-a"));
    eventually("running on node-a", () -> FaultCluster.ready(web()) && "Running".equals(web().getStatus().state));

    a.stop();
    cluster.client.resources(VirtualGuest.class).inNamespace("demo").withName("web-1").subresource("status")
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/status\"}]");
    VirtualGuest guest = web();
    guest.getSpec().nodeName = "node-b";
    cluster.client.resource(guest).update();

    eventually("node-b waits for node-a, which its claim names", () -> "WaitingForPreviousNode".equals(
        readyReason(web())) && "node-a".equals(web().getStatus().node));
    assertEquals(0, b.hypervisor.defines(DOMAIN), "node-b does not define a guest node-a holds");

    a.start();
    eventually("node-a finds the guest through its status and keeps it running: MovePending",
        () -> "MovePending".equals(readyReason(web())));
    assertEquals(0, b.hypervisor.defines(DOMAIN));
    halt();
    eventually("node-b defines it once node-a let it go", () -> b.defined(DOMAIN));
    assertFalse(a.defined(DOMAIN));
    assertFalse(bothDefined.get(), "never defined on both nodes");
  }

  @Test
  void statusLostIsReclaimedByTheNodeHoldingTheDomain() throws Exception {
    Node a = cluster.node("node-a", "node-a").start();
    Node b = cluster.node("node-b", "node-b").start();
    cluster.create(FaultCluster.guest("web-1", "node-a"));
    eventually("running on node-a", () -> FaultCluster.ready(web()) && "Running".equals(web().getStatus().state));

    cluster.client.resources(VirtualGuest.class).inNamespace("demo").withName("web-1").subresource("status")
        .patch(PatchContext.of(PatchType.JSON), "[{\"op\":\"remove\",\"path\":\"/status\"}]");
    eventually("node-a reports it again", () -> FaultCluster.ready(web()) && "node-a".equals(web().getStatus().node));
    assertEquals(1, a.hypervisor.defines(DOMAIN), "no redefine");
    assertEquals(0, b.hypervisor.defines(DOMAIN));
  }

  /** A merge patch, as kubectl would send it: an agent's status write in between does not make it conflict. */
  private void halt() {
    cluster.client.resource(web()).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"runStrategy\":\"" + RunStrategy.Halted + "\"}}");
  }

  private static String readyReason(VirtualGuest guest) {
    Condition ready = guest == null || guest.getStatus() == null ? null
        : StatusBuilder.condition(guest.getStatus(), StatusBuilder.READY);
    return ready == null ? null : ready.getReason();
  }

  @Test
  void twoAgentsConfiguredWithTheSameNodeNameNeverBothDefineAGuest() throws Exception {
    Node a = cluster.node("host-1", "node-a");
    Node b = cluster.node("host-2", "node-a");
    watchForBoth(a, b);
    a.start();
    b.start();
    cluster.create(FaultCluster.guest("web-1", "node-a"));

    eventually("web-1 Ready", () -> FaultCluster.ready(web()));
    Thread.sleep(500);
    assertFalse(bothDefined.get(), "never defined on both hosts: host-1 defined it "
        + a.hypervisor.defines(DOMAIN) + " times, host-2 " + b.hypervisor.defines(DOMAIN) + " times");
    assertEquals(0, b.hypervisor.defines(DOMAIN), "host-2 does not hold node-a's Lease and defines nothing");
    assertEquals(Optional.empty(), a.agent.notReady());
    assertTrue(b.agent.notReady().orElseThrow().contains("held by another agent for node node-a: agent-host-1@host-1"),
        b.agent.notReady().orElseThrow());
  }

  @Test
  void anAgentWhoseNodeLeaseAnotherAgentHoldsTakesOverWhenThatLeaseExpires() throws Exception {
    Node a = cluster.node("host-1", "node-a").start(Duration.ofSeconds(6));
    Node b = cluster.node("host-2", "node-a").start(Duration.ofSeconds(6));
    eventually("host-2 not ready: host-1 holds the Lease", () -> b.agent.notReady().orElse("")
        .contains("agent-host-1@host-1"));

    a.stop(); // host-1's agent is gone; its Lease is left to expire
    cluster.create(FaultCluster.guest("web-1", "node-a"));

    eventually("web-1 Ready, defined on host-2", () -> FaultCluster.ready(web()));
    assertTrue(b.defined(DOMAIN));
    assertFalse(a.defined(DOMAIN));
    assertEquals(Optional.empty(), b.agent.notReady());
    Lease lease = cluster.client.resources(Lease.class).inNamespace(AgentFixture.LEASES)
        .withName(NodeLeases.leaseName("node-a")).get();
    assertEquals("agent-host-2@host-2", lease.getSpec().getHolderIdentity());
    assertEquals(1, lease.getSpec().getLeaseTransitions());
  }

  @Test
  void aRestartedAgentTakesOverTheLeaseOfItsEarlierProcessOnTheSameHostAtOnce() throws Exception {
    Node a = cluster.node("host-1", "node-a").start();
    a.stop();
    a.start(); // the same host: no wait for the first process's Lease (30 s) to expire
    cluster.create(FaultCluster.guest("web-1", "node-a"));
    eventually("web-1 Ready", () -> FaultCluster.ready(web()));
    assertEquals(Optional.empty(), a.agent.notReady());
  }
}
