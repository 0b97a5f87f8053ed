package io.vguest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import io.vguest.devices.VifModel;
import io.vguest.domain.InterfaceDefinition.Kind;
import io.vguest.domain.xml.XmlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;

/** Device addresses: read back from what libvirt's QEMU driver returns, and rendered from the stamped map. */
class DeviceAddressTest {

  /** {@code virsh dumpxml} of a q35 domain libvirt 9.0 / QEMU 7.2 placed (sata and scsi disk, user-mode NIC). */
  static String qemuDump() throws Exception {
    return Files.readString(Path.of(DeviceAddressTest.class.getResource("/libvirt-dumps/q35-sata-scsi-user.xml")
        .toURI()));
  }

  /** The guest that dump is of, as vguest defines it. */
  static GuestDefinition dumpedGuest() {
    return new GuestDefinitions.Builder()
        .disk("root", DiskRole.ROOT, DiskBus.SATA, null, "ROOT", 1, null)
        .disk("quorum", DiskRole.DATA, DiskBus.SCSI, null, "QUORUM", null, null)
        .nic("eth0", Kind.USER, null, VifModel.VIRTIO, "02:00:00:00:00:01")
        .build();
  }

  private static String xpath(String xml, String expression) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(expression, XmlReader.parse(xml, "domain"));
  }

  @Test
  void theAddressesLibvirtGaveAreReadBackByTheGuestsOwnDeviceNames() throws Exception {
    SortedMap<String, String> read = DeviceAddressReader.read(qemuDump(), dumpedGuest());
    assertEquals(new TreeMap<>(Map.ofEntries(
        Map.entry("interface.eth0", "pci:0000:01:00.0"),
        Map.entry("controller.scsi.0", "pci:0000:02:00.0"),
        Map.entry("controller.sata.0", "pci:0000:00:1f.2"),
        Map.entry("controller.pcie-root-port.1", "pci:0000:00:01.0"),
        Map.entry("controller.pcie-root-port.2", "pci:0000:00:01.1"),
        Map.entry("controller.pcie-root-port.3", "pci:0000:00:01.2"),
        Map.entry("controller.pcie-root-port.4", "pci:0000:00:01.3"),
        Map.entry("controller.pcie-root-port.5", "pci:0000:00:01.4"),
        Map.entry("memballoon.0", "pci:0000:04:00.0"))), read);
  }

  @Test
  void stampedAddressesAreRenderedAndWhatLibvirtAddedByItselfIsWrittenOut() throws Exception {
    GuestDefinition guest = dumpedGuest().withDeviceAddresses(DeviceAddressReader.read(qemuDump(), dumpedGuest()));
    String xml = new DomainRenderer().render(guest).xml();
    assertEquals("0x01", xpath(xml, "/domain/devices/interface/address/@bus"));
    assertEquals("0", xpath(xml, "count(/domain/devices/disk/address)"), "drive addresses are left to libvirt");
    assertEquals("0x2", xpath(xml, "/domain/devices/controller[@model='pcie-root-port'][@index='3']/address/@function"));
    assertEquals("on", xpath(xml, "/domain/devices/controller[@index='1'][@model='pcie-root-port']/address/"
        + "@multifunction"), "function 0 of a slot whose other functions are used");
    assertEquals("", xpath(xml, "/domain/devices/controller[@type='scsi']/address/@multifunction"));
    assertEquals("0x04", xpath(xml, "/domain/devices/memballoon[@model='virtio']/address/@bus"));
    assertEquals("0x1f", xpath(xml, "/domain/devices/controller[@type='sata']/address/@slot"));
    VirtXmlValidate.assertValidDomain(xml, "device-addresses");
    // Read back from our own rendering, every address is what was stamped.
    assertEquals(guest.deviceAddresses(), DeviceAddressReader.read(xml, guest));
  }

  @Test
  void aRemovedDeviceFreesItsOwnAddressOnlyAndANewOneGetsNone() throws Exception {
    SortedMap<String, String> stamped = DeviceAddressReader.read(qemuDump(), dumpedGuest());
    GuestDefinition changed = new GuestDefinitions.Builder()
        .disk("root", DiskRole.ROOT, DiskBus.SATA, null, "ROOT", 1, null)
        .nic("eth1", Kind.USER, null, VifModel.VIRTIO, "02:00:00:00:00:02")
        .nic("eth0", Kind.USER, null, VifModel.VIRTIO, "02:00:00:00:00:01")
        .build().withDeviceAddresses(stamped);
    String xml = new DomainRenderer().render(changed).xml();
    assertEquals("0x01", xpath(xml, "/domain/devices/interface[mac/@address='02:00:00:00:00:01']/address/@bus"),
        "eth0 keeps its address although a NIC was inserted before it");
    assertEquals("0", xpath(xml, "count(/domain/devices/interface[mac/@address='02:00:00:00:00:02']/address)"),
        "the new NIC is left to libvirt, which gives it a free address");
    assertEquals("0", xpath(xml, "count(/domain/devices/disk[target/@dev='sdb'])"));
    assertEquals("5", xpath(xml, "count(/domain/devices/controller[@model='pcie-root-port'])"),
        "the removed disk's controller port stays, so no other device moves");
    VirtXmlValidate.assertValidDomain(xml, "device-addresses-changed");
  }

  @Test
  void aDiskMovedFromVirtioToScsiLeavesItsPciAddressUnusedAndTheOthersKeepTheirs() throws Exception {
    SortedMap<String, String> stamped = new TreeMap<>(Map.of(
        "disk.root", "pci:0000:03:00.0",
        "disk.data", "pci:0000:04:00.0",
        "interface.eth0", "pci:0000:01:00.0"));
    GuestDefinition moved = new GuestDefinitions.Builder()
        .disk("root", DiskRole.ROOT, DiskBus.SCSI, null, "ROOT", 1, null)
        .disk("data", DiskRole.DATA, DiskBus.VIRTIO, null, "DATA", null, null)
        .nic("eth0", Kind.USER, null, VifModel.VIRTIO, "02:00:00:00:00:01")
        .build().withDeviceAddresses(stamped);
    String xml = new DomainRenderer().render(moved).xml();
    assertEquals("0", xpath(xml, "count(/domain/devices/disk[target/@dev='sda']/address)"),
        "a PCI address on a scsi disk is refused by libvirt: the disk gets a drive address on its new bus");
    assertEquals("0x04", xpath(xml, "/domain/devices/disk[target/@dev='vda']/address/@bus"));
    assertEquals("0x01", xpath(xml, "/domain/devices/interface/address/@bus"));
    VirtXmlValidate.assertValidDomain(xml, "device-addresses-bus-change");
  }

  @Test
  void stampingAddressesKeepsTheFirmware() throws Exception {
    GuestDefinition uefi = GuestDefinitions.firmware(io.vguest.devices.BootMode.UEFI, false, true, "pc-q35-7.2")
        .build();
    GuestDefinition stamped = uefi.withDeviceAddresses(new TreeMap<>(Map.of("interface.eth0", "pci:0000:01:00.0")));
    assertEquals(uefi.firmware(), stamped.firmware());
    String xml = new DomainRenderer().render(stamped).xml();
    assertEquals("efi", xpath(xml, "/domain/os/@firmware"), "a UEFI guest redefined with its addresses stays UEFI");
  }

  @Test
  void theShortFormsRoundTripAndBadOnesAreRefusedNamingTheForms() {
    assertEquals("pci:0000:00:1f.2", DeviceAddress.fromLibvirt(Map.of("type", "pci", "domain", "0x0000", "bus",
        "0x00", "slot", "0x1f", "function", "0x2")::get).text());
    assertEquals(2, DeviceAddress.parse("pci:0000:00:1f.2").pciFunction());
    assertEquals("usb:0:1.2", DeviceAddress.parse("usb:0:1.2").text());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> DeviceAddress.parse("pci:0000:00:1F.2"));
    assertTrue(bad.getMessage().contains("allowed: pci:DDDD:BB:SS.F"), bad.getMessage());
  }
}
