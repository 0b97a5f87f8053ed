package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Isolated;

/**
 * A UEFI guest with a TPM 2.0 (Secure Boot off: the direct kernel boot of Debian's kernel is not
 * signed by a key OVMF trusts) keeps its firmware state: the EFI variable it wrote on its first
 * boot and its TPM (the same EK certificate) are there again after a stop and start, after its
 * agent and its libvirtd restart, and after a move to the other node. A Secure Boot guest is
 * defined with the secure OVMF build. Runs alone: it restarts node a's agent and daemon.
 */
@Isolated
@ExtendWith(E2eEnvironment.class)
class FirmwareScenarioTest {

  private static final String EFI_VARIABLE = "firmware.efivar";
  private static final String EK_CERTIFICATE = "tpm.ekcert";

  static String uefiGuest(String name, String node, boolean secureBoot) {
    return Guests.small(name, node, "{bootMode: uefi, secureBoot: " + secureBoot + ", tpm: v2.0}");
  }

  /** The firmware lines of the guest's last report on its console. */
  static Map<String, String> firmwareReport(E2eNode node, VirtualGuest guest) {
    node.awaitReport(guest);
    List<String> lines = GuestConsole.read(node.console(guest)).lines().map(String::strip).toList();
    int end = lines.lastIndexOf(GuestReport.END);
    int begin = lines.subList(0, end).lastIndexOf(GuestReport.BEGIN);
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines.subList(begin + 1, end)) {
      if (line.startsWith("VGE2E firmware.") || line.startsWith("VGE2E tpm.")) {
        int eq = line.indexOf('=');
        values.put(line.substring("VGE2E ".length(), eq), line.substring(eq + 1));
      }
    }
    return values;
  }

  @Test
  void uefiVariablesAndTheTpmSurviveRestartsAndAMove(E2eCluster cluster, E2eEnvironment.Setup setup)
      throws Exception {
    setup.createDisk("fw-1-root.raw");
    VirtualGuest guest = cluster.apply(uefiGuest("fw-1", "a", false));
    assertEquals("uefi", guest.getStatus().firmware.bootMode);
    assertEquals("v2.0", guest.getStatus().firmware.tpm);
    assertEquals(E2eNode.POOL + "/" + cluster.namespace() + "_fw-1_nvram.fd", guest.getStatus().firmware.nvram);
    Map<String, String> first = firmwareReport(cluster.node("a"), guest);
    assertEquals("yes", first.get("firmware.efi"), first.toString());
    assertEquals("yes", first.get("firmware.efivar.written"), "written on the first boot: " + first);
    assertNotNull(first.get(EFI_VARIABLE), first.toString());
    assertEquals("2", first.get("tpm.version"), first.toString());
    assertEquals("tpm_crb", first.get("tpm.driver"), first.toString());
    assertEquals("00000000", first.get("tpm.nvread.rc"), "the EK certificate is readable: " + first);
    assertTrue(Files.exists(setup.pool.resolve(cluster.namespace() + "_fw-1_nvram.fd")), "the NVRAM is a volume of the pool");

    guest = cluster.stop(guest);
    assertTrue(Files.exists(setup.pool.resolve(cluster.namespace() + "_fw-1_tpm.state")), "TPM state saved when the guest stopped");
    guest = cluster.start(guest);
    assertSameFirmware(first, firmwareReport(cluster.node("a"), guest), "after a stop and start");

    E2eNode a = cluster.node("a");
    a.agent.close();
    a.daemon.restart();
    a.agent = AgentProcess.start(setup.jar, a, setup.api, setup.agentLog("a-restarted"));
    guest = cluster.stop(guest);
    guest = cluster.start(guest);
    assertSameFirmware(first, firmwareReport(a, guest), "after the agent and libvirtd restarted");

    guest = cluster.stop(guest);
    guest = cluster.move(guest, "b");
    assertFalse(Files.exists(a.daemon.dir.resolve("lib/swtpm").resolve(guest.getSpec().firmware.uuid)),
        "node a's libvirt deleted its copy of the TPM state with the domain");
    guest = cluster.start(guest);
    assertEquals("b", guest.getStatus().node);
    assertSameFirmware(first, firmwareReport(cluster.node("b"), guest), "after the move to node b");

    cluster.delete(guest);
    assertFalse(Files.exists(setup.pool.resolve(cluster.namespace() + "_fw-1_nvram.fd")), "NVRAM deleted with the guest");
    assertFalse(Files.exists(setup.pool.resolve(cluster.namespace() + "_fw-1_tpm.state")), "TPM state deleted with the guest");
    assertTrue(Files.exists(setup.pool.resolve("fw-1-root.raw")), "the guest's own disk is kept");
  }

  private static void assertSameFirmware(Map<String, String> first, Map<String, String> now, String when) {
    assertEquals("yes", now.get("firmware.efi"), when + ": " + now);
    assertEquals(null, now.get("firmware.efivar.written"), when + ": the variable was found, not written: " + now);
    assertEquals(first.get(EFI_VARIABLE), now.get(EFI_VARIABLE), when + ": the same EFI variable");
    assertEquals("00000000", now.get("tpm.nvread.rc"), when + ": " + now);
    assertEquals(first.get(EK_CERTIFICATE), now.get(EK_CERTIFICATE), when + ": the same TPM (EK certificate)");
  }

  @Test
  void aSecureBootGuestIsDefinedWithTheSecureOvmfBuild(E2eCluster cluster, E2eEnvironment.Setup setup) {
    setup.createDisk("fw-sb-root.raw");
    VirtualGuest guest = cluster.apply(uefiGuest("fw-sb", "b", true).replace("nodeName: b",
        "nodeName: b\n  runStrategy: Manual"));
    String domain = E2eNode.domainName(guest);
    String defined = cluster.node("b").daemon.virsh("dumpxml", "--inactive", domain).orThrow();
    assertTrue(defined.contains("<feature enabled='yes' name='secure-boot'/>"), defined);
    assertTrue(defined.contains("<smm state='on'/>"), defined);
    cluster.node("b").daemon.virsh("start", domain).orThrow();
    try {
      String running = cluster.node("b").daemon.virsh("dumpxml", domain).orThrow();
      assertTrue(running.contains("secure='yes'") && running.contains("OVMF_CODE_4M.ms.fd")
          || running.contains("OVMF_CODE_4M.secboot.fd"), "the secure OVMF build: " + running);
      assertTrue(running.contains("OVMF_VARS_4M.ms.fd"), "Microsoft's keys enrolled: " + running);
    } finally {
      cluster.node("b").daemon.virsh("destroy", domain);
    }
    cluster.delete(guest);
    assertFalse(Files.exists(setup.pool.resolve(cluster.namespace() + "_fw-sb_nvram.fd")));
  }
}
