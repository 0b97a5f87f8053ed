package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.domain.GuestMetadata;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RenderCommandTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("vguest.repoRoot", ".."), "examples");

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void rendersTheLinuxExampleWithItsProfile() {
    Result result = run("render", "-f", EXAMPLES.resolve("linux-guest.yaml").toString(),
        "-f", EXAMPLES.resolve("linux-profile.yaml").toString(), "--machine-alias", "q35=pc-q35-7.2");
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().startsWith("<domain type='qemu'>"), result.out());
    assertTrue(result.out().contains("machine='pc-q35-7.2'"), result.out());
    GuestMetadata metadata = GuestMetadata.parse(result.out());
    assertEquals("web-1", metadata.name());
    assertEquals("demo", metadata.namespace());
    assertEquals("linux-virtio", metadata.profile());
  }

  @Test
  void sameManifestRendersTheSameBytes() {
    String[] args = {"render", "-f", EXAMPLES.resolve("linux-guest.yaml").toString(), "-f",
        EXAMPLES.resolve("linux-profile.yaml").toString()};
    assertEquals(run(args).out(), run(args).out());
  }

  @Test
  void checkValidatesWithoutPrintingXml() {
    Result result = run("render", "--check", "--allowed-pool", "default", "--allowed-pool", "volumes",
        "-f", EXAMPLES.resolve("windows-guest.yaml").toString(), "-f", EXAMPLES.resolve("windows-profile.yaml").toString());
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("demo/erp-1: valid"), result.out());
  }

  @Test
  void invalidManifestNamesFileFieldAndAllowedValues(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(EXAMPLES.resolve("linux-guest.yaml"))
        .replace("kind: VirtualGuest", "kind: VirtualGuest\n# bad bus below")
        .replace("osFamily: linux", "osFamily: linux\n  devices: {diskBus: nvme}"));
    Result result = run("render", "-f", bad.toString());
    assertEquals(1, result.exit(), result.out());
    assertTrue(result.err().contains("bad.yaml"), result.err());
    assertTrue(result.err().contains("diskBus"), result.err());
    assertTrue(result.err().contains("virtio, scsi, sata, ide, usb, fdc"), result.err());
    assertEquals("", result.out());
  }

  @Test
  void poolNotAllowedIsRefused() {
    Result result = run("render", "-f", EXAMPLES.resolve("windows-guest.yaml").toString(),
        "-f", EXAMPLES.resolve("windows-profile.yaml").toString());
    assertEquals(1, result.exit(), result.out());
    assertTrue(result.err().contains("volumes"), result.err());
  }

  @Test
  void missingProfileIsReported() {
    Result result = run("render", "-f", EXAMPLES.resolve("linux-guest.yaml").toString());
    assertEquals(1, result.exit());
    assertTrue(result.err().contains("spec.profile"), result.err());
  }

  @Test
  void aProfileOfTheSameNameInAnotherNamespaceIsNotUsed(@TempDir Path dir) throws Exception {
    Path profile = dir.resolve("profile.yaml");
    Files.writeString(profile, Files.readString(EXAMPLES.resolve("linux-profile.yaml"))
        .replace("namespace: demo", "namespace: other-team"));
    Result result = run("render", "-f", EXAMPLES.resolve("linux-guest.yaml").toString(), "-f", profile.toString());
    assertEquals(1, result.exit(), result.out());
    assertTrue(result.err().contains("spec.profile: GuestDeviceProfile \"linux-virtio\" not found in namespace demo"),
        result.err());
  }

  @Test
  void readsNodeFactsFromLibvirtWhenAsked(@TempDir Path dir) throws Exception {
    Path machineId = dir.resolve("machine-id");
    Files.writeString(machineId, "0123456789abcdef0123456789abcdef\n");
    Path guest = dir.resolve("guest.yaml");
    Files.writeString(guest, Files.readString(EXAMPLES.resolve("linux-guest.yaml"))
        .replace("osFamily: linux", "osFamily: linux\n  firmware: {serialPolicy: host}"));
    Result result = run("render", "--libvirt", "test:///default", "--machine-id", machineId.toString(),
        "-f", guest.toString(), "-f", EXAMPLES.resolve("linux-profile.yaml").toString());
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("<entry name='serial'>01234567-89ab-cdef-0123-456789abcdef</entry>"),
        result.out());
  }

  @Test
  void hostPolicyWithoutANodeSerialIsAClearError(@TempDir Path dir) throws Exception {
    Path guest = dir.resolve("guest.yaml");
    Files.writeString(guest, Files.readString(EXAMPLES.resolve("linux-guest.yaml"))
        .replace("osFamily: linux", "osFamily: linux\n  firmware: {serialPolicy: host}"));
    Result result = run("render", "-f", guest.toString(), "-f", EXAMPLES.resolve("linux-profile.yaml").toString());
    assertEquals(1, result.exit());
    assertTrue(result.err().contains("spec.firmware.serialPolicy: host"), result.err());
  }

  @Test
  void usageErrorExitsWithTwo() {
    assertEquals(2, run("render").exit());
    assertEquals(2, run("render", "-f", "x.yaml", "--no-such-option").exit());
  }

  @Test
  void versionIsPrinted() {
    Result result = run("--version");
    assertEquals(0, result.exit());
    assertTrue(result.out().startsWith("vguest "), result.out());
  }

  private static final String KERNEL_GUEST = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: appliance-1, namespace: demo}
      spec:
        nodeName: node-a
        resources: {cpus: 1, memory: 256Mi}
        kernelBoot:
          kernel: {pool: default, name: vmlinuz-6.1}
          initrd: {pool: default, name: initrd-6.1.img}
          cmdline: console=ttyS0 quiet
        disks:
          - name: root
            role: root
            source: {volume: {pool: default, name: appliance-1-root.raw}}
      """;

  @Test
  void kernelBootNamesTheVolumePathsInTheGivenPoolDirectory(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("appliance.yaml");
    Files.writeString(manifest, KERNEL_GUEST);
    Result result = run("render", "-f", manifest.toString(), "--volume-dir", "default=/srv/images");
    assertEquals(0, result.exit(), result.err());
    assertTrue(result.out().contains("<kernel>/srv/images/vmlinuz-6.1</kernel>"), result.out());
    assertTrue(result.out().contains("<initrd>/srv/images/initrd-6.1.img</initrd>"), result.out());
    assertTrue(result.out().contains("<cmdline>console=ttyS0 quiet</cmdline>"), result.out());
  }

  @Test
  void kernelBootWithoutAKnownPoolDirectoryNamesTheField(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("appliance.yaml");
    Files.writeString(manifest, KERNEL_GUEST);
    Result result = run("render", "-f", manifest.toString());
    assertEquals(1, result.exit(), result.out());
    assertTrue(result.err().contains("spec.kernelBoot.kernel: volume \"vmlinuz-6.1\" not found in pool \"default\""),
        result.err());
    assertTrue(result.err().contains("spec.kernelBoot.initrd: volume \"initrd-6.1.img\""), result.err());
  }

  @Test
  void thePinnedMachineTypeWinsOverWhatTheAliasMeansOnTheNode(@TempDir Path dir) throws Exception {
    Path manifest = dir.resolve("pinned.yaml");
    Files.writeString(manifest, """
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: web-1, namespace: demo}
        spec:
          nodeName: node-a
          machineType: q35
          resources: {cpus: 1, memory: 1Gi}
          disks:
            - {name: root, role: root, source: {volume: {pool: default, name: web-1-root.qcow2}}}
          identity: {machineType: pc-q35-7.2, machineTypeFor: q35}
        """);
    Result pinned = run("render", "-f", manifest.toString(), "--machine-alias", "q35=pc-q35-8.2");
    assertEquals(0, pinned.exit(), pinned.err());
    assertTrue(pinned.out().contains("machine='pc-q35-7.2'"), pinned.out());

    Files.writeString(manifest, Files.readString(manifest).replace("  identity: {machineType: pc-q35-7.2, "
        + "machineTypeFor: q35}\n", ""));
    Result fresh = run("render", "-f", manifest.toString(), "--machine-alias", "q35=pc-q35-8.2");
    assertTrue(fresh.out().contains("machine='pc-q35-8.2'"), "unpinned: resolved on the node: " + fresh.out());
  }
}
