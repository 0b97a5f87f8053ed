package io.vguest.reconcile;

import static io.vguest.reconcile.StatusBuilder.READY;
import static io.vguest.reconcile.StatusBuilder.RESTART_REQUIRED;
import static io.vguest.reconcile.StatusBuilder.SYNCED;
import static io.vguest.reconcile.StatusBuilder.condition;
import static io.vguest.reconcile.SyncFixtures.NODE;
import static io.vguest.reconcile.SyncFixtures.SETTINGS;
import static io.vguest.reconcile.SyncFixtures.WEB;
import static io.vguest.reconcile.SyncFixtures.copy;
import static io.vguest.reconcile.SyncFixtures.stamped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.DiskStatus;
import io.vguest.api.v1alpha1.KernelBoot;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.api.v1alpha1.VolumeSource;
import io.vguest.devices.DiskBus;
import io.vguest.domain.GuestMetadata;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.libvirt.DomainState;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.reconcile.SyncFixtures.CountingHypervisor;
import io.vguest.reconcile.SyncResult.Action;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Syncs guests against libvirt's in-process test driver, one private node per test. */
class GuestSyncTest {

  private static final String DOMAIN = DefinitionBuilder.domainName("demo", "web-1");
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;
  private LibvirtHypervisor libvirt;
  private CountingHypervisor hv;
  private GuestSync sync;

  @BeforeEach
  void setUp() {
    libvirt = new LibvirtHypervisor(SyncFixtures.testNode(dir));
    hv = new CountingHypervisor(libvirt);
    sync = new GuestSync(hv, SETTINGS, NODE, GRACE, CLOCK);
  }

  @AfterEach
  void tearDown() {
    libvirt.close();
  }

  /** What the next reconcile sees: the guest with the status the last one wrote. */
  private static VirtualGuest withStatus(VirtualGuest guest, VirtualGuestStatus status) {
    VirtualGuest next = copy(guest);
    next.setStatus(status);
    return next;
  }

  @Test
  void aValueTheXmlWriterRefusesLeavesTheDomainUntouchedWithReasonInvalid() {
    VirtualGuest guest = stamped(WEB);
    guest.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("example.com/v1").withKind("GuestSet").withName("set\u0085").withUid("u-1")
        .withController(true).build()));

    SyncResult result = sync.sync(guest);

    assertEquals(List.of(Action.NONE), result.actions());
    assertEquals(0, hv.defines.get());
    assertFalse(hv.lookup(DOMAIN).isPresent());
    Condition ready = condition(result.status(), READY);
    assertEquals("Invalid", ready.getReason());
    assertTrue(ready.getMessage().contains("control character U+0085"), ready.getMessage());
  }

  @Test
  void newGuestIsDefinedWithItsStampedIdentityAndStarted() {
    VirtualGuest guest = stamped(WEB);

    SyncResult result = sync.sync(guest);

    assertEquals(List.of(Action.DEFINED, Action.STARTED), result.actions());
    assertEquals(DomainState.RUNNING, result.state());
    assertEquals(DomainState.RUNNING, hv.lookup(DOMAIN).orElseThrow().state());
    assertEquals(guest.getSpec().firmware.uuid, hv.lookup(DOMAIN).orElseThrow().uuid());
    DomainFacts facts = DomainFacts.parse(hv.dumpXml(DOMAIN));
    assertEquals(guest.getSpec().firmware.serial, facts.serial());
    assertEquals(result.hash(), facts.metadata().renderHash());
    assertEquals(result.hash(), GuestMetadata.parse(hv.lookup(DOMAIN).orElseThrow().vguestMetadataXml().orElseThrow())
        .renderHash(), "the metadata as the domain view carries it");

    VirtualGuestStatus status = result.status();
    assertEquals("Running", status.state);
    assertEquals("node-a", status.node);
    assertEquals(guest.getSpec().firmware.serial, status.serial);
    assertEquals("unique", status.serialSource);
    assertEquals(guest.getSpec().firmware.uuid, status.uuid);
    assertEquals(1L, status.observedGeneration);
    assertNull(status.pendingChanges);
    assertEquals("pc-q35-7.2", status.effectiveDevices.machineType);
    String rootSerial = guest.getSpec().identity.diskSerials.get("root");
    assertDisk(status.disks.get(0), "root", "system", "virtio", rootSerial, "/dev/disk/by-id/virtio-" + rootSerial);
    assertCondition(status, READY, "True", Reason.Running);
    assertCondition(status, SYNCED, "True", Reason.UpToDate);
    assertCondition(status, RESTART_REQUIRED, "False", Reason.UpToDate);
    assertEquals("2025-03-01T10:00:00Z", condition(status, READY).getLastTransitionTime());
  }

  @Test
  void secondSyncWithoutChangeDoesNothing() {
    VirtualGuest guest = stamped(WEB);
    SyncResult first = sync.sync(guest);
    String xml = hv.dumpXml(DOMAIN);
    int writes = hv.writes();

    SyncResult second = sync.sync(withStatus(guest, first.status()));

    assertEquals(List.of(Action.NONE), second.actions());
    assertEquals(writes, hv.writes(), "no define, start or shutdown");
    assertEquals(1, hv.defines.get());
    assertEquals(xml, hv.dumpXml(DOMAIN));
    assertTrue(StatusBuilder.sameStatus(first.status(), second.status()), "no status write needed");
  }

  @Test
  void diskBusChangeWhileRunningIsHeldThenAppliedWhenStopped() {
    VirtualGuest guest = stamped(WEB);
    SyncResult created = sync.sync(guest);
    String runningXml = hv.dumpXml(DOMAIN);
    String rootSerial = guest.getSpec().identity.diskSerials.get("root");

    VirtualGuest changed = withStatus(guest, created.status());
    changed.getSpec().devices.diskBus = DiskBus.SATA;
    changed.getMetadata().setGeneration(2L);
    SyncResult held = sync.sync(changed);

    assertEquals(List.of(Action.HELD), held.actions());
    assertEquals(runningXml, hv.dumpXml(DOMAIN), "a running domain is never redefined");
    assertEquals(1, hv.defines.get());
    assertEquals(List.of("spec.devices.diskBus"), held.pendingChanges());
    VirtualGuestStatus heldStatus = held.status();
    assertEquals(List.of("spec.devices.diskBus"), heldStatus.pendingChanges);
    assertCondition(heldStatus, RESTART_REQUIRED, "True", Reason.ChangesPending);
    assertTrue(condition(heldStatus, RESTART_REQUIRED).getMessage().contains("spec.devices.diskBus"));
    assertCondition(heldStatus, READY, "False", Reason.ChangesPending);
    assertCondition(heldStatus, SYNCED, "True", Reason.ChangesPending);
    assertEquals("virtio", heldStatus.disks.get(0).bus, "status shows the bus the guest sees now");
    assertEquals(DiskBus.VIRTIO, heldStatus.effectiveDevices.diskBus);

    hv.shutdown(DOMAIN, GRACE);
    SyncResult applied = sync.sync(withStatus(changed, heldStatus));

    assertEquals(List.of(Action.REDEFINED, Action.STARTED), applied.actions());
    assertEquals(DomainState.RUNNING, applied.state());
    DomainFacts facts = DomainFacts.parse(hv.dumpXml(DOMAIN));
    DomainFacts.DiskFact root = facts.disks().get(0);
    assertEquals(DiskBus.SATA, root.bus());
    assertEquals(rootSerial, root.serial(), "the disk keeps its serial across the redefine");
    assertEquals(guest.getSpec().firmware.uuid, facts.uuid());
    VirtualGuestStatus status = applied.status();
    assertNull(status.pendingChanges);
    assertCondition(status, RESTART_REQUIRED, "False", Reason.UpToDate);
    assertCondition(status, READY, "True", Reason.Running);
    assertEquals(2L, status.observedGeneration);
    assertDisk(status.disks.get(0), "root", "system", "sata", rootSerial,
        "/dev/disk/by-id/ata-QEMU_HARDDISK_" + rootSerial);
  }

  @Test
  void haltedShutsARunningGuestDown() {
    VirtualGuest guest = stamped(WEB);
    SyncResult running = sync.sync(guest);

    VirtualGuest halted = withStatus(guest, running.status());
    halted.getSpec().runStrategy = RunStrategy.Halted;
    SyncResult result = sync.sync(halted);

    assertEquals(List.of(Action.STOPPED), result.actions());
    assertEquals(DomainState.STOPPED, hv.lookup(DOMAIN).orElseThrow().state());
    assertEquals("Stopped", result.status().state);
    assertCondition(result.status(), READY, "True", Reason.Stopped);

    assertEquals(List.of(Action.NONE), sync.sync(withStatus(halted, result.status())).actions());
  }

  @Test
  void manualLeavesAStoppedGuestStopped() {
    VirtualGuest guest = stamped(WEB);
    guest.getSpec().runStrategy = RunStrategy.Manual;

    SyncResult defined = sync.sync(guest);
    assertEquals(List.of(Action.DEFINED), defined.actions());
    assertEquals(DomainState.STOPPED, hv.lookup(DOMAIN).orElseThrow().state());
    assertCondition(defined.status(), READY, "True", Reason.Stopped);

    SyncResult again = sync.sync(withStatus(guest, defined.status()));
    assertEquals(List.of(Action.NONE), again.actions());
    assertEquals(0, hv.starts.get());
    assertEquals(DomainState.STOPPED, hv.lookup(DOMAIN).orElseThrow().state());
  }

  @Test
  void foreignDomainWithTheSameNameIsNeverTouched() {
    String foreign = "<domain type='test'><name>" + DOMAIN + "</name>"
        + "<uuid>11111111-2222-3333-4444-555555555555</uuid><memory unit='MiB'>128</memory><vcpu>1</vcpu>"
        + "<os><type>hvm</type></os></domain>";
    libvirt.define(foreign);
    String before = hv.dumpXml(DOMAIN);

    SyncResult result = sync.sync(stamped(WEB));

    assertEquals(List.of(Action.NONE), result.actions());
    assertEquals(0, hv.writes());
    assertEquals(before, hv.dumpXml(DOMAIN));
    assertEquals(DomainState.STOPPED, hv.lookup(DOMAIN).orElseThrow().state());
    assertEquals(Reason.ForeignDomain, result.failure().reason());
    assertCondition(result.status(), READY, "False", Reason.ForeignDomain);
    assertCondition(result.status(), SYNCED, "False", Reason.ForeignDomain);
    assertEquals("Pending", result.status().state);
    assertNull(result.status().node);
  }

  @Test
  void invalidGuestDefinesNothing() {
    GuestSync strict = new GuestSync(hv, SETTINGS.withAllowedPools(Set.of("other")), NODE, GRACE, CLOCK);

    SyncResult result = strict.sync(stamped(WEB));

    assertEquals(List.of(Action.NONE), result.actions());
    assertEquals(Optional.empty(), hv.lookup(DOMAIN));
    assertEquals(0, hv.writes());
    assertNull(result.definition());
    Condition ready = condition(result.status(), READY);
    assertCondition(result.status(), READY, "False", Reason.Invalid);
    assertTrue(ready.getMessage().contains("spec.disks[0].source: pool \"default\" is not allowed"),
        ready.getMessage());
    assertTrue(ready.getMessage().contains("allowed pools: other"), ready.getMessage());
    assertEquals("Pending", result.status().state);
  }

  private static VirtualGuest withKernelBoot(VirtualGuest guest) {
    KernelBoot boot = new KernelBoot();
    boot.kernel = new VolumeSource();
    boot.kernel.pool = "default";
    boot.kernel.name = "vmlinuz";
    boot.initrd = new VolumeSource();
    boot.initrd.pool = "default";
    boot.initrd.name = "initrd.img";
    boot.cmdline = "console=ttyS0";
    guest.getSpec().kernelBoot = boot;
    return guest;
  }

  @Test
  void kernelBootVolumesAreDefinedByTheirPathOnTheNode() {
    hv.createVolume("default", "vmlinuz", 1024 * 1024);
    hv.createVolume("default", "initrd.img", 1024 * 1024);

    SyncResult result = sync.sync(withKernelBoot(stamped(WEB)));

    assertEquals(List.of(Action.DEFINED, Action.STARTED), result.actions());
    String xml = hv.dumpXml(DOMAIN);
    assertTrue(xml.contains("<kernel>/var/lib/vguest/images/vmlinuz</kernel>"), xml);
    assertTrue(xml.contains("<initrd>/var/lib/vguest/images/initrd.img</initrd>"), xml);
    assertTrue(xml.contains("<cmdline>console=ttyS0</cmdline>"), xml);
  }

  @Test
  void missingKernelVolumeDefinesNothingAndNamesTheVolume() {
    hv.createVolume("default", "initrd.img", 1024 * 1024);

    SyncResult result = sync.sync(withKernelBoot(stamped(WEB)));

    assertEquals(List.of(Action.NONE), result.actions());
    assertEquals(Optional.empty(), hv.lookup(DOMAIN));
    assertCondition(result.status(), READY, "False", Reason.VolumeNotFound);
    Condition ready = condition(result.status(), READY);
    assertTrue(ready.getMessage().startsWith("spec.kernelBoot.kernel: volume \"vmlinuz\" not found in pool "
        + "\"default\" on node node-a"), ready.getMessage());
  }

  @Test
  void lostConnectionIsReportedAndRetried() {
    libvirt.close();

    SyncResult result = sync.sync(stamped(WEB));

    assertTrue(result.retry());
    assertCondition(result.status(), SYNCED, "False", Reason.HypervisorUnavailable);
    assertEquals("Unknown", result.status().state);
    assertFalse(result.actions().contains(Action.DEFINED));
  }

  private static void assertCondition(VirtualGuestStatus status, String type, String value, Reason reason) {
    Condition c = condition(status, type);
    assertEquals(value + "/" + reason, c == null ? null : c.getStatus() + "/" + c.getReason(),
        type + ": " + (c == null ? "missing" : c.getMessage()));
    assertEquals(status.observedGeneration, c.getObservedGeneration());
  }

  private static void assertDisk(DiskStatus disk, String name, String tag, String bus, String serial, String byId) {
    assertEquals(List.of(name, String.valueOf(tag), bus, serial, serial, String.valueOf(byId)),
        List.of(disk.name, String.valueOf(disk.tag), disk.bus, disk.serial, disk.guestSerial,
            String.valueOf(disk.byIdPath)));
  }
}
