package io.vguest.e2e;

import static io.vguest.e2e.GuestExpectations.assertGuestSees;
import static io.vguest.e2e.GuestExpectations.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vguest.api.v1alpha1.DiskStatus;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.IdentityRenewal;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario 12: the generation ID and the disk WWN as the guest reads them. A guest with a virtio
 * root disk and a scsi data disk reads the stamped WWN on its data disk and the stamped generation
 * ID; both stay when the guest is deleted and its manifest applied again; a declared restore
 * ({@code spec.identity.restoreGeneration} raised) changes the generation ID and nothing else; a
 * copy of the guest's stored manifest marked {@code vguest.io/clone-of} boots with a serial, uuid,
 * disk serials, WWN, MACs and generation ID of its own.
 */
@ExtendWith(E2eEnvironment.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IdentityRenewalScenarioTest {

  private static final String NAME = "gen-1";
  private static final String CLONE = "gen-1-copy";

  private static final String MANIFEST = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata:
        name: %1$s
      spec:
        nodeName: a
        resources: {cpus: 1, memory: 256Mi}
      %2$s  disks:
          - name: root
            role: root
            source: {volume: {pool: %3$s, name: %1$s-root.raw}}
          - name: data
            role: data
            bus: scsi
            source: {volume: {pool: %3$s, name: %1$s-data.raw}}
        interfaces:
          - name: eth0
            userMode: true
      """.formatted(NAME, Guests.kernelBoot(2, 1), E2eNode.POOL);

  /** What the guest read at its first boot: identity, the data disk's WWN, the generation ID. */
  record Seen(GuestExpectations.SeenIdentity identity, String wwid, String generationId) {}

  private final E2eCluster cluster;
  private VirtualGuest guest;
  private Seen first;

  IdentityRenewalScenarioTest(E2eCluster cluster) {
    this.cluster = cluster;
  }

  @BeforeAll
  void createVolumes(E2eEnvironment.Setup setup) {
    for (String name : new String[] {NAME, CLONE}) {
      setup.createDisk(name + "-root.raw");
      setup.createDisk(name + "-data.raw");
    }
  }

  @Test
  @Order(1)
  void theGuestReadsItsStampedWwnAndGenerationId() {
    guest = cluster.apply(MANIFEST);

    first = seenAndPromised(guest);
    assertNotNull(first.generationId());
  }

  @Test
  @Order(2)
  void deletedAndReappliedTheGuestKeepsItsGenerationIdAndWwn() {
    cluster.delete(guest);
    guest = cluster.apply(MANIFEST);

    assertEquals(first, seenAndPromised(guest), "identity, WWN and generation ID after delete and re-apply");
  }

  @Test
  @Order(3)
  void aDeclaredRestoreChangesTheGenerationIdAndNothingElse() {
    guest = cluster.stop(guest);
    guest = cluster.edit(guest, spec -> spec.identity.restoreGeneration = 1);
    guest = cluster.start(guest);

    Seen restored = seenAndPromised(guest);
    assertNotEquals(first.generationId(), restored.generationId(), "a declared restore changes the generation ID");
    assertEquals(new Seen(first.identity(), first.wwid(), restored.generationId()), restored,
        "everything but the generation ID stays");
  }

  @Test
  @Order(4)
  void aCloneGetsAWholeNewIdentity() {
    VirtualGuest original = cluster.get(guest);
    VirtualGuest clone = cluster.apply(cloneManifest(original));

    assertEquals(cluster.namespace() + "/" + CLONE, clone.getSpec().identity.stampedFor, "stamped for the clone");
    Seen copy = seenAndPromised(clone);
    Seen theirs = seenAndPromised(original);
    assertNotEquals(theirs.identity().serial(), copy.identity().serial(), "serial");
    assertNotEquals(theirs.identity().uuid(), copy.identity().uuid(), "uuid");
    assertDisjoint(theirs.identity().disksBySerial().keySet(), copy.identity().disksBySerial().keySet(),
        "disk serials");
    assertDisjoint(theirs.identity().nicDrivers().keySet(), copy.identity().nicDrivers().keySet(), "MACs");
    assertNotEquals(theirs.wwid(), copy.wwid(), "WWN");
    assertNotEquals(theirs.generationId(), copy.generationId(), "generation ID");
  }

  /**
   * What the guest reads, checked against what its spec and status promise: identity as in the
   * other scenarios; the scsi data disk's WWN is the stamped one (and status shows it); the
   * generation ID in the domain and as the guest reads it is the stamped one.
   */
  private Seen seenAndPromised(VirtualGuest current) {
    E2eNode node = cluster.node(current.getStatus().node);
    GuestReport report = node.awaitReport(current);
    assertGuestSees(current, report, node.name);

    String wwn = current.getSpec().identity.diskWwns.get("data");
    assertNotNull(wwn, "a WWN stamped for the scsi disk: " + current.getSpec().identity.diskWwns);
    DiskStatus data = current.getStatus().disks.stream().filter(d -> d.name.equals("data")).findFirst().orElseThrow();
    assertEquals(wwn, data.wwn, "status shows the stamped WWN");
    String serial = current.getSpec().identity.diskSerials.get("data");
    GuestReport.GuestDisk disk = report.diskWithSerial(serial).orElseThrow();
    assertEquals("scsi", disk.bus());
    assertEquals("naa." + wwn.toLowerCase(Locale.ROOT), disk.wwid(), "the WWN the guest reads (VPD page 0x83)");

    String generationId = current.getSpec().identity.generationId;
    assertEquals(generationId, DomainDevices.of(node, current).generationId(), "the domain's genid is the stamped one");
    assertEquals(generationId, report.generationId(), "the generation ID the guest reads");
    return new Seen(seen(report), disk.wwid(), report.generationId());
  }

  /**
   * A copy of the guest as stored (stamped values included, like {@code kubectl get -o yaml}),
   * renamed, on disks of its own, and marked as a clone of the original.
   */
  private String cloneManifest(VirtualGuest original) {
    ObjectNode manifest = E2eCluster.YAML.createObjectNode();
    manifest.put("apiVersion", "vguest.io/v1alpha1").put("kind", "VirtualGuest");
    manifest.putObject("metadata").put("name", CLONE).putObject("annotations")
        .put(IdentityRenewal.CLONE_OF, cluster.namespace() + "/" + NAME);
    JsonNode spec = E2eCluster.YAML.valueToTree(original.getSpec());
    for (JsonNode disk : spec.get("disks")) {
      ObjectNode volume = (ObjectNode) disk.get("source").get("volume");
      volume.put("name", volume.get("name").asText().replace(NAME + "-", CLONE + "-"));
    }
    manifest.set("spec", spec);
    return manifest.toString();
  }

  private static void assertDisjoint(Set<String> theirs, Set<String> mine, String what) {
    Set<String> shared = new TreeSet<>(theirs);
    shared.retainAll(mine);
    assertEquals(Set.of(), shared, what + " the clone shares with the original");
  }
}
