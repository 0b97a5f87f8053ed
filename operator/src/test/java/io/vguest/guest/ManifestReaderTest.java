package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.devices.DiskBus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestReaderTest {

  private static final String GUEST = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata:
        name: web
      spec:
        nodeName: node-a
        resources:
          cpus: 2
          memory: 2Gi
        disks:
        - name: root
          role: root
          bus: sata
          source:
            volume:
              pool: default
              name: web-root
      """;

  private static final String PROFILE = """
      apiVersion: vguest.io/v1alpha1
      kind: GuestDeviceProfile
      metadata:
        name: windows
      spec:
        diskBus: sata
      """;

  private final ManifestReader reader = new ManifestReader();

  private ManifestException refused(String yaml) {
    return assertThrows(ManifestException.class, () -> reader.read("guest.yaml", yaml));
  }

  @Test
  void readsGuestsAndProfilesFromOneMultiDocumentFile() {
    ManifestReader.Manifests read = reader.read("all.yaml", GUEST + "---\n" + PROFILE + "---\n");
    assertEquals(1, read.guests().size());
    assertEquals(1, read.profiles().size());
    assertEquals(DiskBus.SATA, read.guests().get(0).getSpec().disks.get(0).bus);
    assertEquals("2Gi", read.guests().get(0).getSpec().resources.memory.toString());
    assertEquals(DiskBus.SATA, read.profiles().get(0).getSpec().diskBus);
  }

  @Test
  void readsSeveralFilesInOrder(@TempDir Path dir) throws IOException {
    Path a = Files.writeString(dir.resolve("a.yaml"), PROFILE);
    Path b = Files.writeString(dir.resolve("b.yaml"), GUEST);
    ManifestReader.Manifests read = reader.read(a, b);
    assertEquals("web", read.guests().get(0).getMetadata().getName());
    assertEquals("windows", read.profiles().get(0).getMetadata().getName());
  }

  @Test
  void namesFileFieldAndAllowedValuesForAnUnknownEnumValue() {
    ManifestException e = refused(GUEST.replace("bus: sata", "bus: nvme"));
    assertEquals("guest.yaml: spec.disks[0].bus: Unsupported value: \"nvme\": supported values: virtio, scsi, sata, "
        + "ide, usb, fdc", e.getMessage());
    assertEquals("spec.disks[0].bus", e.field());
  }

  @Test
  void namesTheAllowedValuesOfAPlainJavaEnum() {
    ManifestException e = refused(GUEST.replace("  nodeName: node-a", "  nodeName: node-a\n  runStrategy: Sometimes"));
    assertEquals("guest.yaml: spec.runStrategy: Unsupported value: \"Sometimes\": supported values: Always, Halted, "
        + "Manual", e.getMessage());
  }

  @Test
  void refusesAnUnknownFieldNamingIt() {
    ManifestException e = refused(GUEST.replace("cpus: 2", "cpus: 2\n    sockets: 1"));
    assertEquals("spec.resources.sockets", e.field());
    assertTrue(e.detail().startsWith("unknown field \"sockets\"; known fields: cpus, memory"), e.detail());
  }

  @Test
  void refusesAnUnknownTopLevelField() {
    ManifestException e = refused(GUEST + "extra: 1\n");
    assertEquals("extra", e.field());
  }

  @Test
  void refusesAnUnknownMetadataField() {
    ManifestException e = refused(GUEST.replace("  name: web\nspec:", "  name: web\n  labelz: {}\nspec:"));
    assertEquals("metadata.labelz", e.field());
  }

  @Test
  void refusesAValueOfTheWrongType() {
    ManifestException e = refused(GUEST.replace("cpus: 2", "cpus: two"));
    assertEquals("spec.resources.cpus", e.field());
    assertTrue(e.detail().contains("an integer"), e.detail());
  }

  @Test
  void refusesAnotherApiVersion() {
    ManifestException e = refused(GUEST.replace("vguest.io/v1alpha1", "vguest.io/v1"));
    assertEquals("guest.yaml: apiVersion: Unsupported value: \"vguest.io/v1\": supported values: "
        + "\"vguest.io/v1alpha1\"", e.getMessage());
  }

  @Test
  void refusesAnUnknownKind() {
    ManifestException e = refused(GUEST.replace("kind: VirtualGuest", "kind: VirtualMachine"));
    assertEquals("kind", e.field());
    assertTrue(e.detail().contains("\"VirtualGuest\", \"GuestDeviceProfile\""), e.detail());
  }

  @Test
  void refusesBrokenYamlWithItsLine() {
    ManifestException e = refused("apiVersion: vguest.io/v1alpha1\nkind: [VirtualGuest\n");
    assertTrue(e.getMessage().startsWith("guest.yaml: not valid YAML"), e.getMessage());
  }

  @Test
  void refusesADuplicateKey() {
    ManifestException e = refused(GUEST.replace("  nodeName: node-a", "  nodeName: node-a\n  nodeName: node-b"));
    assertTrue(e.getMessage().contains("nodeName"), e.getMessage());
    assertEquals("spec.nodeName", e.field());
  }

  @Test
  void skipsEmptyDocuments() {
    assertEquals(1, reader.read("g.yaml", "---\n" + GUEST + "---\n---\n").guests().size());
  }

  @Test
  void namesAMissingFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    ManifestException e = assertThrows(ManifestException.class, () -> reader.read(missing));
    assertTrue(e.getMessage().startsWith(missing + ": cannot read"), e.getMessage());
  }
}
