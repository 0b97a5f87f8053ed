package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.fabric8.zjsonpatch.JsonPatchException;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.DeviceProperty;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The patches {@code vguest devices} sends, applied with a JSON patch implementation. */
class DeviceEditsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static Map<DeviceProperty, String> changes(Object... pairs) {
    Map<DeviceProperty, String> changes = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      changes.put((DeviceProperty) pairs[i], (String) pairs[i + 1]);
    }
    return changes;
  }

  @Test
  void setIsGuardedByTheOldValuesAndTheMachineType() throws Exception {
    VirtualGuest guest = DevicesCommandTest.stamped(DevicesCommandTest.WEB);
    var ops = DeviceEdits.jsonPatch(guest.getSpec(), changes(DeviceProperty.DISK_BUS, "sata"));
    assertEquals(JSON.readTree("""
        [{"op":"test","path":"/spec/machineType","value":"pc-q35-7.2"},
         {"op":"test","path":"/spec/devices/diskBus","value":"virtio"},
         {"op":"replace","path":"/spec/devices/diskBus","value":"sata"}]"""), ops);

    JsonNode doc = JSON.valueToTree(guest);
    assertEquals("sata", JsonPatch.apply(ops, doc).at("/spec/devices/diskBus").asText());

    ObjectNode changedMeanwhile = doc.deepCopy();
    ((ObjectNode) changedMeanwhile.at("/spec/devices")).put("diskBus", "scsi");
    assertThrows(JsonPatchException.class, () -> JsonPatch.apply(ops, changedMeanwhile),
        "a concurrent change of the same property fails the test");
    ObjectNode machineChanged = doc.deepCopy();
    ((ObjectNode) machineChanged.at("/spec")).put("machineType", "pc-i440fx-7.2");
    assertThrows(JsonPatchException.class, () -> JsonPatch.apply(ops, machineChanged),
        "the compatibility check read the machine type");
  }

  @Test
  void resetRemovesAfterTestingTheOldValue() throws Exception {
    VirtualGuest guest = DevicesCommandTest.stamped(DevicesCommandTest.WEB);
    Map<DeviceProperty, String> reset = new LinkedHashMap<>();
    reset.put(DeviceProperty.VIDEO_MODEL, null);
    var ops = DeviceEdits.jsonPatch(guest.getSpec(), reset);
    assertEquals(JSON.readTree("""
        [{"op":"test","path":"/spec/machineType","value":"pc-q35-7.2"},
         {"op":"test","path":"/spec/devices/videoModel","value":"virtio"},
         {"op":"remove","path":"/spec/devices/videoModel"}]"""), ops);
    assertEquals(true, JsonPatch.apply(ops, JSON.valueToTree(guest)).at("/spec/devices/videoModel").isMissingNode());
  }

  @Test
  void unsetPropertiesAreAddedAndAMissingDevicesObjectIsMerged() throws Exception {
    VirtualGuest guest = DevicesCommandTest.stamped(DevicesCommandTest.WEB);
    guest.getSpec().devices.inputBus = null;
    assertEquals(JSON.readTree("""
        [{"op":"test","path":"/spec/machineType","value":"pc-q35-7.2"},
         {"op":"add","path":"/spec/devices/inputBus","value":"usb"}]"""),
        DeviceEdits.jsonPatch(guest.getSpec(), changes(DeviceProperty.INPUT_BUS, "usb")));

    guest.getSpec().devices = null;
    assertNull(DeviceEdits.jsonPatch(guest.getSpec(), changes(DeviceProperty.INPUT_BUS, "usb")));
    assertEquals(JSON.readTree("{\"spec\":{\"machineType\":\"pc\",\"devices\":{\"inputBus\":\"usb\"}}}"),
        DeviceEdits.mergePatch(changes(DeviceProperty.MACHINE_TYPE, "pc", DeviceProperty.INPUT_BUS, "usb")));
  }
}
