package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The suite's own building blocks that need neither root nor a daemon. */
class HarnessTest {

  @Test
  void cpioEntriesAreNewcWithAlignedNamesAndData() {
    byte[] archive = new Cpio().file("bin/hello", 0755, "hi\n".getBytes(StandardCharsets.UTF_8))
        .symlink("bin/sh", "busybox").charDevice("dev/console", 0600, 5, 1).finish();
    String text = new String(archive, StandardCharsets.ISO_8859_1);

    assertEquals(0, archive.length % 4);
    assertTrue(text.startsWith("070701"), "newc magic");
    // parent directory first, then the file; every header starts on a 4-byte boundary
    List<String> names = List.of("bin", "bin/hello", "bin/sh", "dev", "dev/console", "TRAILER!!!");
    int from = 0;
    for (String name : names) {
      int at = text.indexOf(name + "\0", from);
      assertTrue(at > 0, name);
      int header = at - 110;
      assertEquals(0, header % 4, name + " header alignment");
      assertEquals("070701", text.substring(header, header + 6), name);
      from = at;
    }
    int console = text.indexOf("dev/console\0") - 110;
    assertEquals("00002180", text.substring(console + 14, console + 22), "character device, mode 0600");
    assertEquals("00000005", text.substring(console + 6 + 9 * 8, console + 6 + 10 * 8), "rdev major");
  }

  @Test
  void moduleDependenciesComeFromTheModinfoStrings() {
    byte[] module = "\u007fELF...\0license=GPL\0depends=virtio,virtio_ring,crc-t10dif\0retpoline=Y\0"
        .getBytes(StandardCharsets.US_ASCII);
    assertEquals(List.of("virtio", "virtio_ring", "crc_t10dif"), KernelModules.dependsField(module));
    assertEquals(List.of(), KernelModules.dependsField("\0depends=\0".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(List.of(), KernelModules.dependsField("no modinfo".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void applyIsAMergePatchThatKeepsStampedFieldsAndReplacesLists() throws Exception {
    var stored = E2eCluster.YAML.readTree("""
        nodeName: a
        firmware: {serial: S-1, uuid: U-1}
        disks: [{name: root}, {name: data}]
        """);
    var manifest = E2eCluster.YAML.readTree("""
        nodeName: b
        firmware: {serialPolicy: unique}
        disks: [{name: root}]
        """);
    assertEquals(E2eCluster.YAML.readTree("""
        nodeName: b
        firmware: {serial: S-1, uuid: U-1, serialPolicy: unique}
        disks: [{name: root}]
        """), E2eCluster.mergePatch(stored, manifest));
  }

  @Test
  void guestModuleListNamesModulesOnly() {
    List<String> modules = GuestImage.moduleList(new String(GuestImage.resource("guest/modules.txt"),
        StandardCharsets.UTF_8));
    assertTrue(modules.containsAll(List.of("virtio_blk", "virtio_scsi", "ahci", "e1000e", "button", "evdev")),
        modules.toString());
    assertTrue(modules.stream().noneMatch(m -> m.contains(" ") || m.startsWith("#")), modules.toString());
  }

  @Test
  void nodeMachineIdsAreDistinctAndWellFormed() {
    assertTrue(E2eNode.machineId("a").matches("[0-9a-f]{32}"), E2eNode.machineId("a"));
    assertTrue(!E2eNode.machineId("a").equals(E2eNode.machineId("b")));
  }
}
