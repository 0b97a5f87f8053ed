package io.vguest.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.domain.OfferedMachineTypes;
import io.vguest.domain.xml.HostCapabilities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which machine types count as deprecated, and the newer type the condition names. */
class MachineTypeDeprecationTest {

  /** A real libvirt 9.0 + QEMU 7.2 `virsh capabilities`, read through the agent's parser. */
  static OfferedMachineTypes qemu72() throws Exception {
    return HostCapabilities.parse(Files.readString(Path.of(MachineTypeDeprecationTest.class.getResource(
        "/libvirt-dumps/capabilities-qemu-7.2.xml").toURI()))).offeredMachineTypes();
  }

  @Test
  void qemu72DeprecatesTheI440fx1TypesOnly() throws Exception {
    OfferedMachineTypes types = qemu72();
    assertEquals(List.of("pc-i440fx-1.4", "pc-i440fx-1.5", "pc-i440fx-1.6", "pc-i440fx-1.7"), types.deprecated());
    assertTrue(types.all().contains("pc-q35-2.4") && types.all().contains("pc-i440fx-2.0"), types.all().toString());
  }

  @Test
  void theNewestOfTheSameFamilyComparesVersionsAsNumbers() throws Exception {
    OfferedMachineTypes types = qemu72();
    assertEquals(Optional.of("pc-i440fx-7.2"),
        MachineTypeDeprecation.newerOfSameFamily("pc-i440fx-1.5", types.all(), types.deprecated()));
    assertEquals(Optional.of("pc-q35-2.12"), MachineTypeDeprecation.newerOfSameFamily("pc-q35-2.9",
        List.of("pc-q35-2.9", "pc-q35-2.10", "pc-q35-2.12", "pc-q35-2.4", "q35"), List.of("pc-q35-2.9")));
    assertEquals(Optional.of("pc-q35-4.0.1"), MachineTypeDeprecation.newerOfSameFamily("pc-q35-3.1",
        List.of("pc-q35-3.1", "pc-q35-4.0", "pc-q35-4.0.1"), List.of("pc-q35-3.1")));
    assertEquals(Optional.of("pc-i440fx-rhel7.6.0"), MachineTypeDeprecation.newerOfSameFamily("pc-i440fx-rhel7.2.0",
        List.of("pc-i440fx-rhel7.2.0", "pc-i440fx-rhel7.6.0", "pc-q35-rhel9.0.0"), List.of("pc-i440fx-rhel7.2.0")));
    assertEquals(Optional.empty(), MachineTypeDeprecation.newerOfSameFamily("pc-i440fx-1.7",
        List.of("pc-i440fx-1.7", "pc-i440fx-1.6", "pc-q35-7.2"), List.of("pc-i440fx-1.7", "pc-i440fx-1.6")),
        "an older or deprecated type of the family is no way out, nor another family");
  }

  @Test
  void onlyADeprecatedTypeGetsAMessageAndItNamesTheWayOut() throws Exception {
    OfferedMachineTypes types = qemu72();
    assertEquals(Optional.empty(), MachineTypeDeprecation.message("demo", "web-1", "pc-i440fx-2.0",
        "spec.machineType", "node-a", types.all(), types.deprecated()), "2.0 is old but not deprecated by QEMU 7.2");
    assertEquals(Optional.empty(), MachineTypeDeprecation.message("demo", "web-1", null, "spec.machineType",
        "node-a", types.all(), types.deprecated()));
    String message = MachineTypeDeprecation.message("demo", "web-1", "pc-i440fx-1.4", "spec.identity.machineType",
        "node-a", types.all(), types.deprecated()).orElseThrow();
    assertTrue(message.startsWith("machine type pc-i440fx-1.4 (spec.identity.machineType) is deprecated by the QEMU "
        + "of node node-a"), message);
    assertTrue(message.contains("kubectl vguest devices set web-1 -n demo --property machineType=pc-i440fx-7.2"),
        message);
    String stuck = MachineTypeDeprecation.message("demo", "web-1", "pc-i440fx-1.4", "spec.machineType", "node-a",
        List.of("pc-i440fx-1.4"), List.of("pc-i440fx-1.4")).orElseThrow();
    assertTrue(stuck.contains("The node offers no newer type of its family"), stuck);
  }

  @Test
  void theConditionKeepsItsTransitionTimeAndGoesWhenTheTypeIsNoLongerDeprecated() {
    VirtualGuestStatus first = MachineTypeDeprecation.withCondition(new VirtualGuestStatus(), null,
        Optional.of("deprecated"), 3L, Instant.parse("2026-01-01T10:00:00.5Z"));
    Condition c = StatusBuilder.condition(first, MachineTypeDeprecation.CONDITION);
    assertEquals("True", c.getStatus());
    assertEquals("DeprecatedByNode", c.getReason());
    assertEquals("2026-01-01T10:00:00Z", c.getLastTransitionTime());
    assertEquals(3L, c.getObservedGeneration());

    VirtualGuestStatus later = MachineTypeDeprecation.withCondition(new VirtualGuestStatus(), first,
        Optional.of("deprecated"), 3L, Instant.parse("2026-01-02T00:00:00Z"));
    assertTrue(StatusBuilder.sameStatus(first, later), "an unchanged guest's status stays equal: no write");

    VirtualGuestStatus moved = MachineTypeDeprecation.withCondition(new VirtualGuestStatus(), later, Optional.empty(),
        4L, Instant.parse("2026-01-03T00:00:00Z"));
    assertNull(StatusBuilder.condition(moved, MachineTypeDeprecation.CONDITION));
    assertFalse(MachineTypeDeprecation.reported(moved));
    assertTrue(MachineTypeDeprecation.reported(MachineTypeDeprecation.carriedOver(new VirtualGuestStatus(), first)),
        "kept as it was while the node's types cannot be read");
  }
}
