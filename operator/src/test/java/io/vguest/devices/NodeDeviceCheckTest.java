package io.vguest.devices;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.devices.DiskRole.DeviceKind;
import io.vguest.domain.xml.DomainCapabilitiesXml;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Device choices against the domain capabilities libvirt 9.0 reports for QEMU 7.2. */
class NodeDeviceCheckTest {

  static final long QEMU_7_2 = 7_002_000L;
  static final DomainCapabilities Q35 = caps("qemu-7.2-q35.xml");
  static final DomainCapabilities PC = caps("qemu-7.2-pc.xml");

  static DomainCapabilities caps(String name) {
    try (InputStream in = NodeDeviceCheckTest.class.getResourceAsStream("/domcaps/" + name)) {
      return DomainCapabilitiesXml.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<String> check(DomainCapabilities caps, DeviceChoices devices, List<DeviceUsage.Drive> drives,
      List<DeviceUsage.Nic> nics) {
    return NodeDeviceCheck.check(caps, QEMU_7_2, new DeviceUsage(devices.withMachineType(caps.machine()), drives, nics))
        .stream().map(DeviceProblem::toString).toList();
  }

  @Test
  void familyDefaultsWorkOnQemu72() {
    assertEquals(List.of(), check(Q35, OsFamilyDefaults.LINUX, List.of(), List.of()));
    assertEquals(List.of(), check(Q35, OsFamilyDefaults.WINDOWS, List.of(), List.of()));
    assertEquals(List.of(), check(PC, OsFamilyDefaults.OTHER, List.of(), List.of()));
  }

  @Test
  void everyCatalogueVideoModelIsOffered() {
    for (VideoModel model : VideoModel.values()) {
      DeviceChoices devices = new DeviceChoices(null, null, null, null, null, null, null, null, null, model, null);
      assertEquals(List.of(), check(Q35, devices, List.of(), List.of()), model.value());
    }
  }

  @Test
  void aBusTheNodeLacksNamesWhatItOffersForThatDrive() {
    DomainCapabilities noUsb = new DomainCapabilities(Q35.emulator(), Q35.domainType(), Q35.machine(), Q35.arch(),
        Map.of("disk", new DomainCapabilities.DeviceCapability(true, Map.of(
            "bus", List.of("fdc", "scsi", "virtio", "sata"), "diskDevice", List.of("disk", "cdrom", "floppy")))));
    List<String> problems = check(noUsb, DeviceChoices.NONE,
        List.of(new DeviceUsage.Drive("spec.disks[1].bus", DeviceKind.DISK, DiskBus.USB, null, null),
            new DeviceUsage.Drive("spec.disks[2].bus", DeviceKind.CDROM, DiskBus.USB, null, null)),
        List.of());
    assertEquals(List.of(
        "spec.disks[1].bus: Unsupported value: \"usb\": not offered on this node (machine type pc-q35-7.2, qemu); "
            + "disk buses this node offers: virtio, scsi, sata",
        "spec.disks[2].bus: Unsupported value: \"usb\": not offered on this node (machine type pc-q35-7.2, qemu); "
            + "cdrom buses this node offers: scsi, sata"), problems);
  }

  @Test
  void ideOnQ35IsLeftToTheStaticRule() {
    List<String> problems = check(Q35, new DeviceChoices(null, DiskBus.IDE, null, null, null, null, null, null, null,
        null, null), List.of(), List.of());
    assertEquals(List.of(), problems);
  }

  @Test
  void unsupportedVideoDeviceOffersNothing() {
    DomainCapabilities noVideo = new DomainCapabilities(null, "kvm", "pc-q35-9.2", "x86_64",
        Map.of("video", new DomainCapabilities.DeviceCapability(false, Map.of())));
    assertEquals(List.of("spec.devices.videoModel: Unsupported value: \"vga\": not offered on this node (machine type "
        + "pc-q35-9.2, kvm); video models this node offers: none"),
        check(noVideo, OsFamilyDefaults.WINDOWS, List.of(), List.of()));
  }

  @Test
  void nicModelsAreCheckedWhereListedAndIgbNeedsQemu8() {
    DeviceChoices igb = new DeviceChoices(null, null, null, null, null, null, null, null, null, null, VifModel.IGB);
    assertEquals(List.of("spec.devices.vifModel: Unsupported value: \"igb\": needs QEMU 8.0 or newer, this node has "
        + "QEMU 7.2.0; use e1000e, e1000, virtio or rtl8139"), check(Q35, igb, List.of(), List.of()));
    assertEquals(List.of(), NodeDeviceCheck.check(Q35, 8_002_000L, new DeviceUsage(igb, List.of(), List.of())));
    assertEquals(List.of(), NodeDeviceCheck.check(Q35, 0L, new DeviceUsage(igb, List.of(), List.of())));

    DomainCapabilities listed = new DomainCapabilities(null, "kvm", "pc-q35-9.2", "x86_64",
        Map.of("interface", new DomainCapabilities.DeviceCapability(true,
            Map.of("model", List.of("virtio", "e1000e")))));
    assertEquals(List.of("spec.interfaces[0].model: Unsupported value: \"rtl8139\": not offered on this node (machine "
        + "type pc-q35-9.2, kvm); NIC models this node offers: virtio, e1000e"),
        check(listed, DeviceChoices.NONE, List.of(),
            List.of(new DeviceUsage.Nic("spec.interfaces[0].model", VifModel.RTL8139))));
  }

  @Test
  void rngNeedsTheRandomBackend() {
    DomainCapabilities noRandom = new DomainCapabilities(null, "qemu", "pc-q35-7.2", "x86_64",
        Map.of("rng", new DomainCapabilities.DeviceCapability(true,
            Map.of("model", List.of("virtio"), "backendModel", List.of("egd")))));
    assertEquals(List.of("spec.devices.rngModel: Unsupported value: \"virtio\": no random (/dev/urandom) RNG backend "
        + "on this node (machine type pc-q35-7.2, qemu); use none"),
        check(noRandom, OsFamilyDefaults.LINUX, List.of(), List.of()));
    assertEquals(List.of(), check(noRandom, OsFamilyDefaults.OTHER, List.of(), List.of()));
  }
}
