package io.vguest.reconcile;

import static io.vguest.reconcile.StatusBuilder.READY;
import static io.vguest.reconcile.StatusBuilder.RESTART_REQUIRED;
import static io.vguest.reconcile.StatusBuilder.SYNCED;
import static io.vguest.reconcile.StatusBuilder.condition;
import static io.vguest.reconcile.SyncFixtures.NODE;
import static io.vguest.reconcile.SyncFixtures.SETTINGS;
import static io.vguest.reconcile.SyncFixtures.WEB;
import static io.vguest.reconcile.SyncFixtures.stamped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.GuestDefinition;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.libvirt.DomainState;
import io.vguest.reconcile.Observation.Failure;
import io.vguest.reconcile.SyncResult.Action;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusBuilderTest {

  private static final Instant T1 = Instant.parse("2025-03-01T10:00:00.123Z");
  private static final Instant T2 = Instant.parse("2025-03-01T11:30:00Z");
  private static final GuestDefinition DEFINITION = new DefinitionBuilder(SETTINGS, NODE).build(stamped(WEB));
  private static final String HASH = new DomainRenderer().render(DEFINITION).hash();

  private static Observation running(List<String> pending) {
    return new Observation(List.of(Action.NONE), DomainState.RUNNING, DEFINITION, HASH, pending, null, null,
        RunStrategy.Always, Map.of("root", "system"));
  }

  private static Observation failed(Reason reason) {
    return new Observation(List.of(Action.NONE), null, null, null, null, new Failure(reason, "bad"), null,
        RunStrategy.Always, Map.of());
  }

  @Test
  void transitionTimeIsKeptWhileStatusIsUnchanged() {
    VirtualGuestStatus first = StatusBuilder.build(null, 1L, running(List.of()), "node-a", T1);
    VirtualGuestStatus second = StatusBuilder.build(first, 1L, running(List.of()), "node-a", T2);

    assertEquals("2025-03-01T10:00:00Z", condition(second, READY).getLastTransitionTime());
    assertEquals("2025-03-01T10:00:00Z", condition(second, SYNCED).getLastTransitionTime());
    assertTrue(StatusBuilder.sameStatus(first, second));
  }

  @Test
  void transitionTimeMovesOnlyForConditionsWhoseStatusChanged() {
    VirtualGuestStatus first = StatusBuilder.build(null, 1L, running(List.of()), "node-a", T1);
    VirtualGuestStatus held = StatusBuilder.build(first, 2L, running(List.of("spec.resources.memory")), "node-a", T2);

    assertEquals("2025-03-01T11:30:00Z", condition(held, READY).getLastTransitionTime(), "True -> False");
    assertEquals("2025-03-01T11:30:00Z", condition(held, RESTART_REQUIRED).getLastTransitionTime(), "False -> True");
    assertEquals("2025-03-01T10:00:00Z", condition(held, SYNCED).getLastTransitionTime(), "True, reason changed");
    assertEquals(Reason.ChangesPending.name(), condition(held, SYNCED).getReason());
    assertFalse(StatusBuilder.sameStatus(first, held));
  }

  @Test
  void observedGenerationIsOnTheStatusAndEveryCondition() {
    VirtualGuestStatus status = StatusBuilder.build(null, 7L, running(List.of()), "node-a", T1);

    assertEquals(7L, status.observedGeneration);
    assertEquals(List.of(7L, 7L, 7L), status.conditions.stream().map(c -> c.getObservedGeneration()).toList());
    assertEquals(List.of(READY, SYNCED, RESTART_REQUIRED), status.conditions.stream().map(c -> c.getType()).toList());
  }

  @Test
  void aScsiDiskShowsItsWwnLikeItsSerial() {
    GuestDefinition scsi = new DefinitionBuilder(SETTINGS, NODE).build(stamped(WEB.replace("tag: system",
        "tag: system\n      bus: scsi")));
    Observation observed = new Observation(List.of(Action.NONE), DomainState.RUNNING, scsi,
        new DomainRenderer().render(scsi).hash(), List.of(), null, null, RunStrategy.Always, Map.of());
    VirtualGuestStatus status = StatusBuilder.build(null, 1L, observed, "node-a", T1);
    assertEquals(new io.vguest.identity.IdentityGenerator("test-seed").diskWwn("demo", "web-1", "root"),
        status.disks.get(0).wwn);
    assertNull(status.disks.get(1).wwn, "the sata cdrom shows none");
  }

  @Test
  void identityAndDisksComeFromTheDefinition() {
    VirtualGuestStatus status = StatusBuilder.build(null, 1L, running(List.of()), "node-a", T1);

    assertEquals("Running", status.state);
    assertEquals("node-a", status.node);
    assertEquals(DEFINITION.uuid(), status.uuid);
    assertEquals(DEFINITION.smbios().serial(), status.serial);
    assertEquals("unique", status.serialSource);
    assertEquals(List.of("root", "install"), status.disks.stream().map(d -> d.name).toList());
    assertEquals("system", status.disks.get(0).tag);
    assertEquals("sata", status.disks.get(1).bus);
    assertTrue(status.disks.get(1).byIdPath.startsWith("/dev/disk/by-id/ata-QEMU_DVD-ROM_"),
        status.disks.get(1).byIdPath);
    assertEquals("pc-q35-7.2", status.effectiveDevices.machineType);
  }

  @Test
  void invalidGuestKeepsWhatWasObservedBefore() {
    VirtualGuestStatus before = StatusBuilder.build(null, 1L, running(List.of("spec.resources.cpus")), "node-a", T1);
    VirtualGuestStatus invalid = StatusBuilder.build(before, 2L, failed(Reason.Invalid), "node-a", T2);

    assertEquals(before.uuid, invalid.uuid);
    assertEquals(before.serial, invalid.serial);
    assertEquals(List.of("spec.resources.cpus"), invalid.pendingChanges);
    assertEquals("True", condition(invalid, RESTART_REQUIRED).getStatus(), "unknown: the previous one stays");
    assertEquals("False", condition(invalid, READY).getStatus());
    assertEquals(Reason.Invalid.name(), condition(invalid, READY).getReason());
    assertEquals(2L, condition(invalid, READY).getObservedGeneration());
    assertEquals("Pending", invalid.state);
    assertNull(invalid.node);
  }

  @Test
  void serialSourceNamesWhetherTheSerialMoves() {
    assertEquals("unique", StatusBuilder.serialSource("unique"));
    assertEquals("host (changes when the guest moves)", StatusBuilder.serialSource("host"));
    assertEquals("none", StatusBuilder.serialSource("none"));
  }

  @Test
  void sameStatusComparesDeeply() {
    VirtualGuestStatus a = StatusBuilder.build(null, 1L, running(List.of()), "node-a", T1);
    VirtualGuestStatus b = StatusBuilder.build(null, 1L, running(List.of()), "node-a", T1);
    assertTrue(StatusBuilder.sameStatus(a, b));
    b.disks.get(0).guestSerial = "X";
    assertFalse(StatusBuilder.sameStatus(a, b));
    assertFalse(StatusBuilder.sameStatus(a, null));
  }
}
