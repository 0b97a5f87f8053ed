package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.GuestMetadata;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 7: what a node admin sees with {@code virsh dumpxml}: the vguest metadata names the
 * guest, its namespace, owner, profile, creation time and root disk source, and the creation time
 * stays the same across a redefine. The guest is never started (runStrategy Manual).
 */
@ExtendWith(E2eEnvironment.class)
class NodeAdminViewScenarioTest {

  private static final String MANIFEST = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata:
        name: admin-1
        ownerReferences:
          - apiVersion: apps.example.com/v1
            kind: GuestSet
            name: erp
            uid: 0a1b2c3d-0000-4000-8000-0000000000e2
            controller: true
      spec:
        nodeName: b
        runStrategy: Manual
        profile: windows-sata
        displayName: "ERP-Server München"
        resources: {cpus: 1, memory: 256Mi}
      %s  disks:
          - name: root
            role: root
            source: {volume: {pool: e2e, name: admin-1-root.raw}}
      """.formatted(Guests.kernelBoot(1, 0));

  @Test
  void virshDumpxmlShowsTheGuestsMetadataAndKeepsItsCreationTimeAcrossARedefine(E2eCluster cluster,
      E2eEnvironment.Setup setup) {
    setup.createDisk("admin-1-root.raw");
    cluster.applyProfile(Guests.WINDOWS_PROFILE);
    VirtualGuest guest = cluster.apply(MANIFEST);
    assertEquals("Stopped", guest.getStatus().state, "Manual: defined, not started");
    String domain = E2eNode.domainName(guest);

    GuestMetadata before = GuestMetadata.parse(cluster.node("b").daemon.virsh("dumpxml", domain).orThrow());

    assertEquals(List.of("admin-1", cluster.namespace(), "ERP-Server München", "windows-sata", "b"),
        List.of(before.name(), before.namespace(), before.displayName(), before.profile(), before.node()));
    assertEquals(new GuestMetadata.Owner("GuestSet", "erp", "0a1b2c3d-0000-4000-8000-0000000000e2"), before.owner());
    assertEquals(new GuestMetadata.RootSource("volume", "e2e", "admin-1-root.raw"), before.root());
    assertEquals(guest.getMetadata().getCreationTimestamp(), before.creationTime());
    assertEquals(guest.getMetadata().getUid(), before.uid());

    guest = cluster.edit(guest, spec -> spec.resources.cpus = 2);

    String xml = cluster.node("b").daemon.virsh("dumpxml", domain).orThrow();
    GuestMetadata after = GuestMetadata.parse(xml);
    assertTrue(xml.contains(">2</vcpu>"), "redefined with two vcpus: " + xml);
    assertEquals(before.creationTime(), after.creationTime(), "creation time unchanged by the redefine");
    assertEquals(guest.getMetadata().getGeneration(), after.generation());
    assertEquals(before.owner(), after.owner());
    assertEquals(before.root(), after.root());
  }
}
