package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.GuestMetadata;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.guest.NodeFacts;
import io.vguest.guest.StampRestorer;
import io.vguest.reconcile.GuestPipeline.Prepared;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The versioned machine type a guest was first defined with, kept on every node and through re-applies. */
class MachineTypePinTest {

  static final NodeFacts QEMU_72 = SyncFixtures.NODE; // q35 means pc-q35-7.2
  static final NodeFacts QEMU_82 = new NodeFacts("node-b", "4c4c4544-0042-3510-8052-b7c04f4e3233", 9_000_000L,
      Map.of("q35", "pc-q35-8.2", "pc", "pc-i440fx-8.2"));
  static final NodeFacts NO_CAPABILITIES = new NodeFacts("node-t", null, 9_000_000L, Map.of());

  static final String ALIAS = SyncFixtures.WEB.replace("  nodeName: node-a", "  nodeName: node-a\n  machineType: q35");

  private static Prepared prepare(VirtualGuest guest, NodeFacts node) {
    Prepared prepared = new GuestPipeline(SyncFixtures.SETTINGS, node).prepare(guest, null);
    assertFalse(prepared.refused(), prepared.message());
    return prepared;
  }

  private static String renderedMachine(VirtualGuest stamped, NodeFacts node) {
    String xml = new DomainRenderer().render(new DefinitionBuilder(SyncFixtures.SETTINGS, node).build(stamped)).xml();
    int at = xml.indexOf("machine='");
    return xml.substring(at + 9, xml.indexOf('\'', at + 9));
  }

  @Test
  void anAliasIsPinnedToWhatItMeantWhereTheGuestWasFirstDefined() {
    VirtualGuest stamped = prepare(SyncFixtures.guest(ALIAS), QEMU_72).stamp().guest();
    assertEquals("q35", stamped.getSpec().machineType, "the user's request stays as written");
    assertEquals("pc-q35-7.2", stamped.getSpec().identity.machineType);
    assertEquals("q35", stamped.getSpec().identity.machineTypeFor);
    assertEquals("pc-q35-7.2", renderedMachine(stamped, QEMU_72));
  }

  @Test
  void aNodeWhereTheAliasMeansSomethingNewerStillDefinesThePinnedType() {
    VirtualGuest stamped = prepare(SyncFixtures.guest(ALIAS), QEMU_72).stamp().guest();
    Prepared onB = prepare(stamped, QEMU_82);
    assertEquals(List.of(), onB.stamp().filled(), "nothing re-resolved on the other node");
    assertEquals("pc-q35-7.2", renderedMachine(onB.stamp().guest(), QEMU_82));
  }

  @Test
  void reapplyingTheManifestThatSaysQ35DoesNotUndoThePin() {
    VirtualGuest stamped = prepare(SyncFixtures.guest(ALIAS), QEMU_72).stamp().guest();
    // A JSON merge patch of the manifest: spec.machineType is set to q35 again, spec.identity is untouched.
    JsonNode merged = SyncFixtures.YAML.valueToTree(stamped);
    ((com.fasterxml.jackson.databind.node.ObjectNode) merged.get("spec")).put("machineType", "q35");
    VirtualGuest reapplied = SyncFixtures.YAML.convertValue(merged, VirtualGuest.class);
    Prepared again = prepare(reapplied, QEMU_82);
    assertEquals(List.of(), again.stamp().filled());
    assertEquals("pc-q35-7.2", renderedMachine(again.stamp().guest(), QEMU_82));
  }

  @Test
  void editingSpecMachineTypeResolvesAndPinsItAfresh() throws Exception {
    VirtualGuest stamped = prepare(SyncFixtures.guest(ALIAS), QEMU_72).stamp().guest();
    stamped.getMetadata().setResourceVersion("12");
    VirtualGuest edited = SyncFixtures.copy(stamped);
    edited.getSpec().machineType = "q35"; // unchanged request: keeps the pin even on the newer node
    assertEquals("pc-q35-7.2", prepare(edited, QEMU_82).stamp().guest().getSpec().identity.machineType);

    edited.getSpec().machineType = "pc-q35-8.2"; // `kubectl vguest devices set --property machineType=pc-q35-8.2`
    Prepared repinned = prepare(edited, QEMU_82);
    assertEquals("pc-q35-8.2", repinned.stamp().guest().getSpec().identity.machineType);
    assertEquals("pc-q35-8.2", repinned.stamp().guest().getSpec().identity.machineTypeFor);
    String patch = StampPatch.between(repinned.base(), repinned.stamp().guest(), null);
    assertTrue(patch.contains("{\"op\":\"add\",\"path\":\"/spec/identity/machineType\",\"value\":\"pc-q35-8.2\"}"),
        patch);
    assertTrue(patch.contains("\"op\":\"test\",\"path\":\"/metadata/resourceVersion\",\"value\":\"12\""), patch);
    assertEquals("pc-q35-8.2", renderedMachine(repinned.stamp().guest(), QEMU_82));
  }

  @Test
  void aManifestWithoutMachineTypeIsPinnedToTheVersionedTypeStampedIntoTheSpec() {
    VirtualGuest stamped = prepare(SyncFixtures.guest(SyncFixtures.WEB), QEMU_72).stamp().guest();
    assertEquals("pc-q35-7.2", stamped.getSpec().machineType);
    assertEquals("pc-q35-7.2", stamped.getSpec().identity.machineType);
    assertEquals("pc-q35-7.2", renderedMachine(stamped, QEMU_82));
  }

  @Test
  void aNodeThatCannotResolveTheAliasPinsNothing() {
    VirtualGuest stamped = prepare(SyncFixtures.guest(ALIAS), NO_CAPABILITIES).stamp().guest();
    assertNull(stamped.getSpec().identity.machineType, "pinning q35 would pin nothing");
    assertEquals("pc-q35-7.2", prepare(stamped, QEMU_72).stamp().guest().getSpec().identity.machineType,
        "pinned by the first node that can resolve it");
  }

  @Test
  void aReplaceWithoutTheStampRestoresThePinFromTheDomain() {
    VirtualGuest stamped = prepare(SyncFixtures.guest(ALIAS), QEMU_72).stamp().guest();
    GuestMetadata recorded = new DefinitionBuilder(SyncFixtures.SETTINGS, QEMU_72).build(stamped).metadata();
    VirtualGuest replaced = SyncFixtures.guest(ALIAS); // kubectl replace of the manifest, on the newer node
    VirtualGuest restored = StampRestorer.restore(replaced, recorded).guest();
    assertEquals("pc-q35-7.2", restored.getSpec().identity.machineType);
    assertEquals("pc-q35-7.2", renderedMachine(prepare(restored, QEMU_82).stamp().guest(), QEMU_82));
  }
}
