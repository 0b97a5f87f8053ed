package io.vguest.operator;

import static io.vguest.operator.FaultCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.operator.FaultCluster.Node;
import io.vguest.operator.RecordingHypervisor.Gate;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two agents that could both take a guest: it is never defined on both nodes. Both cases fail
 * today and are disabled with the reason; GuestMoveTest covers the ordinary move and evacuation.
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
    cluster = new FaultCluster(dir);
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
  @Disabled("Known gap: a node claims a guest only through the status it writes after the first define, so a move "
      + "(spec.nodeName changed) in that window lets the new node define the guest too, while the first one runs it. "
      + "Needs a claim written, guarded by resourceVersion, before the first define (e.g. with the stamp patch).")
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
    assertFalse(bothDefined.get(), "never defined on both nodes");
  }

  @Test
  @Disabled("Known gap: nothing stops two agents configured with the same node name (two installs, a copied "
      + "DaemonSet): both define and start the guest on their own hosts. The node Lease names the node, not the "
      + "agent process, so it cannot tell them apart.")
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
  }
}
