package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.e2e.GuestReport.GuestDisk;
import io.vguest.e2e.GuestReport.GuestNic;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parses consoles recorded from real boots of the suite's guest (no daemon needed). */
class GuestReportTest {

  private static GuestReport recorded(String name) {
    return GuestReport.parse(new String(GuestImage.resource("consoles/" + name), StandardCharsets.UTF_8));
  }

  @Test
  void readsSmbiosOemStringsVirtioDisksAndASataCdrom() {
    GuestReport report = recorded("linux-virtio.console");

    assertEquals(List.of("4d1a5a84-3a1d-5faf-9506-53eb8e55e656", "4a5d1d2b-2828-55de-ad41-deeb3535ffc6",
        "af12ec11-ffde-3535-a753-3aa2a5b074b9", "vguest", "vguest virtual machine", "vguest"),
        List.of(report.productSerial(), report.productUuid(), report.chassisSerial(), report.manufacturer(),
            report.product(), report.family()));
    assertEquals(List.of("vguest:v1:disk:data:virtio:56ZDRPEUIGLDRQOZF6G5", "vguest:v1:nic:primary:ee:32:6c:7b:46:2e",
        "vguest:v1:hostid:a957e3aa1a56c5f10a91b8d1f68a"), report.oemStrings());
    assertEquals(List.of(
        new GuestDisk("sr0", "sata", "KF4QFSJVY4JVJDPTH4WI", "/dev/disk/by-id/ata-QEMU_DVD-ROM_KF4QFSJVY4JVJDPTH4WI",
            "sr", "ahci", true, null, null),
        new GuestDisk("vda", "virtio", "O2LTLHQIGVA2SZRKHDDZ", "/dev/disk/by-id/virtio-O2LTLHQIGVA2SZRKHDDZ",
            "virtio_blk", null, false, null, null),
        new GuestDisk("vdb", "virtio", "56ZDRPEUIGLDRQOZF6G5", "/dev/disk/by-id/virtio-56ZDRPEUIGLDRQOZF6G5",
            "virtio_blk", null, false, null, null)),
        List.copyOf(report.disks().values()));
    assertEquals(List.of(new GuestNic("eth0", "ee:32:6c:7b:46:2e", "virtio_net", null)),
        List.copyOf(report.nics().values()));
    assertTrue(report.cmdline().contains("vge2e.disks=3"), report.cmdline());
  }

  @Test
  void readsScsiSerialsFromVpdPagesAndNamesThemAsUdevDoes() {
    GuestReport report = recorded("linux-scsi.console");

    GuestDisk root = report.diskWithSerial("O2LTLHQIGVA2SZRKHDDZ").orElseThrow();
    assertEquals(new GuestDisk("sda", "scsi", "O2LTLHQIGVA2SZRKHDDZ",
        "/dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_O2LTLHQIGVA2SZRKHDDZ", "sd", "virtio_scsi", false, null, null), root);
    assertEquals("", report.chassisSerial());
  }

  @Test
  void readsSataDisksAndAnE1000eNic() {
    GuestReport report = recorded("windows-style-sata.console");

    assertEquals(List.of("sata", "sata"), report.disks().values().stream().map(GuestDisk::bus).toList());
    assertEquals("/dev/disk/by-id/ata-QEMU_HARDDISK_7JAYNNFCZ7Y4WMSGWQGO", report.disks().get("sda").byId());
    assertEquals("e1000e", report.nics().get("eth0").driver());
  }

  @Test
  void readsPciPathsTheScsiWwidAndTheGenerationId() {
    String console = """
        VGE2E-BEGIN
        VGE2E disk.vda.path=/sys/devices/pci0000:00/0000:00:02.3/0000:04:00.0/virtio3
        VGE2E disk.vda.pci=0000:00:02.3/0000:04:00.0
        VGE2E disk.vda.serial=O2LTLHQIGVA2SZRKHDDZ
        VGE2E disk.sda.path=/sys/devices/pci0000:00/0000:00:02.1/0000:02:00.0/virtio1/host0/target0:0:0/0:0:0:0
        VGE2E disk.sda.pci=0000:00:02.1/0000:02:00.0
        VGE2E disk.sda.wwid=naa.5001a4a2b3c4d5e6
        VGE2E disk.sda.hostDriver=virtio_scsi
        VGE2E nic.eth0.mac=ee:32:6c:7b:46:2e
        VGE2E nic.eth0.driver=virtio_net
        VGE2E nic.eth0.pci=0000:00:02.0/0000:01:00.0
        VGE2E genid.address=0x0ffff000
        VGE2E genid.bytes=78563412bc9af0de1122334455667788
        VGE2E-END
        """;
    GuestReport report = GuestReport.parse(console);

    assertEquals("0000:00:02.3/0000:04:00.0", report.diskWithSerial("O2LTLHQIGVA2SZRKHDDZ").orElseThrow().pciPath());
    assertEquals("naa.5001a4a2b3c4d5e6", report.disks().get("sda").wwid());
    assertNull(report.disks().get("vda").wwid());
    assertEquals("0000:00:02.0/0000:01:00.0", report.nicWithMac("EE:32:6C:7B:46:2E").orElseThrow().pciPath());
    assertEquals("12345678-9abc-def0-1122-334455667788", report.generationId(),
        "QEMU's -device vmgenid,guid=12345678-9abc-def0-1122-334455667788 as a guest read it");
    assertNull(recorded("linux-virtio.console").generationId(), "no generation ID reported");
  }

  @Test
  void takesTheLastCompleteReportAndIgnoresKernelNoiseAroundIt() {
    String console = "[    0.000000] Linux version 6.1\n"
        + "VGE2E-BEGIN\nVGE2E dmi.product_serial=OLD\nVGE2E-END\n"
        + "noise\r\nVGE2E-BEGIN\r\nVGE2E dmi.product_serial=NEW WITH SPACES\r\n[   3.1] usb 1-1: new device\r\n"
        + "VGE2E-END\r\n";
    assertTrue(GuestReport.complete(console));
    assertEquals("NEW WITH SPACES", GuestReport.parse(console).productSerial());
  }

  @Test
  void anIncompleteReportIsNotAReport() {
    String console = "VGE2E-BEGIN\nVGE2E dmi.product_serial=X\n";
    assertFalse(GuestReport.complete(console));
    assertThrows(IllegalArgumentException.class, () -> GuestReport.parse(console));
  }

  @Test
  void decodesSmbiosStringsAfterTheFormattedArea() {
    byte[] structure = {11, 5, 0, 14, 2, 'a', ':', 'b', 0, 'c', 0, 0};
    assertEquals(List.of("a:b", "c"), GuestReport.oemStrings(structure));
    assertEquals(List.of(), GuestReport.oemStrings(new byte[] {11, 5, 0, 14, 0, 0, 0}));
  }

  @Test
  void decodesAtaIdentifySerialsAndVpdPages() {
    String identify = "85c0 0000 0000 0000 0000 0000 0000 0000 0000 0000 4b46 3451 4653 4a56 5934 4a56 4a44 5054 "
        + "4834 5749 0003";
    assertEquals("KF4QFSJVY4JVJDPTH4WI", GuestReport.ataSerial(identify));
    assertNull(GuestReport.ataSerial("0000 ".repeat(30)));
    assertEquals("O2LTLHQIGVA2SZRKHDDZ", GuestReport.vpd80Serial("008000144f324c544c48514947564132535a524b4844445a"));
    assertEquals("O2LTLHQIGVA2SZRKHDDZ",
        GuestReport.vpd83VendorSpecific("00830018020000144f324c544c48514947564132535a524b4844445a"));
    assertEquals("dev3.0", GuestReport.ataDevice("/sys/devices/pci0000:00/0000:00:1f.2/ata3/host3/target3:0:0/3:0:0:0"));
    assertNull(GuestReport.ataDevice("/sys/devices/pci0000:00/0000:00:02.2/0000:03:00.0/virtio2"));
  }
}
