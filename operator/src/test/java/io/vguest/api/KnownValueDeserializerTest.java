package io.vguest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.DefaultKubernetesResourceList;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.vguest.api.v1alpha1.Devices;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.UnknownValues.UnknownValue;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.DiskBus;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownValueDeserializerTest {

  static final String GUEST = """
      {"apiVersion": "vguest.io/v1alpha1", "kind": "VirtualGuest",
       "metadata": {"name": "web-1", "namespace": "demo"},
       "spec": {"nodeName": "node-a", "osFamily": "beos", "runStrategy": "Sometimes",
                "resources": {"cpus": 1, "memory": "1Gi"},
                "disks": [{"name": "root", "role": "root", "bus": "sata"},
                          {"name": "data", "role": "data", "bus": {"nvme": true}}],
                "devices": {"diskBus": "nvme", "videoModel": "virtio"}}}
      """;

  static final List<UnknownValue> EXPECTED = List.of(
      new UnknownValue("spec.osFamily", "Unsupported value: \"beos\": supported values: linux, windows, other"),
      new UnknownValue("spec.runStrategy", "Unsupported value: \"Sometimes\": supported values: Always, Halted, Manual"),
      new UnknownValue("spec.disks[1].bus", "Unsupported value: (not a string): supported values: virtio, scsi, sata, "
          + "ide, usb, fdc"),
      new UnknownValue("spec.devices.diskBus", "Unsupported value: \"nvme\": supported values: virtio, scsi, sata, "
          + "ide, usb, fdc"));

  @Test
  void unknownValuesAreReadAsUnsetAndRecordedWithTheirFields() throws Exception {
    VirtualGuest guest = new ObjectMapper().readValue(GUEST, VirtualGuest.class);
    assertEquals(EXPECTED, guest.unknownValues());
    assertNull(guest.getSpec().osFamily);
    assertNull(guest.getSpec().disks.get(1).bus);
    assertEquals(DiskBus.SATA, guest.getSpec().disks.get(0).bus, "known values read as ever");
    assertEquals("virtio", guest.getSpec().devices.videoModel.value());
    assertEquals(EXPECTED, new ObjectMapper().convertValue(guest, VirtualGuest.class).unknownValues(),
        "kept by a copy through JSON, as the framework makes one before each reconcile");
    assertEquals(EXPECTED, new KubernetesSerialization().clone(guest).unknownValues());
  }

  @Test
  void theSameThroughATreeAndThroughTheClientsSerializationOfAList() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    assertEquals(EXPECTED, mapper.treeToValue(mapper.readTree(GUEST), VirtualGuest.class).unknownValues());
    String list = "{\"apiVersion\": \"vguest.io/v1alpha1\", \"kind\": \"VirtualGuestList\", \"metadata\": {}, "
        + "\"items\": [" + GUEST.replace("web-1", "web-0").replace("beos", "linux").replace("Sometimes", "Always")
        .replace("{\"nvme\": true}", "\"scsi\"").replace("\"nvme\"", "\"scsi\"") + ", " + GUEST + "]}";
    DefaultKubernetesResourceList<VirtualGuest> read = new KubernetesSerialization().unmarshal(
        new java.io.ByteArrayInputStream(list.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new TypeReference<DefaultKubernetesResourceList<VirtualGuest>>() {});
    assertEquals(List.of(), read.getItems().get(0).unknownValues());
    assertEquals(EXPECTED, read.getItems().get(1).unknownValues());
  }

  @Test
  void profilesToo() throws Exception {
    GuestDeviceProfile profile = new YAMLMapper().readValue("""
        apiVersion: vguest.io/v1alpha1
        kind: GuestDeviceProfile
        metadata: {name: p}
        spec: {vifModel: rtl8029, serialPolicy: unique}
        """, GuestDeviceProfile.class);
    assertEquals(List.of("spec.vifModel"), profile.unknownValues().stream().map(UnknownValue::field).toList());
  }

  @Test
  void anApiTypeReadOnItsOwnStillRefusesTheValue() {
    assertThrows(JsonMappingException.class, () -> new ObjectMapper().readValue("{\"diskBus\": \"nvme\"}", Devices.class));
  }
}
