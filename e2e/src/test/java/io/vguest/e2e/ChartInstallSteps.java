package io.vguest.e2e;

import static io.vguest.e2e.GuestExpectations.assertGuestSees;
import static io.vguest.e2e.GuestExpectations.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeSet;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Install tier, first steps: docs/install.md's cluster preparation and Helm install run as written
 * ({@link InstallDocs}), then every example guest of examples/ applied with kubectl and Running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ChartInstallSteps {

  @Test
  @Order(1)
  void theGuidesHelmInstallGivesAReadyAgent(InstallTier tier) throws Exception {
    // The guide labels its two example nodes; this cluster has one node.
    tier.docs.run("kubectl label node", "node-a node-b", RealNode.NODE_NAME);
    tier.docs.run("kubectl create namespace vguest-system");
    Instant installed = Instant.now();
    tier.docs.run("helm install");
    Duration ready = tier.awaitAgentReady("after helm install", installed);
    String rollout = tier.docs.run("kubectl -n vguest-system rollout status");
    assertTrue(rollout.contains("successfully rolled out"), rollout);
    assertTrue(rollout.contains("connected to libvirt"), "the agent's log, through the kubelet: " + rollout);
    assertEquals(InstallDocs.REGISTRY_IMAGE + ":" + tier.version, tier.kubectl("-n", InstallTier.SYSTEM, "get",
        "pods", "-o", "jsonpath={.items[0].spec.containers[0].image}").orThrow().strip(),
        "the image the guide's values name");
    assertEquals(E2eEnvironment.SEED, tier.docs.run("kubectl -n vguest-system get secret vguest-identity"),
        "the guide's backup command prints the seed");
    E2eEnvironment.banner("install tier: agent Ready " + ready.toSeconds() + " s after helm install");
  }

  /** The README's example guest: Running, its console reports what its status promises. */
  @Test
  @Order(2)
  void theLinuxExampleRunsWithTheIdentityItsStatusPromises(InstallTier tier) throws Exception {
    tier.docs.run("kubectl create namespace demo");
    VirtualGuest guest = tier.awaitRunning(ExampleGuests.LINUX, "after kubectl apply");
    GuestReport report = tier.node.awaitReport(guest);
    assertGuestSees(guest, report, RealNode.NODE_NAME);
    tier.linuxIdentity = seen(report);
    tier.domainIds.put(ExampleGuests.LINUX, tier.domainId(ExampleGuests.LINUX));
    String blank = tier.qemuImgFormat("default", InstallTier.NAMESPACE + "_" + ExampleGuests.LINUX + "_data.qcow2");
    assertEquals("qcow2", blank, "the example's blank data disk, as the domain XML declares it");
    E2eEnvironment.banner("install tier: agent pod resident memory with one guest: " + InstallTier.agentRssMiB()
        + " MiB (the chart's limit: 512 MiB)");
  }

  /**
   * The Windows example, as it is but for its node: 4 CPUs, 8 GiB, UEFI with Secure Boot, a TPM
   * 2.0, SATA disks on its root volume, an external volume and a driver ISO in two pools, an e1000e
   * NIC on bridge br0. It has no OS to boot, so what it would see is read where QEMU gets it from:
   * the domain libvirt runs (SMBIOS serial and uuid, disk serials and buses, MACs, OEM strings), its
   * NVRAM volume and its TPM's state.
   */
  @Test
  @Order(3)
  void theWindowsExampleRunsOnUefiWithItsTpmAndBridge(InstallTier tier) throws Exception {
    tier.kubectl("apply", "--server-side", "-f", tier.docs.checkout.resolve("examples/windows-profile.yaml")
        .toString(), "-f", tier.docs.checkout.resolve(ExampleGuests.WINDOWS_FILE).toString()).orThrow();
    VirtualGuest guest = tier.awaitRunning(ExampleGuests.WINDOWS, "after kubectl apply");
    assertEquals("uefi", guest.getStatus().firmware.bootMode);
    assertEquals(Boolean.TRUE, guest.getStatus().firmware.secureBoot);
    assertEquals("v2.0", guest.getStatus().firmware.tpm);
    tier.examples.assertLibvirtHolds(guest);
    tier.domainIds.put(ExampleGuests.WINDOWS, tier.domainId(ExampleGuests.WINDOWS));
    E2eEnvironment.banner("install tier: " + ExampleGuests.WINDOWS + " Running with "
        + guest.getSpec().resources.memory + " of guest memory; its QEMU process holds "
        + ExampleGuests.qemuRssMiB(guest) + " MiB (allocated as the guest touches it)");
  }

  /** A guest added to examples/ must be added to the tier too. */
  @Test
  @Order(4)
  void everyExampleGuestRuns(InstallTier tier) throws Exception {
    assertEquals(tier.examples.exampleGuestNames(), new TreeSet<>(tier.domainIds.keySet()),
        "the VirtualGuests of examples/ against those the tier ran");
  }
}
