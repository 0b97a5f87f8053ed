package io.vguest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdPostProcessorTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path GENERATED = Path.of(System.getProperty("vguest.repoRoot", ".."), "operator", "target",
      "classes", "META-INF", "fabric8");

  private static ObjectNode processed(String plural) throws IOException {
    ObjectNode crd = (ObjectNode) YAML.readTree(GENERATED.resolve(plural + ".vguest.io-v1.yml").toFile());
    return CrdPostProcessor.process(crd);
  }

  private static JsonNode schema(ObjectNode crd) {
    return crd.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
  }

  private static List<String> columns(ObjectNode crd) {
    List<String> names = new ArrayList<>();
    crd.path("spec").path("versions").get(0).path("additionalPrinterColumns")
        .forEach(c -> names.add(c.path("name").asText()));
    return names;
  }

  @Test
  void marksDisksAndInterfacesAsListsKeyedByName() throws IOException {
    JsonNode spec = schema(processed("virtualguests")).path("properties").path("spec").path("properties");
    for (String list : List.of("disks", "interfaces")) {
      assertEquals("map", spec.path(list).path("x-kubernetes-list-type").asText(), list);
      assertEquals("name", spec.path(list).path("x-kubernetes-list-map-keys").get(0).asText(), list);
    }
  }

  @Test
  void makesTheListMapKeyRequiredInItems() throws IOException {
    JsonNode status = schema(processed("virtualguests")).path("properties").path("status").path("properties");
    assertTrue(status.path("conditions").path("items").path("required").toString().contains("\"type\""));
    assertTrue(status.path("disks").path("items").path("required").toString().contains("\"name\""));
  }

  @Test
  void ordersGuestColumnsAsDeclared() throws IOException {
    assertEquals(List.of("Node", "State", "Serial", "Ready", "Age", "Profile", "Machine", "Pending"),
        columns(processed("virtualguests")));
  }

  @Test
  void ordersProfileColumnsAsDeclared() throws IOException {
    assertEquals(List.of("Disk bus", "NIC", "Video", "Serial policy", "Age"), columns(processed("guestdeviceprofiles")));
  }

  @Test
  void refusesColumnsMissingFromTheOrderTable() throws IOException {
    ObjectNode crd = processed("guestdeviceprofiles");
    ((com.fasterxml.jackson.databind.node.ArrayNode) crd.path("spec").path("versions").get(0)
        .path("additionalPrinterColumns")).addObject().put("name", "Extra").put("jsonPath", ".spec.x");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> CrdPostProcessor.process(crd));
    assertTrue(e.getMessage().contains("COLUMN_ORDER"), e.getMessage());
  }

  @Test
  void givesEveryEnumStringTheLengthOfItsLongestValue() throws IOException {
    JsonNode spec = schema(processed("virtualguests")).path("properties").path("spec").path("properties");
    assertEquals(6, spec.path("devices").path("properties").path("diskBus").path("maxLength").asInt());
    assertEquals(11, spec.path("devices").path("properties").path("scsiModel").path("maxLength").asInt());
    assertEquals(9, spec.path("disks").path("items").path("properties").path("role").path("maxLength").asInt());
    assertEquals(6, spec.path("runStrategy").path("maxLength").asInt());
    List<String> unbounded = new ArrayList<>();
    collectUnboundedEnums(schema(processed("guestdeviceprofiles")), "", unbounded);
    collectUnboundedEnums(schema(processed("virtualguests")), "", unbounded);
    assertEquals(List.of(), unbounded);
  }

  @Test
  void givesTheValuesOfTheIdentityMapsTheirPatternAndLength() throws IOException {
    JsonNode identity = schema(processed("virtualguests")).path("properties").path("spec").path("properties")
        .path("identity").path("properties");
    assertEquals(io.vguest.api.v1alpha1.Patterns.DISK_SERIAL,
        identity.path("diskSerials").path("additionalProperties").path("pattern").asText());
    assertEquals(36, identity.path("diskSerials").path("additionalProperties").path("maxLength").asInt());
    assertEquals(io.vguest.api.v1alpha1.Patterns.MAC,
        identity.path("macAddresses").path("additionalProperties").path("pattern").asText());
    assertEquals(17, identity.path("macAddresses").path("additionalProperties").path("maxLength").asInt());
  }

  @Test
  void boundsEveryArrayInTheSpec() throws IOException {
    JsonNode spec = schema(processed("virtualguests")).path("properties").path("spec").path("properties");
    assertEquals(32, spec.path("disks").path("maxItems").asInt());
    assertEquals(16, spec.path("interfaces").path("maxItems").asInt());
  }

  @Test
  void refusesAnUnboundedArrayInTheSpec() throws IOException {
    ObjectNode crd = processed("virtualguests");
    ((ObjectNode) schema(crd).path("properties").path("spec").path("properties").path("disks")).remove("maxItems");
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> CrdPostProcessor.process(crd));
    assertTrue(e.getMessage().contains("spec.disks"), e.getMessage());
  }

  @Test
  void boundsEveryStringAndArrayACelRuleReads() throws IOException {
    List<String> unbounded = new ArrayList<>();
    for (String plural : List.of("virtualguests", "guestdeviceprofiles")) {
      collectUnboundedRuleInputs(schema(processed(plural)), plural, unbounded);
    }
    assertEquals(List.of(), unbounded, "the API server's CEL cost estimate needs maxLength/maxItems on these");
  }

  @Test
  void keepsDescriptionsAndRulesOnOneLine() throws IOException {
    String yaml = CrdPostProcessor.render(processed("virtualguests"));
    assertFalse(yaml.lines().anyMatch(l -> l.stripLeading().startsWith("\\ ")), "a line was split");
    assertTrue(yaml.lines().anyMatch(l -> l.contains("rule: ") && l.contains("self.disks.filter(d, d.role == 'root')")));
  }

  @Test
  void writesOneFilePerCrd(@org.junit.jupiter.api.io.TempDir Path out) throws IOException {
    CrdPostProcessor.main(new String[] {GENERATED.toString(), out.toString()});
    assertTrue(Files.exists(out.resolve("virtualguests.vguest.io.yaml")));
    assertTrue(Files.exists(out.resolve("guestdeviceprofiles.vguest.io.yaml")));
    assertTrue(Files.readString(out.resolve("virtualguests.vguest.io.yaml")).startsWith("# Generated"));
  }

  /** For every schema node with rules: the fields its rules name, wherever they sit below it, must be bounded. */
  private static void collectUnboundedRuleInputs(JsonNode node, String path, List<String> out) {
    if (!node.isContainerNode()) {
      return;
    }
    java.util.Set<String> read = new java.util.TreeSet<>();
    node.path("x-kubernetes-validations").forEach(rule -> {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\.([A-Za-z]+)").matcher(rule.path("rule").asText());
      while (m.find()) {
        read.add(m.group(1));
      }
    });
    if (!read.isEmpty()) {
      checkBounded(node, path, read, out);
    }
    node.forEach(child -> collectUnboundedRuleInputs(child, path, out));
  }

  private static void checkBounded(JsonNode schema, String path, java.util.Set<String> names, List<String> out) {
    schema.path("properties").fields().forEachRemaining(e -> {
      JsonNode field = e.getValue();
      String at = path + "." + e.getKey();
      if (names.contains(e.getKey())) {
        String type = field.path("type").asText();
        if ("string".equals(type) && !field.has("maxLength")) {
          out.add(at + " (string without maxLength)");
        } else if ("array".equals(type) && !field.has("maxItems")) {
          out.add(at + " (array without maxItems)");
        }
      }
      checkBounded(field, at, names, out);
    });
    if (schema.has("items")) {
      checkBounded(schema.get("items"), path + "[]", names, out);
    }
  }

  private static void collectUnboundedEnums(JsonNode node, String path, List<String> out) {
    if (node.has("enum") && !node.has("maxLength")) {
      out.add(path);
    }
    node.fields().forEachRemaining(e -> {
      if (e.getValue().isContainerNode()) {
        collectUnboundedEnums(e.getValue(), path + "/" + e.getKey(), out);
      }
    });
  }
}
