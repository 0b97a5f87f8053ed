package io.vguest.reconcile;

import static io.vguest.reconcile.SyncFixtures.NODE;
import static io.vguest.reconcile.SyncFixtures.SETTINGS;
import static io.vguest.reconcile.SyncFixtures.WEB;
import static io.vguest.reconcile.SyncFixtures.stamped;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Quantity;
import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.KernelBoot;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VolumeSource;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import io.vguest.devices.VifModel;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.xml.Domain;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.guest.GuestStamper;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class PendingChangesTest {

  private static List<String> after(Consumer<VirtualGuest> change) {
    VirtualGuest guest = stamped(WEB);
    Domain before = facts(guest);
    VirtualGuest changed = SyncFixtures.copy(guest);
    change.accept(changed);
    changed = new GuestStamper(SETTINGS, NODE).stamp(changed, null).guest();
    return PendingChanges.between(before, facts(changed));
  }

  /** The typed model the renderer writes for the stamped guest (never its XML parsed again). */
  private static Domain facts(VirtualGuest guest) {
    return new DomainRenderer().render(new DefinitionBuilder(SETTINGS, NODE)
        .build(guest, (pool, volume) -> Optional.of("/images/" + volume))).model();
  }

  @Test
  void namesTheFieldsBehindEachDifference() {
    assertEquals(List.of("spec.resources.memory"), after(g -> g.getSpec().resources.memory = new Quantity("2Gi")));
    assertEquals(List.of("spec.resources.cpus"), after(g -> g.getSpec().resources.cpus = 4));
    assertEquals(List.of("spec.machineType"), after(g -> g.getSpec().machineType = "pc-q35-8.0"));
    assertEquals(List.of("spec.firmware.serial"), after(g -> g.getSpec().firmware.serial = "SER-1"));
    assertEquals(List.of("spec.devices.diskBus"), after(g -> g.getSpec().devices.diskBus = DiskBus.SCSI));
    assertEquals(List.of("spec.devices.vifModel"), after(g -> g.getSpec().devices.vifModel = VifModel.E1000E));
    assertEquals(List.of("spec.disks"), after(g -> g.getSpec().disks.get(0).bus = DiskBus.SATA));
    assertEquals(List.of("spec.interfaces"), after(g -> g.getSpec().interfaces.get(0).macAddress = "52:54:00:00:00:01"));
    assertEquals(List.of("spec.kernelBoot"), after(g -> g.getSpec().kernelBoot = kernelBoot("vmlinuz", "quiet")));
  }

  @Test
  void aChangedKernelCommandLineIsAKernelBootChange() {
    VirtualGuest guest = stamped(WEB);
    guest.getSpec().kernelBoot = kernelBoot("vmlinuz", "console=ttyS0");
    VirtualGuest changed = SyncFixtures.copy(guest);
    changed.getSpec().kernelBoot.cmdline = "console=ttyS0 debug";
    assertEquals(List.of("spec.kernelBoot"), PendingChanges.between(facts(guest), facts(changed)));
  }

  private static KernelBoot kernelBoot(String kernel, String cmdline) {
    KernelBoot boot = new KernelBoot();
    boot.kernel = new VolumeSource();
    boot.kernel.pool = "default";
    boot.kernel.name = kernel;
    boot.cmdline = cmdline;
    return boot;
  }

  @Test
  void anAddedDiskIsADiskChange() {
    Disk data = new Disk();
    data.name = "scratch";
    data.role = DiskRole.EPHEMERAL;
    assertEquals(List.of("spec.disks"), after(g -> g.getSpec().disks.add(data)));
  }

  @Test
  void fallsBackToTheWholeSpec() {
    assertEquals(List.of("spec"), after(g -> g.getSpec().disks.get(0).tag = "renamed"));
  }
}
