package io.vguest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vguest.devices.DeviceChoice;
import io.vguest.devices.DeviceRules;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import io.vguest.devices.DiskRole.DeviceKind;
import io.vguest.devices.InputBus;
import io.vguest.devices.PointerModel;
import io.vguest.devices.RngModel;
import io.vguest.devices.ScsiModel;
import io.vguest.devices.VideoModel;
import io.vguest.devices.VifModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API server refuses with the CEL rules of the CRDs in {@code crds/} what the operator refuses
 * with the rules of {@link DeviceRules}: both are run over every bus, role and machine type that
 * matters, and must agree. The CRD's enums must list exactly the devices catalogue's values.
 */
class CelRulesMatchJavaRulesTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final List<String> MACHINE_TYPES = List.of("q35", "pc-q35-7.2", "pc", "pc-i440fx-7.2");
  private static final Map<String, DeviceKind> BUS_PROPERTIES = Map.of("diskBus", DeviceKind.DISK, "cdromBus",
      DeviceKind.CDROM, "floppyBus", DeviceKind.FLOPPY, "rescueBus", DeviceKind.DISK);

  private static CrdSchemaValidator guests;
  private static JsonNode guestCrd;
  private static JsonNode profileCrd;

  @BeforeAll
  static void loadCrds() throws IOException {
    Path crds = Path.of(System.getProperty("vguest.repoRoot", "..")).resolve("crds");
    guests = CrdSchemaValidator.load(crds.resolve("virtualguests.vguest.io.yaml"));
    guestCrd = YAML.readTree(crds.resolve("virtualguests.vguest.io.yaml").toFile());
    profileCrd = YAML.readTree(crds.resolve("guestdeviceprofiles.vguest.io.yaml").toFile());
  }

  /** A valid guest with a root disk and, when {@code role} is set, a second disk to vary. */
  private static ObjectNode guest(String machineType, DiskRole role, DiskBus bus, String serial) {
    ObjectNode guest = YAML.createObjectNode();
    guest.put("apiVersion", "vguest.io/v1alpha1").put("kind", "VirtualGuest");
    guest.putObject("metadata").put("name", "web");
    ObjectNode spec = guest.putObject("spec");
    spec.put("nodeName", "node-a");
    if (machineType != null) {
      spec.put("machineType", machineType);
    }
    spec.putObject("resources").put("cpus", 1).put("memory", "1Gi");
    ArrayNode disks = spec.putArray("disks");
    disks.addObject().put("name", "root").put("role", "root").putObject("source").putObject("volume")
        .put("pool", "default").put("name", "web-root");
    if (role != null) {
      ObjectNode disk = disks.addObject().put("name", "other").put("role", role.value());
      if (bus != null) {
        disk.put("bus", bus.value());
      }
      if (serial != null) {
        disk.put("serial", serial);
      }
      if (role != DiskRole.CDROM && role != DiskRole.FLOPPY) {
        disk.putObject("source").putObject("volume").put("pool", "default").put("name", "web-other");
      }
    }
    return guest;
  }

  private static List<String> celErrors(ObjectNode guest) {
    return guests.validate(guest).stream().map(Object::toString).toList();
  }

  @Test
  void theBaseGuestIsValid() {
    assertEquals(List.of(), celErrors(guest(null, null, null, null)));
  }

  @Test
  void serialLengthPerBusIsTheSame() {
    for (DiskBus bus : DiskBus.values()) {
      DiskRole role = bus == DiskBus.FDC ? DiskRole.FLOPPY : DiskRole.DATA;
      for (int length : new int[] {DeviceRules.SHORT_SERIAL_MAX, DeviceRules.SHORT_SERIAL_MAX + 1,
          DeviceRules.SERIAL_MAX}) {
        List<String> errors = celErrors(guest(null, role, bus, "S".repeat(length)));
        boolean cel = errors.stream().anyMatch(e -> e.contains("serial: at most"));
        boolean java = length > DeviceRules.serialLimit(bus);
        assertEquals(java, cel, bus + " with a serial of " + length + ": " + errors);
      }
    }
    List<String> tooLong = celErrors(guest(null, DiskRole.DATA, DiskBus.SCSI, "S".repeat(DeviceRules.SERIAL_MAX + 1)));
    assertTrue(tooLong.stream().anyMatch(e -> e.startsWith("spec.disks[1].serial")), tooLong.toString());
  }

  @Test
  void aDrivesOwnBusAgainstItsRoleIsTheSame() {
    for (DiskRole role : DiskRole.values()) {
      if (role == DiskRole.ROOT) {
        continue;
      }
      for (DiskBus bus : DiskBus.values()) {
        List<String> errors = celErrors(guest("pc-i440fx-7.2", role, bus, null));
        boolean cel = errors.stream().anyMatch(e -> e.contains(": bus: "));
        boolean java = !DeviceRules.driveProblems("bus", role.kind(), bus, "pc-i440fx-7.2").isEmpty();
        assertEquals(java, cel, role + " on " + bus + ": " + errors);
      }
    }
  }

  @Test
  void noIdeOnQ35IsTheSame() {
    for (String machineType : MACHINE_TYPES) {
      for (DiskBus bus : DiskBus.values()) {
        DiskRole role = bus == DiskBus.FDC ? DiskRole.FLOPPY : DiskRole.DATA;
        List<String> disk = celErrors(guest(machineType, role, bus, null));
        assertEquals(DeviceRules.lacksIde(bus, machineType), disk.stream().anyMatch(e -> e.contains("no IDE")),
            machineType + ", a disk on " + bus + ": " + disk);
        for (String property : List.of("diskBus", "cdromBus", "rescueBus")) {
          ObjectNode guest = guest(machineType, null, null, null);
          ((ObjectNode) guest.get("spec")).putObject("devices").put(property, bus.value());
          List<String> errors = celErrors(guest);
          assertEquals(DeviceRules.lacksIde(bus, machineType), errors.stream().anyMatch(e -> e.contains("no IDE")),
              machineType + ", devices." + property + " " + bus + ": " + errors);
        }
      }
    }
  }

  @Test
  void busPropertiesForTheirKindOfDriveAreTheSame() {
    BUS_PROPERTIES.forEach((property, kind) -> {
      for (DiskBus bus : DiskBus.values()) {
        ObjectNode guest = guest("pc-i440fx-7.2", null, null, null);
        ((ObjectNode) guest.get("spec")).putObject("devices").put(property, bus.value());
        List<String> errors = celErrors(guest);
        boolean java = !DeviceRules.driveProblems(property, kind, bus, "pc-i440fx-7.2").isEmpty();
        assertEquals(java, errors.stream().anyMatch(e -> e.contains(property + ": ")),
            "devices." + property + " " + bus + ": " + errors);
      }
    });
  }

  @Test
  void enumsListTheDevicesCatalogue() {
    Map<String, Class<? extends DeviceChoice>> catalogue = Map.of("diskBus", DiskBus.class, "cdromBus", DiskBus.class,
        "floppyBus", DiskBus.class, "rescueBus", DiskBus.class, "inputBus", InputBus.class, "pointerModel",
        PointerModel.class, "rngModel", RngModel.class, "scsiModel", ScsiModel.class, "videoModel", VideoModel.class,
        "vifModel", VifModel.class);
    JsonNode guestDevices = specSchema(guestCrd).path("properties").path("devices").path("properties");
    JsonNode profile = specSchema(profileCrd).path("properties");
    catalogue.forEach((property, type) -> {
      List<String> values = Arrays.stream(type.getEnumConstants()).map(DeviceChoice::value).sorted().toList();
      assertEquals(values, enumOf(guestDevices.path(property)), "VirtualGuest spec.devices." + property);
      assertEquals(values, enumOf(profile.path(property)), "GuestDeviceProfile spec." + property);
    });
    JsonNode disk = specSchema(guestCrd).path("properties").path("disks").path("items").path("properties");
    assertEquals(Arrays.stream(DiskBus.values()).map(DiskBus::value).sorted().toList(), enumOf(disk.path("bus")));
    assertEquals(Arrays.stream(DiskRole.values()).map(DiskRole::value).sorted().toList(), enumOf(disk.path("role")));
    JsonNode nic = specSchema(guestCrd).path("properties").path("interfaces").path("items").path("properties");
    assertEquals(Arrays.stream(VifModel.values()).map(VifModel::value).sorted().toList(), enumOf(nic.path("model")));
  }

  private static JsonNode specSchema(JsonNode crd) {
    return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema").path("properties")
        .path("spec");
  }

  private static List<String> enumOf(JsonNode property) {
    assertTrue(property.path("enum").isArray(), "no enum in " + property);
    return new ArrayList<>(new TreeSet<>(StreamSupport.stream(property.path("enum").spliterator(), false)
        .map(JsonNode::asText).toList()));
  }
}
