package io.vguest.operator;

import static io.vguest.operator.FaultCluster.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.libvirt.DomainState;
import io.vguest.operator.FaultCluster.Node;
import io.vguest.operator.RecordingHypervisor.Gate;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent process dies at the two points where its work is half done, and a new agent takes
 * over on the same node: the stamped identity stays what it was, and no domain is defined twice.
 */
class AgentKilledTest {

  static final String DOMAIN = "demo_web-1";

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

  private VirtualGuest web() {
    return cluster.get("demo", "web-1");
  }

  @Test
  void killedBetweenStampingAndDefiningKeepsTheStampAndDefinesOnce() throws Exception {
    Gate gate = a.hypervisor.hold(DOMAIN, false);
    a.start();
    cluster.create(FaultCluster.guest("web-1", "node-a"));
    gate.awaitReached();

    VirtualGuest stamped = web();
    assertNotNull(stamped.getSpec().firmware.uuid, "stamped before the define");
    assertNull(stamped.getStatus(), "no status yet");
    assertFalse(a.defined(DOMAIN));
    a.kill(gate);

    a.start();
    eventually("web-1 Ready after the restart", () -> FaultCluster.ready(web()));

    VirtualGuest after = web();
    assertEquals(cluster.spec(stamped), cluster.spec(after), "stamped values unchanged by the new agent");
    assertEquals(1, cluster.appliedGuestPatches("web-1"), "stamped once, by the first agent");
    assertEquals(1, a.hypervisor.defines(DOMAIN), "defined once, by the second agent");
    assertEquals(List.of(), a.hypervisor.doubleDefinitions());
    assertEquals(stamped.getSpec().firmware.uuid, a.libvirt.lookup(DOMAIN).orElseThrow().uuid());
    assertEquals(stamped.getSpec().firmware.serial, after.getStatus().serial);
  }

  @Test
  void killedBetweenDefiningAndWritingStatusFindsTheDomainAndDoesNotDefineItAgain() throws Exception {
    Gate gate = a.hypervisor.hold(DOMAIN, true);
    a.start();
    cluster.create(FaultCluster.guest("web-1", "node-a"));
    gate.awaitReached();

    VirtualGuest stamped = web();
    assertTrue(a.defined(DOMAIN), "defined before the agent died");
    assertNull(stamped.getStatus(), "status never written");
    a.kill(gate);

    a.start();
    eventually("web-1 Ready after the restart", () -> FaultCluster.ready(web()));

    VirtualGuest after = web();
    assertEquals(cluster.spec(stamped), cluster.spec(after), "stamped values unchanged by the new agent");
    assertEquals(1, cluster.appliedGuestPatches("web-1"), "stamped once, by the first agent");
    assertEquals(1, a.hypervisor.defines(DOMAIN), "the second agent found the domain up to date");
    assertEquals(List.of(), a.hypervisor.doubleDefinitions());
    assertEquals(DomainState.RUNNING, a.libvirt.lookup(DOMAIN).orElseThrow().state(), "started by the second agent");
    assertEquals("node-a", after.getStatus().node);
    assertEquals(stamped.getSpec().firmware.uuid, after.getStatus().uuid);
  }
}
