package io.vguest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every field users can set or read has a description, which is what {@code kubectl explain} shows. */
class CrdDescriptionsTest {

  /** Fields whose schema comes from Kubernetes' own types (conditions) and carry no descriptions there. */
  private static final Set<String> KUBERNETES_TYPES = Set.of("status.conditions");

  @ParameterizedTest
  @ValueSource(strings = {"virtualguests.vguest.io", "guestdeviceprofiles.vguest.io"})
  void everyFieldIsDescribed(String crd) throws Exception {
    Path file = Path.of(System.getProperty("vguest.repoRoot", ".."), "crds", crd + ".yaml");
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
    JsonNode schema = root.path("spec").path("versions").get(0).path("schema").path("openAPIV3Schema");
    List<String> undocumented = new ArrayList<>();
    JsonNode properties = schema.path("properties");
    for (String top : List.of("spec", "status")) {
      if (properties.has(top)) {
        walk(top, properties.get(top), undocumented, false);
      }
    }
    assertTrue(properties.has("spec"), "spec is present");
    assertEquals(List.of(), undocumented, "fields without a description in " + crd);
  }

  private static void walk(String path, JsonNode node, List<String> undocumented, boolean needsDescription) {
    if (KUBERNETES_TYPES.contains(path)) {
      return;
    }
    if (needsDescription && !node.hasNonNull("description")) {
      undocumented.add(path);
    }
    node.path("properties").fields().forEachRemaining(e -> walk(path + "." + e.getKey(), e.getValue(), undocumented, true));
    if (node.has("items")) {
      node.get("items").path("properties").fields()
          .forEachRemaining(e -> walk(path + "[]." + e.getKey(), e.getValue(), undocumented, true));
    }
  }
}
