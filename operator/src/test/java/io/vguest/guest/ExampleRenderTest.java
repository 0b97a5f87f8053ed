package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DiskBus;
import io.vguest.devices.OsFamilyDefaults;
import io.vguest.devices.VifModel;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.GuestDefinition;
import io.vguest.domain.GuestDefinition.ClockOffset;
import io.vguest.domain.GuestMetadata;
import io.vguest.domain.RenderedDomain;
import io.vguest.domain.VirtXmlValidate;
import io.vguest.identity.IdentityGenerator;
import io.vguest.identity.SerialPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The examples in the repository, end to end without a cluster: read as kubectl would send them,
 * stamped, built into a definition and rendered. Catches examples that drift from the API and
 * rendering that libvirt's schema refuses.
 */
class ExampleRenderTest {

  static final String SEED = "test-seed";
  static final String Q35 = "pc-q35-7.2";
  static final NodeFacts NODE = new NodeFacts("node-a", "4c4c4544-0042-3510-8052-b7c04f4e3232", 9_000_000L,
      Map.of("q35", Q35, "pc", "pc-i440fx-7.2"));

  /** Reads manifests strictly: an unknown property fails (unless an API class opts out). */
  static final YAMLMapper YAML = YAMLMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /**
   * One example guest with its profile and what it must come out as.
   *
   * @param generatedSerials disks that get a generated serial (all but external volumes)
   */
  record Example(String guestFile, String profileFile, DeviceChoices devices, ClockOffset clock, DiskBus diskBus,
      VifModel nic, Set<String> generatedSerials, Set<String> nics) {

    @Override
    public String toString() {
      return guestFile;
    }
  }

  static Stream<Example> examples() {
    return Stream.of(
        new Example("linux-guest.yaml", "linux-profile.yaml", OsFamilyDefaults.LINUX.withMachineType(Q35),
            ClockOffset.UTC, DiskBus.VIRTIO, VifModel.VIRTIO, Set.of("root", "data", "cdrom"), Set.of("eth0")),
        new Example("windows-guest.yaml", "windows-profile.yaml", OsFamilyDefaults.WINDOWS.withMachineType(Q35),
            ClockOffset.LOCALTIME, DiskBus.SATA, VifModel.E1000E, Set.of("root", "drivers"), Set.of("lan")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void examplesUseOnlyFieldsTheApiReads(Example example) throws IOException {
    for (String file : List.of(example.guestFile(), example.profileFile())) {
      JsonNode written = YAML.readTree(examplePath(file).toFile());
      Class<?> type = file.endsWith("-profile.yaml") ? GuestDeviceProfile.class : VirtualGuest.class;
      JsonNode read = YAML.valueToTree(YAML.treeToValue(written, type));
      assertSameFields(written, read, file + ":");
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void stampedSpecHasIdentityMachineTypeAndEveryDevice(Example example) throws IOException {
    VirtualGuest stamped = stamper(SEED).stamp(guest(example), profile(example)).guest();
    VirtualGuestSpec spec = stamped.getSpec();
    String name = stamped.getMetadata().getName();
    IdentityGenerator ids = new IdentityGenerator(SEED);

    assertEquals(SerialPolicy.UNIQUE, spec.firmware.serialPolicy);
    assertEquals(ids.firmwareUuid("demo", name), spec.firmware.uuid);
    assertEquals(ids.systemSerial("demo", name), spec.firmware.serial);
    assertEquals(Q35, spec.machineType);
    assertEquals(example.devices(), spec.devices.toChoices(spec.machineType), "all ten devices and the machine type");
    assertEquals(example.generatedSerials(), spec.identity.diskSerials.keySet());
    spec.identity.diskSerials.forEach((disk, serial) ->
        assertEquals(ids.diskSerial("demo", name, disk), serial, "serial of " + disk));
    assertEquals(example.nics(), spec.identity.macAddresses.keySet());
    assertEquals("demo/" + name, spec.identity.stampedFor);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void restampingFillsNothingAndRendersTheSameXml(Example example) throws IOException {
    GuestStamper stamper = stamper(SEED);
    GuestStamper.Stamp first = stamper.stamp(guest(example), profile(example));
    assertTrue(first.changed());
    GuestStamper.Stamp second = stamper.stamp(first.guest(), profile(example));
    assertEquals(List.of(), second.filled());
    assertEquals(render(first.guest()), render(second.guest()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void stampingTheManifestAgainGivesTheSameIdentity(Example example) throws IOException {
    VirtualGuestSpec once = stamper(SEED).stamp(guest(example), profile(example)).guest().getSpec();
    VirtualGuestSpec again = stamper(SEED).stamp(guest(example), profile(example)).guest().getSpec();
    assertEquals(once.firmware.uuid, again.firmware.uuid);
    assertEquals(once.firmware.serial, again.firmware.serial);
    assertEquals(once.identity.diskSerials, again.identity.diskSerials);
    assertEquals(once.identity.macAddresses, again.identity.macAddresses);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void anotherSeedGivesAnotherIdentity(Example example) throws IOException {
    VirtualGuestSpec ours = stamper(SEED).stamp(guest(example), profile(example)).guest().getSpec();
    VirtualGuestSpec theirs = stamper("another-seed").stamp(guest(example), profile(example)).guest().getSpec();
    assertNotEquals(ours.firmware.uuid, theirs.firmware.uuid);
    assertNotEquals(ours.firmware.serial, theirs.firmware.serial);
    assertNotEquals(ours.identity.diskSerials, theirs.identity.diskSerials);
    assertNotEquals(ours.identity.macAddresses, theirs.identity.macAddresses);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void renderedDomainCarriesTheStampedIdentityAndDevices(Example example) throws IOException {
    VirtualGuest stamped = stamper(SEED).stamp(guest(example), profile(example)).guest();
    GuestDefinition definition = new DefinitionBuilder(settings(SEED), NODE).build(stamped, TestGuests.POOL_DIRECTORIES);
    RenderedDomain rendered = new DomainRenderer().render(definition);
    VirtualGuestSpec spec = stamped.getSpec();

    assertEquals("demo_" + stamped.getMetadata().getName(), definition.domainName());
    assertEquals(spec.firmware.uuid, definition.uuid());
    assertEquals(spec.firmware.serial, definition.smbios().serial());
    assertEquals(example.clock(), definition.clockOffset());
    assertTrue(definition.disks().stream().filter(d -> d.role().kind().xml().equals("disk"))
        .allMatch(d -> d.bus() == example.diskBus()), definition.disks()::toString);
    assertTrue(definition.interfaces().stream().allMatch(n -> n.model() == example.nic()));
    spec.identity.diskSerials.forEach((disk, serial) -> assertTrue(
        rendered.xml().contains("<serial>" + serial + "</serial>"), disk + " serial missing"));
    spec.identity.macAddresses.forEach((nic, mac) -> assertTrue(
        rendered.xml().contains("<mac address='" + mac + "'/>"), nic + " MAC missing"));
    assertTrue(rendered.xml().contains("machine='" + Q35 + "'"));
    assertTrue(rendered.xml().contains("<clock offset='" + example.clock().xml() + "'/>"));

    GuestMetadata metadata = GuestMetadata.parse(rendered.xml());
    assertEquals(rendered.hash(), metadata.renderHash());
    assertEquals(example.devices(), metadata.devices());
    assertEquals(spec.displayName, metadata.displayName());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void renderedDomainPassesLibvirtSchema(Example example) throws IOException {
    VirtualGuest stamped = stamper(SEED).stamp(guest(example), profile(example)).guest();
    VirtXmlValidate.assertValidDomain(render(stamped), example.guestFile());
  }

  private static String render(VirtualGuest stamped) {
    return new DomainRenderer().render(new DefinitionBuilder(settings(SEED), NODE).build(stamped, TestGuests.POOL_DIRECTORIES)).xml();
  }

  private static GuestSettings settings(String seed) {
    return GuestSettings.defaults(seed).withAllowedPools(Set.of("default", "volumes"));
  }

  private static GuestStamper stamper(String seed) {
    return new GuestStamper(settings(seed), NODE);
  }

  private static VirtualGuest guest(Example example) throws IOException {
    VirtualGuest guest = YAML.readValue(examplePath(example.guestFile()).toFile(), VirtualGuest.class);
    assertNotNull(guest.getSpec(), example.guestFile() + ": no spec");
    return guest;
  }

  private static GuestDeviceProfile profile(Example example) throws IOException {
    return YAML.readValue(examplePath(example.profileFile()).toFile(), GuestDeviceProfile.class);
  }

  static Path examplePath(String file) {
    Path path = Path.of(System.getProperty("vguest.repoRoot", "..")).resolve("examples").resolve(file);
    if (!Files.isRegularFile(path)) {
      fail("example " + path + " not found (system property vguest.repoRoot points at the repository root)");
    }
    return path;
  }

  /**
   * Every field written in the manifest must come back when the object read from it is written
   * again: API classes ignore unknown properties, so a misspelt or removed field would otherwise
   * vanish without an error.
   */
  private static void assertSameFields(JsonNode written, JsonNode read, String path) {
    if (written.isObject()) {
      assertTrue(read != null && read.isObject(), path + " is not read as an object");
      for (Iterator<Map.Entry<String, JsonNode>> it = written.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        String child = path + "." + field.getKey();
        assertTrue(read.has(field.getKey()), child + " is not a field of the API (misspelt or removed?)");
        assertSameFields(field.getValue(), read.get(field.getKey()), child);
      }
    } else if (written.isArray()) {
      assertEquals(written.size(), read.size(), path + " length");
      for (int i = 0; i < written.size(); i++) {
        assertSameFields(written.get(i), read.get(i), path + "[" + i + "]");
      }
    } else {
      assertEquals(written.asText(), read.asText(), path);
    }
  }
}
