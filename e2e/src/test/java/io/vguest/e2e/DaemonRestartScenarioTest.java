package io.vguest.e2e;

import static io.vguest.e2e.GuestExpectations.assertGuestSees;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.reconcile.DomainFacts;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Scenario 8: libvirtd restarts under a running guest. The hypervisor connection comes back by
 * itself, the next sync finds the guest up to date and leaves it alone: the same QEMU process runs
 * on (no reboot), and its identity is unchanged. Runs alone: it takes node b's daemon away.
 */
@Isolated
@ExtendWith(E2eEnvironment.class)
class DaemonRestartScenarioTest {

  @Test
  void guestKeepsRunningWithTheSameIdentityAcrossADaemonRestart(E2eCluster cluster, E2eEnvironment.Setup setup)
      throws Exception {
    setup.createDisk("restart-1-root.raw");
    VirtualGuest guest = cluster.apply(Guests.small("restart-1", "b", "{}"));
    E2eNode node = cluster.node("b");
    GuestReport report = node.awaitReport(guest);
    String domain = E2eNode.domainName(guest);
    String domainId = node.daemon.virsh("domid", domain).orThrow().strip();
    DomainFacts before = DomainFacts.parse(node.daemon.virsh("dumpxml", domain).orThrow());

    node.daemon.restart();
    assertTrue(node.hypervisor().awaitConnected(Duration.ofSeconds(60)), "the connection comes back");
    VirtualGuest synced = resyncUntilSynced(cluster, guest);

    assertEquals("Running", synced.getStatus().state);
    assertEquals(domainId, node.daemon.virsh("domid", domain).orThrow().strip(), "the same QEMU process runs on");
    assertEquals(before, DomainFacts.parse(node.daemon.virsh("dumpxml", domain).orThrow()),
        "the domain was not redefined");
    assertEquals(1, GuestConsole.read(node.console(guest)).lines().filter(l -> l.strip().equals(GuestReport.END))
        .count(), "the guest did not boot again");
    assertEquals(E2eCluster.YAML.valueToTree(guest.getSpec()), E2eCluster.YAML.valueToTree(synced.getSpec()),
        "no identity changed in the spec");
    assertGuestSees(synced, report, "b");
  }

  /** As the agent does: a sync that finds no connection is retried until one succeeds. */
  private static VirtualGuest resyncUntilSynced(E2eCluster cluster, VirtualGuest guest) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(60);
    VirtualGuest synced = cluster.resync(guest);
    while (!synced(synced) && Instant.now().isBefore(deadline)) {
      Thread.sleep(500);
      synced = cluster.resync(guest);
    }
    assertTrue(synced(synced), "synced again after the restart: " + synced.getStatus().conditions);
    return synced;
  }

  private static boolean synced(VirtualGuest guest) {
    return guest.getStatus().conditions.stream()
        .anyMatch(c -> c.getType().equals("Synced") && c.getStatus().equals("True"));
  }
}
