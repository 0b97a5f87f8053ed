package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.vguest.api.CrdSchemaValidator;
import io.vguest.devices.DeviceProperty;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same change made without vguest: {@code kubectl patch vg web-1 --type merge -p ...} (a JSON
 * merge patch, RFC 7386) or a Git edit, checked against the CRD's schema and CEL rules as the API
 * server would check it.
 */
class DevicesPatchSchemaTest {

  static final ObjectMapper JSON = new ObjectMapper();

  static JsonNode stampedGuest() throws Exception {
    JsonNode guest = JSON.valueToTree(DevicesCommandTest.stamped(DevicesCommandTest.WEB));
    assertEquals(List.of(), CrdSchemaValidator.validateManifest(guest), "the stamped guest itself is valid");
    return guest;
  }

  /** RFC 7386: objects merge, null removes, everything else replaces. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode result = target != null && target.isObject() ? ((ObjectNode) target).deepCopy()
        : JSON.createObjectNode();
    patch.fields().forEachRemaining(e -> {
      if (e.getValue().isNull()) {
        result.remove(e.getKey());
      } else {
        result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
      }
    });
    return result;
  }

  static List<CrdSchemaValidator.Error> afterMergePatch(String patch) throws Exception {
    return CrdSchemaValidator.validateManifest(mergePatch(stampedGuest(), JSON.readTree(patch)));
  }

  @Test
  void kubectlMergePatchOfADeviceChoiceIsAccepted() throws Exception {
    assertEquals(List.of(), afterMergePatch("{\"spec\":{\"devices\":{\"diskBus\":\"scsi\",\"vifModel\":\"e1000e\"}}}"));
    assertEquals(List.of(), afterMergePatch("{\"spec\":{\"machineType\":\"pc-q35-8.2\"}}"));
  }

  @Test
  void kubectlMergePatchRemovingAChoiceIsAccepted() throws Exception {
    assertEquals(List.of(), afterMergePatch("{\"spec\":{\"devices\":{\"videoModel\":null}}}"));
  }

  @Test
  void kubectlMergePatchIsRefusedWhereTheCliRefuses() throws Exception {
    List<CrdSchemaValidator.Error> ide = afterMergePatch("{\"spec\":{\"devices\":{\"diskBus\":\"ide\"}}}");
    assertTrue(ide.stream().anyMatch(e -> e.message().contains("q35 machine types have no IDE controller")),
        ide.toString());
    List<CrdSchemaValidator.Error> cdrom = afterMergePatch("{\"spec\":{\"devices\":{\"cdromBus\":\"virtio\"}}}");
    assertTrue(cdrom.stream().anyMatch(e -> e.message().contains("a cdrom cannot be on virtio")), cdrom.toString());
    List<CrdSchemaValidator.Error> unknown = afterMergePatch("{\"spec\":{\"devices\":{\"videoModel\":\"vmvga\"}}}");
    assertTrue(unknown.stream().anyMatch(e -> e.field().equals("spec.devices.videoModel")), unknown.toString());
  }

  @Test
  void theCliJsonPatchesAreAcceptedToo() throws Exception {
    JsonNode guest = stampedGuest();
    var spec = DevicesCommandTest.stamped(DevicesCommandTest.WEB).getSpec();
    for (Map<DeviceProperty, String> change : List.of(Map.of(DeviceProperty.DISK_BUS, "sata"),
        Map.of(DeviceProperty.MACHINE_TYPE, "pc-q35-8.2"), Map.of(DeviceProperty.RESCUE_BUS, "scsi"))) {
      JsonNode patched = JsonPatch.apply(DeviceEdits.jsonPatch(spec, change), guest);
      assertEquals(List.of(), CrdSchemaValidator.validateManifest(patched), change.toString());
    }
  }
}
