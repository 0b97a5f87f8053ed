package io.vguest.domain.xml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole.DeviceKind;
import io.vguest.devices.InputBus;
import io.vguest.devices.RngModel;
import io.vguest.devices.VideoModel;
import io.vguest.devices.VifModel;
import io.vguest.domain.DeviceAddress;
import io.vguest.domain.GuestDefinition.ClockOffset;
import io.vguest.domain.GuestMetadata;
import io.vguest.domain.InterfaceDefinition.Kind;
import io.vguest.domain.VirtType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each element of the domain model reads back, from what it writes, as the same record. */
class DomainXmlRoundTripTest {

  static final Address PCI = new Address(DeviceAddress.parse("pci:0000:04:00.0"), false);
  static final Address PCI_MULTIFUNCTION = new Address(DeviceAddress.parse("pci:0000:00:01.0"), true);
  static final Address DRIVE = new Address(DeviceAddress.parse("drive:0:0:0:1"), false);
  static final Address USB = new Address(DeviceAddress.parse("usb:0:1.2"), false);

  /** Writes with {@code write}, reads the single element back with {@code read}. */
  private static <T> T roundTrip(Consumer<XmlWriter> write, Function<XmlElement, T> read) {
    XmlWriter xml = new XmlWriter();
    write.accept(xml);
    return read.apply(XmlElement.parse(xml.toXml(), "test element"));
  }

  @Test
  void address() {
    for (Address a : List.of(PCI, PCI_MULTIFUNCTION, DRIVE, USB)) {
      assertEquals(a, roundTrip(a::write, Address::read));
    }
  }

  @Test
  void anAddressTypeVguestDoesNotKeepReadsAsNone() {
    assertNull(Address.read(XmlElement.parse("<address type='isa' iobase='0x3f8'/>", "test")));
  }

  @Test
  void controller() {
    for (Controller c : List.of(new Controller(Controller.Type.SCSI, 0, "virtio-scsi", PCI),
        new Controller(Controller.Type.PCI, 3, "pcie-root-port", PCI_MULTIFUNCTION),
        new Controller(Controller.Type.SATA, 0, null, PCI), new Controller(Controller.Type.SCSI, 1, "lsilogic"))) {
      assertEquals(c, roundTrip(c::write, Controller::read));
    }
  }

  @Test
  void disk() {
    for (Disk d : List.of(
        new Disk(DeviceKind.DISK, "qcow2", "default", "web-1-root.qcow2", "vda", DiskBus.VIRTIO, "SER-1", 1, false,
            null, PCI),
        new Disk(DeviceKind.DISK, null, "default", "data.raw", "sdb", DiskBus.SCSI, "SER-2", null, false,
            "5000000000000002", DRIVE),
        new Disk(DeviceKind.CDROM, null, null, null, "sda", DiskBus.SATA, "SER-3", null, true),
        new Disk(DeviceKind.FLOPPY, "raw", "default", "boot.img", "fda", DiskBus.FDC, null, 2, false),
        new Disk(DeviceKind.DISK, "raw", "default", "stick.img", "sdc", DiskBus.USB, "SER-4", null, true, null, USB))) {
      assertEquals(d, roundTrip(d::write, Disk::read));
    }
  }

  @Test
  void input() {
    for (Input i : List.of(new Input(Input.Type.TABLET, InputBus.USB, USB), new Input(Input.Type.KEYBOARD,
        InputBus.VIRTIO))) {
      assertEquals(i, roundTrip(i::write, Input::read));
    }
  }

  @Test
  void networkInterface() {
    for (Interface i : List.of(new Interface(Kind.NETWORK, "default", "52:54:00:12:34:56", VifModel.VIRTIO, PCI),
        new Interface(Kind.BRIDGE, "br0", "52:54:00:12:34:57", VifModel.E1000E),
        new Interface(Kind.USER, null, "52:54:00:12:34:58", VifModel.RTL8139))) {
      assertEquals(i, roundTrip(i::write, Interface::read));
    }
  }

  @Test
  void memballoonRngVideoTpm() {
    Memballoon balloon = new Memballoon(PCI);
    assertEquals(balloon, roundTrip(balloon::write, Memballoon::read));
    Rng rng = new Rng(RngModel.VIRTIO, PCI);
    assertEquals(rng, roundTrip(rng::write, Rng::read));
    for (Video v : List.of(new Video(VideoModel.VIRTIO, PCI), new Video(VideoModel.NONE))) {
      assertEquals(v, roundTrip(v::write, Video::read));
    }
    Tpm tpm = new Tpm(Tpm.Model.CRB, "2.0");
    assertEquals(tpm, roundTrip(tpm::write, Tpm::read));
  }

  @Test
  void serialConsole() {
    for (SerialConsole c : List.of(new SerialConsole(null), new SerialConsole("/var/log/vguest/demo_web-1.log"))) {
      // <serial> and <console> are siblings: read back from the <devices> they are written into
      assertEquals(c, roundTrip(xml -> {
        xml.start("devices");
        c.write(xml);
        xml.end();
      }, devices -> SerialConsole.read(devices.child("serial"))));
    }
  }

  @Test
  void osWithKernelBootAndUefi() {
    for (Os os : List.of(new Os("x86_64", "pc-q35-7.2"),
        new Os("x86_64", "pc-q35-7.2", "/images/vmlinuz", "/images/initrd", "console=ttyS0 <&>", null),
        new Os("x86_64", "pc-q35-7.2", null, null, null, new OsFirmware(true, "/var/lib/vguest/nvram/a.fd")),
        new Os("x86_64", "pc-i440fx-7.2", null, null, null, new OsFirmware(false, "/nvram/b.fd")))) {
      assertEquals(os, roundTrip(os::write, Os::read));
    }
  }

  @Test
  void sysinfo() {
    Map<String, String> system = new LinkedHashMap<>();
    system.put("manufacturer", "vguest");
    system.put("serial", "Säule <1> & 'quoted'\ttab");
    system.put("uuid", "d0ebb3a2-bfe4-5834-9599-26648c75b51c");
    system.put("family", null);
    for (Sysinfo s : List.of(new Sysinfo(system, "CHASSIS-1", List.of("vguest:disk:data:SER-2", "second")),
        new Sysinfo(system, null, List.of()))) {
      assertEquals(s, roundTrip(s::write, Sysinfo::read));
    }
  }

  @Test
  void metadataAndTheWholeDomain() {
    GuestMetadata guest = new GuestMetadata("1.0", "demo", "web-1", "uid-1", "Web <1>", null, "2024-01-01T00:00:00Z",
        new GuestMetadata.Owner("VirtualGuest", "web-1", "uid-1"), null, "node-a", 3L,
        new GuestMetadata.Identity("unique", "SER", "d0ebb3a2-bfe4-5834-9599-26648c75b51c", "demo/web-1",
            new TreeMap<>(Map.of("root", "S1")), new TreeMap<>(Map.of("eth0", "52:54:00:12:34:56"))),
        null, "sha256:00");
    Metadata metadata = new Metadata(guest);
    assertEquals(metadata, roundTrip(metadata::write, Metadata::read));

    DeviceList devices = new DeviceList(
        List.of(new Controller(Controller.Type.SCSI, 0, "virtio-scsi", PCI)),
        List.of(new Disk(DeviceKind.DISK, "qcow2", "default", "root.qcow2", "sda", DiskBus.SCSI, "S1", 1, false)),
        List.of(new Interface(Kind.NETWORK, "default", "52:54:00:12:34:56", VifModel.VIRTIO)),
        new SerialConsole(null),
        List.of(new Input(Input.Type.TABLET, InputBus.USB), new Input(Input.Type.KEYBOARD, InputBus.USB)),
        new Video(VideoModel.VGA), new Rng(RngModel.VIRTIO), new Tpm(Tpm.Model.TIS, "2.0"), new Memballoon(PCI));
    assertEquals(devices, roundTrip(devices::write, DeviceList::read));

    Domain domain = new Domain(VirtType.KVM, "demo_web-1", "d0ebb3a2-bfe4-5834-9599-26648c75b51c", metadata,
        2_097_152L, 2, new Sysinfo(Map.of("serial", "SER"), null, List.of()), new Os("x86_64", "pc-q35-7.2"),
        List.of("acpi", "apic"), ClockOffset.LOCALTIME, devices, "11111111-2222-4333-8444-555555555555", true);
    assertEquals(domain, Domain.parse(domain.toXml()));
    assertEquals(domain.toXml(), Domain.parse(domain.toXml()).toXml());
  }

  @Test
  void whatLibvirtHoldsReadsAsTheGuestsChoicesOnly() throws IOException {
    Domain dump;
    try (InputStream in = getClass().getResourceAsStream("/libvirt-dumps/q35-sata-scsi-user.xml")) {
      dump = Domain.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    assertEquals(VirtType.QEMU, dump.type());
    assertEquals("pc-q35-7.2", dump.os().machine());
    assertEquals(ClockOffset.UTC, dump.clockOffset());
    assertEquals(List.of(DiskBus.SATA, DiskBus.SCSI), dump.devices().disks().stream().map(Disk::targetBus).toList());
    assertEquals(java.util.Arrays.asList(null, null), dump.devices().disks().stream().map(Disk::pool).toList(),
        "host files are no pool volumes");
    assertEquals("5000000000000002", dump.devices().disks().get(1).wwn());
    assertEquals(List.of(new Interface(Kind.USER, null, "02:00:00:00:00:01", VifModel.VIRTIO,
        new Address(DeviceAddress.parse("pci:0000:01:00.0"), false))), dump.devices().interfaces());
    assertEquals(List.of(), dump.devices().inputs(), "libvirt's own PS/2 inputs are not the guest's");
    assertEquals(new Controller(Controller.Type.PCI, 1, "pcie-root-port",
        new Address(DeviceAddress.parse("pci:0000:00:01.0"), true)), dump.devices().controllers().get(4));
    assertEquals(new Memballoon(new Address(DeviceAddress.parse("pci:0000:04:00.0"), false)),
        dump.devices().memballoon());
    assertNull(dump.metadata());
    assertEquals("11111111-2222-4333-8444-555555555555", dump.genid());
  }
}
