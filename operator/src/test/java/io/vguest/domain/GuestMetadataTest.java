package io.vguest.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vguest.devices.OsFamilyDefaults;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GuestMetadataTest {

  static final GuestMetadata FULL = new GuestMetadata(
      "0.1.0",
      "demo",
      "web-1",
      "3f2a1b0c-9d8e-4f7a-8b6c-5d4e3f2a1b0c",
      "Grüße 東京 <&>\"'",
      "linux-virtio",
      "2024-05-01T12:00:00Z",
      new GuestMetadata.Owner("GuestSet", "set-1", "0a1b2c3d-0000-4000-8000-000000000001"),
      new GuestMetadata.RootSource("blank", "default", "demo_web-1_root.qcow2"),
      "node-a",
      7L,
      new GuestMetadata.Identity("unique", "0e4b7c2d-1a3f-5b6c-8d9e-0f1a2b3c4d5e",
          "6f1c2a3b-4d5e-5f60-8a7b-9c0d1e2f3a4b", "demo/web-1",
          new TreeMap<>(Map.of("root", "VG3QK7ZP2MXA4TBN6WRC", "data", "VGD4TA2B5SNQ7XLM3KPE")),
          new TreeMap<>(Map.of("eth0", "02:5a:3c:11:22:33", "eth1", "06:00:00:00:00:01"))),
      OsFamilyDefaults.WINDOWS.withMachineType("pc-q35-7.2"),
      "sha256:" + "ab".repeat(32));

  static Stream<Arguments> metadata() {
    return Stream.of(
        Arguments.of("full", FULL),
        Arguments.of("minimal", new GuestMetadata("0.1.0", "demo", "web-1", null, null, null, null, null, null, null,
            null, null, null, null)),
        Arguments.of("no render hash, empty identity maps", new GuestMetadata("0.1.0", "demo", "web-1", null, null,
            null, null, null, null, null, 1L, new GuestMetadata.Identity("none", null, "6f1c2a3b-4d5e-5f60-8a7b-9c0d1e2f3a4b",
            "demo/web-1", new TreeMap<>(), new TreeMap<>()), OsFamilyDefaults.OTHER, null)),
        Arguments.of("generation id and disk WWNs", new GuestMetadata("0.1.0", "demo", "db-1", null, null, null, null,
            null, null, null, 2L, new GuestMetadata.Identity("unique", "s-1", "6f1c2a3b-4d5e-5f60-8a7b-9c0d1e2f3a4b",
            "demo/db-1", new TreeMap<>(Map.of("root", "VG3QK7ZP2MXA4TBN6WRC")), new TreeMap<>(),
            "0b6e7a10-3f4a-5c1e-9a53-2b8f6f1c7b9e", 2, new TreeMap<>(Map.of("root", "5a1b2c3d4e5f6071")), "pc-q35-7.2",
            "q35", new TreeMap<>(Map.of("disk.root", "pci:0000:04:00.0", "controller.pcie-root-port.1",
            "pci:0000:00:01.0"))),
            OsFamilyDefaults.OTHER, null)),
        Arguments.of("hostile text scenario", GuestDefinitions.hostileText().build().metadata()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("metadata")
  void writeThenParseGivesAnEqualValue(String name, GuestMetadata metadata) {
    assertEquals(metadata, GuestMetadata.parse(metadata.toXml()));
  }

  @Test
  void parsesTheElementAsLibvirtReturnsItWithAnotherPrefix() {
    String xml = FULL.toXml().replace("vguest:", "v:").replace("xmlns:vguest=", "xmlns:v=");
    assertEquals(FULL, GuestMetadata.parse(xml));
  }

  /** libvirt's getMetadata strips both the prefix and the namespace declaration. */
  @Test
  void parsesTheElementAsGetMetadataReturnsItWithoutNamespace() {
    String xml = FULL.toXml().replace("vguest:", "").replace(" xmlns:vguest='" + GuestMetadata.NAMESPACE + "'", "");
    assertEquals(FULL, GuestMetadata.parse(xml));
  }

  @Test
  void ignoresAnUnNamespacedGuestInsideADomain() {
    String xml = "<domain><metadata>" + FULL.toXml().replace("vguest:", "").replace(" xmlns:vguest='"
        + GuestMetadata.NAMESPACE + "'", "") + "</metadata></domain>";
    assertThrows(IllegalArgumentException.class, () -> GuestMetadata.parse(xml));
  }

  @Test
  void parsesTheElementWithADefaultNamespace() {
    String xml = FULL.toXml().replace("vguest:", "").replace("xmlns:vguest=", "xmlns=");
    assertEquals(FULL, GuestMetadata.parse(xml));
  }

  @Test
  void refusesXmlWithoutTheElement() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GuestMetadata.parse("<domain><metadata><guest/></metadata></domain>"));
    assertEquals("no <guest> element in namespace " + GuestMetadata.NAMESPACE, e.getMessage());
  }
}
