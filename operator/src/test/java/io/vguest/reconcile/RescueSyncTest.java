package io.vguest.reconcile;

import static io.vguest.reconcile.SyncFixtures.NODE;
import static io.vguest.reconcile.SyncFixtures.SETTINGS;
import static io.vguest.reconcile.SyncFixtures.copy;
import static io.vguest.reconcile.SyncFixtures.stamped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vguest.api.v1alpha1.Rescue;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.api.v1alpha1.VolumeSource;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole.DeviceKind;
import io.vguest.domain.DiskDefinition.VolumeRef;
import io.vguest.domain.GuestDefinition;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.reconcile.SyncResult.Action;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rescue mode through libvirt's test driver: set while running it waits for the stop, then the
 * guest boots from the rescue disk on the rescue bus with its own disks behind it and every identity
 * value kept; removing it returns to the very domain the guest had before.
 */
class RescueSyncTest {

  private static final String DOMAIN = DefinitionBuilder.domainName("demo", "web-1");
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

  /** The sync fixture's guest with its rescue bus set to sata (Linux would default to virtio). */
  private static final String WEB_SATA_RESCUE = SyncFixtures.WEB.replace("  nodeName: node-a\n",
      "  nodeName: node-a\n  devices: {rescueBus: sata}\n");

  @TempDir Path dir;
  private LibvirtHypervisor hv;
  private GuestSync sync;

  @BeforeEach
  void setUp() {
    hv = new LibvirtHypervisor(SyncFixtures.testNode(dir));
    sync = new GuestSync(hv, SETTINGS, NODE, GRACE, CLOCK);
  }

  @AfterEach
  void tearDown() {
    hv.close();
  }

  private static VirtualGuest next(VirtualGuest guest, VirtualGuestStatus status, long generation) {
    VirtualGuest next = copy(guest);
    next.setStatus(status);
    next.getMetadata().setGeneration(generation);
    return next;
  }

  private static Rescue rescue(String volume) {
    Rescue rescue = new Rescue();
    rescue.volume = new VolumeSource();
    rescue.volume.pool = "default";
    rescue.volume.name = volume;
    return rescue;
  }

  @Test
  void rescueWaitsForTheStopBootsFromTheRescueDiskAndKeepsIdentity() {
    VirtualGuest guest = stamped(WEB_SATA_RESCUE);
    SyncResult created = sync.sync(guest);
    DomainFacts normal = DomainFacts.parse(hv.dumpXml(DOMAIN));
    String rootSerial = guest.getSpec().identity.diskSerials.get("root");
    String cdromSerial = guest.getSpec().identity.diskSerials.get("install");

    VirtualGuest rescued = next(guest, created.status(), 2L);
    rescued.getSpec().rescue = rescue("rescue.qcow2");
    SyncResult held = sync.sync(rescued);
    assertEquals(List.of(Action.HELD), held.actions());
    assertEquals(List.of("spec.rescue"), held.pendingChanges());

    hv.shutdown(DOMAIN, GRACE);
    SyncResult applied = sync.sync(next(rescued, held.status(), 2L));
    assertEquals(List.of(Action.REDEFINED, Action.STARTED), applied.actions());

    DomainFacts facts = DomainFacts.parse(hv.dumpXml(DOMAIN));
    assertEquals(new DomainFacts.DiskFact(DeviceKind.DISK, DiskBus.SATA, GuestDefinition.RESCUE_SERIAL,
        new VolumeRef("default", "rescue.qcow2"), false, 1), facts.disks().get(0), "the rescue disk comes first");
    assertEquals(Set.of(
        new DomainFacts.DiskFact(DeviceKind.DISK, DiskBus.VIRTIO, rootSerial, new VolumeRef("default", "web-1-root.qcow2"),
            false, 2),
        new DomainFacts.DiskFact(DeviceKind.CDROM, DiskBus.SATA, cdromSerial, null, true, null)),
        Set.copyOf(facts.disks().subList(1, facts.disks().size())),
        "the guest's own disks follow with their serials, the root disk boots second");
    assertEquals(normal.uuid(), facts.uuid());
    assertEquals(normal.serial(), facts.serial());
    assertEquals(normal.interfaces(), facts.interfaces(), "MACs and NIC models stay");
    assertEquals(normal.oemStrings(), facts.oemStrings());
    assertNull(applied.status().pendingChanges);
    assertEquals(List.of("root", "install"), applied.status().disks.stream().map(d -> d.name).toList(),
        "status lists the guest's own disks");

    VirtualGuest back = next(rescued, applied.status(), 3L);
    back.getSpec().rescue = null;
    SyncResult heldBack = sync.sync(back);
    assertEquals(List.of("spec.rescue"), heldBack.pendingChanges());
    hv.shutdown(DOMAIN, GRACE);
    SyncResult restored = sync.sync(next(back, heldBack.status(), 3L));
    assertEquals(List.of(Action.REDEFINED, Action.STARTED), restored.actions());
    assertEquals(created.hash(), restored.hash(), "the normal definition again, byte for byte");
    assertEquals(normal.disks(), DomainFacts.parse(hv.dumpXml(DOMAIN)).disks());
  }

  @Test
  void anotherRescueVolumeIsARescueChange() {
    VirtualGuest guest = stamped(WEB_SATA_RESCUE);
    guest.getSpec().rescue = rescue("rescue.qcow2");
    SyncResult created = sync.sync(guest);
    VirtualGuest other = next(guest, created.status(), 2L);
    other.getSpec().rescue = rescue("rescue-2.qcow2");
    assertEquals(List.of("spec.rescue"), sync.sync(other).pendingChanges());
  }
}
