package io.vguest.e2e;

import static io.vguest.e2e.GuestExpectations.assertGuestSees;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.reconcile.DomainFacts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * Scenario 8: libvirtd restarts under a running agent and guest. The agent notices, reconnects by
 * itself and resyncs its guests (nothing here asks it to); the resync finds the guest up to date
 * and leaves it alone: the same QEMU process runs on (no reboot), the domain is not redefined, and
 * its identity is unchanged. Runs alone: it takes node b's daemon away.
 */
@Isolated
@ExtendWith(E2eEnvironment.class)
class DaemonRestartScenarioTest {

  private static final String DONE = "outcome=\"done\"";

  @Test
  void agentReconnectsAndTheGuestKeepsRunningWithTheSameIdentity(E2eCluster cluster, E2eEnvironment.Setup setup)
      throws Exception {
    setup.createDisk("restart-1-root.raw");
    VirtualGuest guest = cluster.apply(Guests.small("restart-1", "b", "{}"));
    E2eNode node = cluster.node("b");
    GuestReport report = node.awaitReport(guest);
    String domain = E2eNode.domainName(guest);
    String domainId = node.daemon.virsh("domid", domain).orThrow().strip();
    DomainFacts before = DomainFacts.parse(node.daemon.virsh("dumpxml", domain).orThrow());
    long reconnects = node.agent.reconnects();
    double reconciles = node.agent.counter("vguest_reconciles_total", DONE);

    node.daemon.restart();

    cluster.await("the agent of node b to reconnect to the restarted libvirtd", node.agent::reconnects,
        n -> n > reconnects);
    cluster.await("the agent of node b to resync its guests after reconnecting",
        () -> node.agent.counter("vguest_reconciles_total", DONE), n -> n > reconciles);
    VirtualGuest synced = cluster.await("guest " + domain + " synced after the restart", () -> cluster.get(guest),
        g -> E2eCluster.converged(g) && g.getStatus().conditions.stream()
            .anyMatch(c -> c.getType().equals("Synced") && c.getStatus().equals("True")));

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
}
