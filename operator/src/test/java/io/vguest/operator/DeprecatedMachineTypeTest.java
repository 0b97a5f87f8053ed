package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.DefinitionBuilder.HostSerialSource;
import io.vguest.libvirt.ForwardingHypervisor;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.operator.AgentConfig.WatchFilter;
import io.vguest.reconcile.MachineTypeDeprecation;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncFixtures;
import io.vguest.testing.RealApi;
import io.vguest.testing.RealApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose QEMU deprecates a guest's pinned machine type reports it, on the real API server:
 * the node is libvirt's test driver answering {@code virsh capabilities} with a real libvirt 9.0 +
 * QEMU 7.2 dump (which marks pc-i440fx-1.4 to 1.7 deprecated), read through the agent's own path.
 */
@RealApi
class DeprecatedMachineTypeTest {

  static final String GUEST = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: %s, namespace: %s}
      spec:
        nodeName: node-a
        machineType: %s
        runStrategy: Halted
        resources: {cpus: 1, memory: 256Mi}
        disks:
          - {name: root, role: root, source: {volume: {pool: default, name: %s-root.qcow2}}}
      """;

  @TempDir Path dir;

  static String qemu72Capabilities() throws Exception {
    return Files.readString(Path.of(DeprecatedMachineTypeTest.class.getResource(
        "/libvirt-dumps/capabilities-qemu-7.2.xml").toURI()));
  }

  @Test
  void aDeprecatedPinnedTypeIsReportedOnceAndKeptUntilSomeoneChangesIt(RealApiServer server, KubernetesClient admin)
      throws Exception {
    String ns = server.newNamespace("mt-deprecated");
    String capabilities = qemu72Capabilities();
    try (LibvirtHypervisor libvirt = new LibvirtHypervisor(SyncFixtures.testNode(dir));
        KubernetesClient agentClient = server.newClient()) {
      var node = new ForwardingHypervisor(libvirt) {
        @Override
        public String hostCapabilitiesXml() {
          return capabilities;
        }
      };
      AgentConfig config = AgentConfig.defaults("node-a", AgentFixture.SETTINGS)
          .withWatchFilter(WatchFilter.SERVER)
          .withLeaseNamespace(ns)
          .withHostSerial(HostSerialSource.AUTO, dir.resolve("machine-id"))
          .withInstance(new AgentConfig.Instance("agent-node-a", "node-a"))
          .withTimings(Duration.ofSeconds(30), Duration.ofMillis(300), Duration.ofSeconds(2));
      try (NodeAgent agent = NodeAgent.start(agentClient, config, node)) {
        admin.resource(SyncFixtures.guest(GUEST.formatted("old-1", ns, "pc-i440fx-1.5", "old-1"))).create();
        admin.resource(SyncFixtures.guest(GUEST.formatted("new-1", ns, "q35", "new-1"))).create();

        VirtualGuest old = eventually("old-1 reported deprecated", () -> {
          VirtualGuest g = admin.resources(VirtualGuest.class).inNamespace(ns).withName("old-1").get();
          return MachineTypeDeprecation.reported(g.getStatus()) ? g : null;
        });
        Condition condition = StatusBuilder.condition(old.getStatus(), "MachineTypeDeprecated");
        assertEquals("True", condition.getStatus());
        assertEquals("DeprecatedByNode", condition.getReason());
        assertEquals("machine type pc-i440fx-1.5 (spec.machineType) is deprecated by the QEMU of node node-a, so a "
            + "future QEMU may no longer offer it; the guest keeps running on it until you change it. The newest "
            + "type of its family on this node is pc-i440fx-7.2: while the guest is stopped, run kubectl vguest "
            + "devices set old-1 -n " + ns + " --property machineType=pc-i440fx-7.2 (many guests at once: vguest "
            + "machine-types update -l SELECTOR --to pc-i440fx-7.2)", condition.getMessage());
        assertEquals("pc-i440fx-1.5", old.getSpec().identity.machineType, "the pin stays");
        assertTrue(libvirt.dumpXml(ns + "_old-1").contains("machine=\"pc-i440fx-1.5\"")
            || libvirt.dumpXml(ns + "_old-1").contains("machine='pc-i440fx-1.5'"), "the domain keeps its type");
        assertEquals("Stopped", old.getStatus().state);
        assertEquals("True", StatusBuilder.condition(old.getStatus(), StatusBuilder.READY).getStatus(),
            "a deprecated type does not make the guest unready");

        VirtualGuest fresh = eventually("new-1 Stopped", () -> {
          VirtualGuest g = admin.resources(VirtualGuest.class).inNamespace(ns).withName("new-1").get();
          return g.getStatus() != null && "Stopped".equals(g.getStatus().state) ? g : null;
        });
        assertEquals("pc-q35-7.2", fresh.getSpec().identity.machineType);
        assertNull(StatusBuilder.condition(fresh.getStatus(), "MachineTypeDeprecated"), "q35 is not deprecated");

        String scrape = eventually("metrics", () -> {
          String s = agent.metrics().scrape();
          return s.contains("vguest_guests_deprecated_machine_type 1.0") ? s : null;
        });
        for (String type : List.of("pc-i440fx-1.4", "pc-i440fx-1.5", "pc-i440fx-1.6", "pc-i440fx-1.7")) {
          assertTrue(scrape.contains("vguest_node_deprecated_machine_type{machine_type=\"" + type + "\"} 1.0"),
              type + " in\n" + scrape);
        }
        assertTrue(!scrape.contains("machine_type=\"pc-i440fx-2.0\""), scrape);

        // Many resyncs (every 300 ms) later: still one Warning event, and the status was not rewritten.
        String resourceVersion = old.getMetadata().getResourceVersion();
        Thread.sleep(2_000);
        assertEquals(resourceVersion, admin.resources(VirtualGuest.class).inNamespace(ns).withName("old-1").get()
            .getMetadata().getResourceVersion(), "no write while nothing changes");
        List<Event> warnings = admin.v1().events().inNamespace(ns).list().getItems().stream()
            .filter(e -> "MachineTypeDeprecated".equals(e.getReason())).toList();
        assertEquals(1, warnings.size(), warnings.toString());
        assertEquals("Warning", warnings.get(0).getType());
        assertEquals("old-1", warnings.get(0).getInvolvedObject().getName());
        assertEquals(condition.getMessage(), warnings.get(0).getMessage());

        // The admin moves it to the type the condition names: re-pinned, the condition and the gauge go.
        admin.resources(VirtualGuest.class).inNamespace(ns).withName("old-1").patch(
            new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE).build(),
            "{\"spec\":{\"machineType\":\"pc-i440fx-7.2\"}}");
        VirtualGuest moved = eventually("old-1 no longer reported", () -> {
          VirtualGuest g = admin.resources(VirtualGuest.class).inNamespace(ns).withName("old-1").get();
          return g.getStatus() != null && g.getMetadata().getGeneration().equals(g.getStatus().observedGeneration)
              && !MachineTypeDeprecation.reported(g.getStatus()) ? g : null;
        });
        assertEquals("pc-i440fx-7.2", moved.getSpec().identity.machineType);
        assertTrue(libvirt.dumpXml(ns + "_old-1").contains("pc-i440fx-7.2"), "redefined with the new type");
        eventually("gauge back to 0", () -> agent.metrics().scrape()
            .contains("vguest_guests_deprecated_machine_type 0.0"));
      }
    }
  }
}
