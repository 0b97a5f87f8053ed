package io.vguest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.vguest.api.v1alpha1.Patterns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Completes the CRDs fabric8's generator writes with what it cannot express:
 * <ul>
 *   <li>lists keyed by name ({@code x-kubernetes-list-type: map}), so that the API server refuses
 *       duplicate names and server-side apply merges list items per key instead of replacing the
 *       list whole;</li>
 *   <li>printer columns in the declared order (the generator sorts them by name);</li>
 *   <li>{@code maxLength} on every enum-typed string, so that the API server's CEL cost estimate
 *       of the rules that read them stays bounded;</li>
 *   <li>the pattern and length of the values of string maps (the generator leaves them plain
 *       strings), so the API server refuses a bad stamped disk serial or MAC as it refuses one written
 *       on the disk or interface.</li>
 * </ul>
 * It also refuses a spec schema with an unbounded array, which a real API server would reject
 * together with the CEL rules that walk it, and writes the CRD in the form the API server stores
 * it (no printer column {@code priority: 0}, whole-number bounds as integers), so that applying
 * the file client-side and server-side, in either order, is clean.
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

  /** CRD name to its printer columns, in the order {@code kubectl get} shows them. */
  static final Map<String, List<String>> COLUMN_ORDER = Map.of(
      "virtualguests.vguest.io",
      List.of("Node", "State", "Serial", "Ready", "Age", "Profile", "Machine", "Pending"),
      "guestdeviceprofiles.vguest.io",
      List.of("Disk bus", "NIC", "Video", "Serial policy", "Age"));

  /** CRD name to the schema paths of string maps and the pattern and maxLength of their values. */
  static final Map<String, Map<String, Map.Entry<String, Integer>>> MAP_VALUES = Map.of(
      "virtualguests.vguest.io", Map.of(
          "spec.identity.diskSerials", Map.entry(Patterns.DISK_SERIAL, Patterns.DISK_SERIAL_MAX),
          "spec.identity.macAddresses", Map.entry(Patterns.MAC, Patterns.MAC_MAX)));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
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

  /** Applies every completion to every version of the CRD; throws when the generated CRD is not as expected. */
  public static ObjectNode process(ObjectNode crd) {
    String name = crd.path("metadata").path("name").asText();
    for (JsonNode version : crd.path("spec").path("versions")) {
      JsonNode root = version.path("schema").path("openAPIV3Schema");
      addListMapMarkers(name, root);
      constrainMapValues(name, root);
      boundEnumStrings(root);
      requireBoundedArrays(name, root.path("properties").path("spec"), "spec");
      orderPrinterColumns(name, (ObjectNode) version);
      dropDefaultPriorities((ObjectNode) version);
      integralBoundsAsIntegers(root);
    }
    return crd;
  }

  public static String render(JsonNode crd) throws IOException {
    return "# Generated from the Java API types by the build (mvn verify); do not edit.\n"
        + YAML.writeValueAsString(crd);
  }

  private static void addListMapMarkers(String crdName, JsonNode root) {
    new TreeMap<>(LIST_MAP_KEYS.getOrDefault(crdName, Map.of())).forEach((path, key) -> {
      JsonNode node = root;
      for (String part : path.split("\\.")) {
        node = node.path("properties").path(part);
      }
      if (!(node instanceof ObjectNode list) || !"array".equals(list.path("type").asText())) {
        throw new IllegalStateException(crdName + ": " + path + " is not an array in the generated schema");
      }
      list.put("x-kubernetes-list-type", "map");
      list.putArray("x-kubernetes-list-map-keys").add(key);
      ObjectNode item = (ObjectNode) list.path("items");
      if (!contains(item.path("required"), key)) {
        (item.has("required") ? (ArrayNode) item.get("required") : item.putArray("required")).add(key);
      }
    });
  }

  private static void constrainMapValues(String crdName, JsonNode root) {
    new TreeMap<>(MAP_VALUES.getOrDefault(crdName, Map.of())).forEach((path, rule) -> {
      JsonNode node = root;
      for (String part : path.split("\\.")) {
        node = node.path("properties").path(part);
      }
      if (!(node.path("additionalProperties") instanceof ObjectNode values)
          || !"string".equals(values.path("type").asText())) {
        throw new IllegalStateException(crdName + ": " + path + " is not a map of strings in the generated schema");
      }
      values.put("maxLength", rule.getValue());
      values.put("pattern", rule.getKey());
      sortFields(values);
    });
  }

  /** Gives every string schema with an enum and no maxLength the length of its longest value. */
  static void boundEnumStrings(JsonNode schema) {
    if (schema instanceof ObjectNode node) {
      if (node.path("enum").isArray() && "string".equals(node.path("type").asText()) && !node.has("maxLength")) {
        int longest = 0;
        for (JsonNode value : node.get("enum")) {
          longest = Math.max(longest, value.asText().length());
        }
        node.put("maxLength", longest);
        sortFields(node);
      }
      node.forEach(CrdPostProcessor::boundEnumStrings);
    } else if (schema instanceof ArrayNode array) {
      array.forEach(CrdPostProcessor::boundEnumStrings);
    }
  }

  /** Every array the spec's CEL rules could walk must have maxItems, or the API server refuses the CRD. */
  private static void requireBoundedArrays(String crdName, JsonNode schema, String path) {
    if ("array".equals(schema.path("type").asText()) && !schema.has("maxItems")) {
      throw new IllegalStateException(crdName + ": " + path + " is an array without maxItems; add @Size(max = ...) "
          + "so that the API server can bound the cost of CEL rules");
    }
    schema.path("properties").fields()
        .forEachRemaining(e -> requireBoundedArrays(crdName, e.getValue(), path + "." + e.getKey()));
    if (schema.has("items")) {
      requireBoundedArrays(crdName, schema.get("items"), path + "[]");
    }
    if (schema.path("additionalProperties").isObject()) {
      requireBoundedArrays(crdName, schema.get("additionalProperties"), path + "[*]");
    }
  }

  private static void orderPrinterColumns(String crdName, ObjectNode version) {
    List<String> order = COLUMN_ORDER.get(crdName);
    JsonNode columns = version.path("additionalPrinterColumns");
    if (order == null || !(columns instanceof ArrayNode array)) {
      return;
    }
    List<JsonNode> sorted = new ArrayList<>();
    array.forEach(sorted::add);
    List<String> names = sorted.stream().map(c -> c.path("name").asText()).sorted().toList();
    if (!names.equals(order.stream().sorted().toList())) {
      throw new IllegalStateException(crdName + ": printer columns " + names + " differ from the order table "
          + order + " in CrdPostProcessor.COLUMN_ORDER; update the table");
    }
    sorted.sort(Comparator.comparingInt(c -> order.indexOf(c.path("name").asText())));
    array.removeAll();
    sorted.forEach(array::add);
  }

  /** The API server omits a printer column's priority 0 (its default) when it stores the CRD. */
  private static void dropDefaultPriorities(ObjectNode version) {
    for (JsonNode column : version.path("additionalPrinterColumns")) {
      if (column instanceof ObjectNode c && c.path("priority").isNumber() && c.get("priority").asInt() == 0) {
        c.remove("priority");
      }
    }
  }

  /** The API server stores {@code minimum: 1.0} as {@code minimum: 1}; the generator writes doubles. */
  static void integralBoundsAsIntegers(JsonNode schema) {
    if (schema instanceof ObjectNode node) {
      for (String bound : List.of("minimum", "maximum")) {
        JsonNode value = node.get(bound);
        if (value != null && value.isFloatingPointNumber() && value.doubleValue() == Math.rint(value.doubleValue())
            && Math.abs(value.doubleValue()) < 1e15) {
          node.put(bound, value.longValue());
        }
      }
      node.forEach(CrdPostProcessor::integralBoundsAsIntegers);
    } else if (schema instanceof ArrayNode array) {
      array.forEach(CrdPostProcessor::integralBoundsAsIntegers);
    }
  }

  private static void sortFields(ObjectNode node) {
    Map<String, JsonNode> fields = new TreeMap<>();
    node.fields().forEachRemaining(e -> fields.put(e.getKey(), e.getValue()));
    node.removeAll();
    fields.forEach(node::set);
  }

  private static boolean contains(JsonNode array, String value) {
    for (JsonNode item : array) {
      if (value.equals(item.asText())) {
        return true;
      }
    }
    return false;
  }
}
