package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Install tier, the agent's life under running guests: its pod deleted, libvirtd away, the guide's
 * upgrade to a new image tag and its `helm uninstall`. After each, every example guest runs on in
 * the same QEMU process with the same identity.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AgentLifecycleSteps {

  /** The chart's liveness probe gives up after 3 failures 10 s apart; wait past that. */
  private static final Duration LIVENESS_WINDOW = Duration.ofSeconds(45);

  @Test
  @Order(1)
  void deletingTheAgentPodChangesNothing(InstallTier tier) throws Exception {
    String pod = tier.agentPod();
    Instant deleted = Instant.now();
    tier.kubectl("-n", InstallTier.SYSTEM, "delete", "pod", pod, "--wait=true").orThrow();
    tier.awaitAgentReady("after its pod was deleted", deleted);
    tier.assertGuestsUntouched("the agent pod deleted");
  }

  /**
   * libvirtd away for longer than the liveness probe's window: the agent turns unready (readiness
   * reflects libvirt) but is not restarted (liveness does not), and is Ready again once libvirtd is
   * back, with the guests untouched.
   */
  @Test
  @Order(2)
  void anAgentWaitingForLibvirtIsUnreadyButNotRestarted(InstallTier tier) throws Exception {
    String pod = tier.agentPod();
    tier.daemon.stop();
    try {
      tier.await("the agent unready while libvirtd is down", tier::agentReadyAndRestarts, s -> s.startsWith("False "));
      Thread.sleep(LIVENESS_WINDOW.toMillis());
      assertEquals("False 0", tier.agentReadyAndRestarts(), "unready and never restarted after "
          + LIVENESS_WINDOW.toSeconds() + " s without libvirt");
      assertEquals(pod, tier.agentPod(), "the same pod");
    } finally {
      tier.daemon.start();
    }
    tier.awaitAgentReady("after libvirtd came back", Instant.now());
    assertEquals("True 0", tier.agentReadyAndRestarts());
    tier.assertGuestsUntouched("libvirtd stopped and started under the agent");
  }

  /** docs/install.md's upgrade as written: the CRDs applied server-side, then `helm upgrade`. */
  @Test
  @Order(3)
  void theGuidesUpgradeToANewImageTagKeepsTheGuestsRunning(InstallTier tier) throws Exception {
    tier.docs.run("kubectl apply --server-side -f helm-chart/crds/");
    String tag = "0.2.0"; // the guide's new version: the build's image tagged so (there is no registry)
    tier.cluster.tagImage(InstallDocs.REGISTRY_IMAGE + ":" + tier.version, InstallDocs.REGISTRY_IMAGE + ":" + tag);
    String before = tier.agentPod();
    Instant upgraded = Instant.now();
    tier.docs.run("helm upgrade");
    tier.await("a new agent pod with image tag " + tag, () -> tier.kubectl("-n", InstallTier.SYSTEM, "get", "pods",
        "-o", "jsonpath={range .items[*]}{.metadata.name} {.spec.containers[0].image} {.status.conditions[?(@.type=="
        + "\"Ready\")].status}{\"\\n\"}{end}").output(), out -> out.lines().anyMatch(l -> !l.startsWith(before + " ")
        && l.contains(":" + tag + " ") && l.endsWith("True")));
    tier.awaitAgentReady("after helm upgrade", upgraded);
    tier.assertGuestsUntouched("helm upgrade to " + tag);
  }

  /** docs/install.md's uninstall: the agents go, the guests run on, the CRDs and guests stay. */
  @Test
  @Order(4)
  void theGuidesUninstallLeavesTheGuestsRunning(InstallTier tier) throws Exception {
    tier.docs.run("helm uninstall");
    tier.await("the agent pod gone", () -> tier.kubectl("-n", InstallTier.SYSTEM, "get", "pods", "-o", "name")
        .output(), String::isBlank);
    tier.domainIds.forEach((guest, id) -> assertEquals(id, tier.domainId(guest), "the QEMU process of " + guest
        + " runs on after helm uninstall"));
    assertTrue(tier.kubectl("get", "crd", "virtualguests.vguest.io").ok(), "the CRDs stay (Helm keeps crds/)");
    for (String guest : tier.domainIds.keySet()) {
      assertTrue(tier.kubectl("-n", InstallTier.NAMESPACE, "get", "vg", guest).ok(), "VirtualGuest " + guest
          + " stays");
    }
    assertTrue(tier.kubectl("-n", InstallTier.SYSTEM, "get", "secret", "vguest-identity").ok(),
        "the seed Secret stays");
  }
}
