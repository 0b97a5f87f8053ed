package io.vguest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrdSchemaValidatorTest {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

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
          source:
            volume:
              pool: default
              name: web-root
        - name: data
          role: data
          source:
            blank:
              pool: default
              size: 10Gi
        interfaces:
        - name: nic0
          network: default
      """;

  private static List<String> errors(String yaml) throws Exception {
    JsonNode node = YAML.readTree(yaml);
    return CrdSchemaValidator.validateManifest(node).stream().map(Object::toString).toList();
  }

  @Test
  void acceptsAValidGuest() throws Exception {
    assertEquals(List.of(), errors(GUEST));
  }

  @Test
  void compilesEveryRuleOfBothCrds() {
    assertFalse(CrdSchemaValidator.forKind("VirtualGuest").compileAllRules().isEmpty());
    assertFalse(CrdSchemaValidator.forKind("GuestDeviceProfile").compileAllRules().isEmpty());
  }

  @Test
  void reportsAnUnknownEnumValueWithTheSupportedValues() throws Exception {
    List<String> errors = errors(GUEST.replace("nodeName: node-a", "nodeName: node-a\n  osFamily: beos"));
    assertEquals(List.of("spec.osFamily: Unsupported value: \"beos\": supported values: \"linux\", \"other\", \"windows\""),
        errors);
  }

  @Test
  void reportsAMissingRequiredField() throws Exception {
    assertEquals(List.of("spec.nodeName: Required value"), errors(GUEST.replace("  nodeName: node-a\n", "")));
  }

  @Test
  void reportsAFailedRuleAtItsLocation() throws Exception {
    List<String> errors = errors(GUEST.replace("role: data", "role: root"));
    assertEquals(List.of("spec: Invalid value: \"object\": disks: exactly one disk must have role root"), errors);
  }

  @Test
  void reportsADuplicateListMapKey() throws Exception {
    List<String> errors = errors(GUEST.replace("name: data", "name: root"));
    assertTrue(errors.contains("spec.disks[1]: Duplicate value: {\"name\":\"root\"}"), errors.toString());
  }

  @Test
  void reportsAnUndeclaredField() throws Exception {
    List<String> errors = errors(GUEST.replace("cpus: 2", "cpus: 2\n    sockets: 1"));
    assertEquals(List.of("spec.resources.sockets: unknown field \"spec.resources.sockets\": field not declared in schema"),
        errors);
  }

  @Test
  void reportsAPatternMismatchWithThePattern() throws Exception {
    List<String> errors = errors(GUEST.replace("name: web-root", "name: ../etc"));
    assertEquals(1, errors.size(), errors.toString());
    assertTrue(errors.get(0).startsWith("spec.disks[0].source.volume.name: Invalid value: \"../etc\": "), errors.get(0));
  }

  @Test
  void reportsANumberOutOfRange() throws Exception {
    assertEquals(List.of("spec.resources.cpus: Invalid value: 0: spec.resources.cpus in body should be greater than or "
        + "equal to 1"), errors(GUEST.replace("cpus: 2", "cpus: 0")));
  }

  @Test
  void acceptsAQuantityAsIntegerOrString() throws Exception {
    assertEquals(List.of(), errors(GUEST.replace("memory: 2Gi", "memory: 2147483648")));
    assertFalse(errors(GUEST.replace("memory: 2Gi", "memory: [1]")).isEmpty());
  }
}
