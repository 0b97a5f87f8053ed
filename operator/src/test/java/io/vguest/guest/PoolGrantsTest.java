package io.vguest.guest;

import static io.vguest.guest.TestGuests.NODE_A;
import static io.vguest.guest.TestGuests.guest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Pools per namespace and volumes that belong to a namespace: the validator and the last gate before libvirt. */
class PoolGrantsTest {

  /** Pool default for every namespace, tenant-a for team-a only, shared for team-a and team-b. */
  static final GuestSettings SETTINGS = GuestSettings.defaults("test-seed").withAllowedPools(Set.of("default"))
      .withPoolGrants(PoolGrants.parseGrants("tenant-a=team-a;shared=team-a,team-b"));

  static String guestYaml(String namespace, String extraDisk) {
    return """
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: web-1, namespace: %s}
        spec:
          nodeName: node-a
          resources: {cpus: 1, memory: 256Mi}
          disks:
            - name: root
              role: root
              source: {volume: {pool: default, name: base.qcow2}}
        %s
        """.formatted(namespace, extraDisk.indent(4));
  }

  private static List<String> violations(String namespace, String extraDisk) {
    return GuestValidator.forPools(SETTINGS.pools()).validate(guest(guestYaml(namespace, extraDisk))).stream()
        .map(Violation::toString).toList();
  }

  @Test
  void parsesGrantsAndSaysWhichPoolsANamespaceMayUse() {
    PoolGrants pools = SETTINGS.pools();
    assertEquals(Set.of("default", "shared", "tenant-a"), pools.poolsFor("team-a"));
    assertEquals(Set.of("default", "shared"), pools.poolsFor("team-b"));
    assertEquals(Set.of("default"), pools.poolsFor("team-c"));
    assertEquals(Set.of("default", "shared", "tenant-a"), pools.allPools());
    assertEquals("shared=team-a,team-b;tenant-a=team-a", pools.grantsText());
    assertEquals(Map.of("a", Set.of("x", "y"), "b", Set.of("z")), PoolGrants.parseGrants(" a=x,y ; b=z "));
    assertEquals(Map.of(), PoolGrants.parseGrants(""));
    IllegalArgumentException noNamespace = assertThrows(IllegalArgumentException.class,
        () -> PoolGrants.parseGrants("tenant-a"));
    assertTrue(noNamespace.getMessage().contains("POOL=NAMESPACE[,NAMESPACE...]"), noNamespace.getMessage());
    IllegalArgumentException badNamespace = assertThrows(IllegalArgumentException.class,
        () -> PoolGrants.parseGrants("tenant-a=Team_A"));
    assertTrue(badNamespace.getMessage().contains("\"Team_A\" is not a namespace name"), badNamespace.getMessage());
  }

  @Test
  void aPoolGrantedToAnotherNamespaceIsRefusedNamingTheFieldAndTheAllowedPools() {
    assertEquals(List.of(), violations("team-a", "- {name: data, role: data, source: {volume: {pool: tenant-a, "
        + "name: data.qcow2}}}"));
    assertEquals(List.of("spec.disks[1].source.volume.pool: Invalid value: \"tenant-a\": this node allows namespace "
        + "team-b only the pools \"default\", \"shared\""),
        violations("team-b", "- {name: data, role: data, source: {volume: {pool: tenant-a, name: data.qcow2}}}"));
    assertEquals(List.of("spec.disks[1].source.blank.pool: Invalid value: \"shared\": this node allows namespace "
        + "team-c only the pools \"default\""),
        violations("team-c", "- {name: data, role: data, source: {blank: {pool: shared, size: 1Gi}}}"));
  }

  @Test
  void aNamespaceWithoutAnyPoolIsRefusedForEveryDisk() {
    GuestValidator strict = GuestValidator.forPools(PoolGrants.everyNamespace(Set.of())
        .withGrants(PoolGrants.parseGrants("tenant-a=team-a")));
    List<String> found = strict.validate(guest(guestYaml("team-b", ""))).stream().map(Violation::toString).toList();
    assertEquals(List.of("spec.disks[0].source.volume.pool: Invalid value: \"default\": this node grants namespace "
        + "team-b no storage pool (none is allowed to every namespace, and no pool grant names it)"), found);
  }

  @Test
  void aVolumeVguestCreatedForAnotherNamespaceIsNeverAttachedWhateverThePoolAllows() {
    String foreign = "- {name: data, role: data, source: {volume: {pool: shared, name: team-a_web-1_data.qcow2}}}";
    assertEquals(List.of("spec.disks[1].source.volume.name: Forbidden: volume \"team-a_web-1_data.qcow2\" was "
        + "created by vguest for a guest of namespace team-a; a guest of namespace team-b may not attach it, whatever "
        + "the pool allows (volumes named <namespace>_<guest>_<disk>.qcow2 belong to that namespace)"),
        violations("team-b", foreign));
    assertEquals(List.of(), violations("team-a", foreign), "its own namespace may attach it");
    assertEquals(List.of("spec.disks[1].source.external.volumeId"), fields("team-b",
        "- {name: data, role: data, source: {external: {pool: default, volumeId: team-a_db_data.qcow2}}}"));
  }

  @Test
  void kernelAndInitrdAndRescueVolumesOfAnotherNamespaceAreRefused() {
    VirtualGuest guest = guest(guestYaml("team-b", "") + """
          kernelBoot:
            kernel: {pool: default, name: team-a_web-1_root.qcow2}
            initrd: {pool: tenant-a, name: initrd.img}
          rescue:
            volume: {pool: default, name: team-a_web-1_data.qcow2}
        """);
    List<String> fields = GuestValidator.forPools(SETTINGS.pools()).validate(guest).stream().map(Violation::field).toList();
    assertEquals(List.of("spec.kernelBoot.kernel.name", "spec.kernelBoot.initrd.pool", "spec.rescue.volume.name"),
        fields);
  }

  @Test
  void namesVguestDoesNotCreateBelongToNoNamespace() {
    assertEquals(Optional.of("team-a"), PoolGrants.createdFor(DefinitionBuilder.blankVolumeName("team-a", "web-1",
        "data")));
    assertEquals(Optional.of("team-a"), PoolGrants.createdFor("team-a_db.example_root.qcow2"));
    assertEquals(Optional.empty(), PoolGrants.createdFor("debian-12.qcow2"));
    assertEquals(Optional.empty(), PoolGrants.createdFor("team-a_web-1_data.raw"));
    assertEquals(Optional.empty(), PoolGrants.createdFor("Team_web_data.qcow2"));
    assertEquals(Optional.empty(), PoolGrants.createdFor("team-a_web-1.qcow2"));
  }

  @Test
  void theDefinitionIsRefusedAgainWhateverValidatedTheGuestBefore() {
    VirtualGuest guest = guest(guestYaml("team-b", """
        - {name: data, role: data, source: {volume: {pool: default, name: team-a_web-1_data.qcow2}}}
        - {name: more, role: data, source: {blank: {pool: tenant-a, size: 1Gi}}}"""));
    VirtualGuest stamped = new GuestStamper(SETTINGS, NODE_A).stamp(guest, null).guest();
    InvalidGuestException refused = assertThrows(InvalidGuestException.class,
        () -> new DefinitionBuilder(SETTINGS, NODE_A).build(stamped));
    assertEquals("Invalid", refused.reason());
    assertEquals(2, refused.problems().size(), refused.problems().toString());
    assertTrue(refused.problems().get(0).startsWith("spec.disks[1].source: volume \"team-a_web-1_data.qcow2\" was "
        + "created by vguest for a guest of namespace team-a"), refused.problems().get(0));
    assertEquals("spec.disks[2].source: pool \"tenant-a\" is not allowed on this node for namespace team-b; allowed "
        + "pools: default, shared", refused.problems().get(1));
  }

  private static List<String> fields(String namespace, String extraDisk) {
    return GuestValidator.forPools(SETTINGS.pools()).validate(guest(guestYaml(namespace, extraDisk))).stream()
        .map(Violation::field).toList();
  }
}
