package io.vguest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Completes the CRDs fabric8's generator writes with what it cannot express: lists keyed by name
 * ({@code x-kubernetes-list-type: map}), so that the API server refuses duplicate names and
 * server-side apply merges list items per key instead of replacing the list whole.
 *
 * <p>Run by the build after the generator; {@code crds/} holds its checked-in output.
 */
public final class CrdPostProcessor {

  /** CRD name to the schema paths (below the version's openAPIV3Schema) of lists keyed by one field. */
  static final Map<String, Map<String, String>> LIST_MAP_KEYS = Map.of(
      "virtualguests.vguest.io", Map.of(
          "spec.disks", "name",
          "spec.interfaces", "name",
          "status.disks", "name",
          "status.conditions", "type"));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private CrdPostProcessor() {}

  public static void main(String[] args) throws IOException {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    Files.createDirectories(out);
    try (Stream<Path> files = Files.list(in)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith("-v1.yml")).sorted().toList()) {
        ObjectNode crd = (ObjectNode) YAML.readTree(file.toFile());
        String name = crd.path("metadata").path("name").asText();
        Files.writeString(out.resolve(name + ".yaml"), render(process(crd)));
      }
    }
  }

  /** Adds the list-map markers of {@link #LIST_MAP_KEYS} to every version of the CRD. */
  public static ObjectNode process(ObjectNode crd) {
    String name = crd.path("metadata").path("name").asText();
    Map<String, String> lists = new TreeMap<>(LIST_MAP_KEYS.getOrDefault(name, Map.of()));
    for (JsonNode version : crd.path("spec").path("versions")) {
      JsonNode root = version.path("schema").path("openAPIV3Schema");
      lists.forEach((path, key) -> {
        JsonNode node = root;
        for (String part : path.split("\\.")) {
          node = node.path("properties").path(part);
        }
        if (!(node instanceof ObjectNode list) || !"array".equals(list.path("type").asText())) {
          throw new IllegalStateException(name + ": " + path + " is not an array in the generated schema");
        }
        list.put("x-kubernetes-list-type", "map");
        list.putArray("x-kubernetes-list-map-keys").add(key);
        ObjectNode item = (ObjectNode) list.path("items");
        if (!contains(item.path("required"), key)) {
          (item.has("required") ? (com.fasterxml.jackson.databind.node.ArrayNode) item.get("required")
              : item.putArray("required")).add(key);
        }
      });
    }
    return crd;
  }

  public static String render(JsonNode crd) throws IOException {
    return "# Generated from the Java API types by the build (mvn verify); do not edit.\n"
        + YAML.writeValueAsString(crd);
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (value.equals(item.asText())) {
        return true;
      }
    }
    return false;
  }

  static List<String> names() {
    return List.copyOf(LIST_MAP_KEYS.keySet());
  }
}
