package io.vguest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiskTargetsTest {

  static final String SERIAL_36 = "ABCDEFGHIJ0123456789abcdefghij-_.+XY";

  @ParameterizedTest(name = "{0}[{1}] = {2}")
  @CsvSource({
      "VIRTIO, 0, vda",
      "VIRTIO, 1, vdb",
      "VIRTIO, 25, vdz",
      "VIRTIO, 26, vdaa",
      "VIRTIO, 27, vdab",
      "VIRTIO, 51, vdaz",
      "VIRTIO, 52, vdba",
      "VIRTIO, 701, vdzz",
      "VIRTIO, 702, vdaaa",
      "SCSI, 0, sda",
      "SATA, 2, sdc",
      "USB, 25, sdz",
      "IDE, 1, hdb",
      "FDC, 0, fda",
  })
  void targetNameFollowsLibvirt(DiskBus bus, int index, String expected) {
    assertEquals(expected, DiskTargets.targetName(bus, index));
  }

  @Test
  void scsiSataAndUsbShareTheSdSequence() {
    assertEquals(List.of("sd", "sd", "sd", "vd", "hd", "fd"),
        List.of(DiskBus.SCSI, DiskBus.SATA, DiskBus.USB, DiskBus.VIRTIO, DiskBus.IDE, DiskBus.FDC).stream()
            .map(DiskTargets::prefix).toList());
    // Mixed buses in one guest: the sd letters run on across scsi, sata and usb.
    List<DiskDefinition> disks = List.of(
        disk("a", DiskBus.SCSI), disk("b", DiskBus.VIRTIO), disk("c", DiskBus.SATA), disk("d", DiskBus.USB),
        disk("e", DiskBus.VIRTIO));
    assertEquals("sda vda sdb sdc vdb", DomainRenderer.disks(disks).stream()
        .map(io.vguest.domain.xml.Disk::targetDev).collect(Collectors.joining(" ")));
  }

  @Test
  void targetNamesAreUniqueOverManyDisks() {
    assertEquals(1000, IntStream.range(0, 1000).mapToObj(i -> DiskTargets.targetName(DiskBus.VIRTIO, i))
        .distinct().count());
  }

  @ParameterizedTest(name = "{1}: {2}")
  @CsvSource(nullValues = "null", value = {
      "ABCDEFGHIJ0123456789abcdefghij-_.+XY, VIRTIO, ABCDEFGHIJ0123456789",
      "ABCDEFGHIJ0123456789abcdefghij-_.+XY, SATA, ABCDEFGHIJ0123456789",
      "ABCDEFGHIJ0123456789abcdefghij-_.+XY, IDE, ABCDEFGHIJ0123456789",
      "ABCDEFGHIJ0123456789abcdefghij-_.+XY, SCSI, ABCDEFGHIJ0123456789abcdefghij-_.+XY",
      "ABCDEFGHIJ0123456789abcdefghij-_.+XYZZZ, SCSI, ABCDEFGHIJ0123456789abcdefghij-_.+XY",
      "ABCDEFGHIJ0123456789abcdefghij-_.+XY, USB, ABCDEFGHIJ0123456789abcdefghij-_.+XY",
      "ABCDEFGHIJ0123456789abcdefghij-_.+XY, FDC, null",
      "SHORT, VIRTIO, SHORT",
      "null, VIRTIO, null",
  })
  void guestSerialIsCutToWhatTheBusShows(String serial, DiskBus bus, String expected) {
    assertEquals(expected, DiskTargets.guestSerial(serial, bus));
  }

  @ParameterizedTest(name = "{1} {2}")
  @CsvSource(nullValues = "null", value = {
      "VIRTIO, DATA, /dev/disk/by-id/virtio-ABCDEFGHIJ0123456789",
      "SCSI, DATA, /dev/disk/by-id/scsi-0QEMU_QEMU_HARDDISK_ABCDEFGHIJ0123456789abcdefghij-_.+XY",
      "SCSI, CDROM, /dev/disk/by-id/scsi-0QEMU_QEMU_CD-ROM_ABCDEFGHIJ0123456789abcdefghij-_.+XY",
      "SATA, ROOT, /dev/disk/by-id/ata-QEMU_HARDDISK_ABCDEFGHIJ0123456789",
      "SATA, CDROM, /dev/disk/by-id/ata-QEMU_DVD-ROM_ABCDEFGHIJ0123456789",
      "IDE, DATA, /dev/disk/by-id/ata-QEMU_HARDDISK_ABCDEFGHIJ0123456789",
      "IDE, CDROM, /dev/disk/by-id/ata-QEMU_DVD-ROM_ABCDEFGHIJ0123456789",
      "USB, DATA, null",
      "FDC, FLOPPY, null",
  })
  void byIdPathPerBus(DiskBus bus, DiskRole role, String expected) {
    assertEquals(expected, DiskTargets.byIdPath(SERIAL_36, bus, role));
  }

  @Test
  void noByIdPathWithoutSerial() {
    assertEquals(null, DiskTargets.byIdPath(null, DiskBus.VIRTIO, DiskRole.DATA));
  }

  private static DiskDefinition disk(String name, DiskBus bus) {
    return new DiskDefinition(name, DiskRole.DATA, bus, new DiskDefinition.VolumeRef("default", name), null, null,
        false, null);
  }
}
