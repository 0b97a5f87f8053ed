package io.vguest.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The one JSON patch (RFC 6902) that writes stamped values into a guest. It only adds members
 * that are absent in the object it was computed from, and starts with a {@code test} of that
 * object's resourceVersion, so the API server rejects it (422) if anything changed in between: a
 * value a user or GitOps tool set meanwhile can never be overwritten. Builds JSON only; sending it
 * is the caller's job.
 */
public final class StampPatch {

  private static final ObjectMapper JSON = new ObjectMapper();

  private StampPatch() {}

  /**
   * @param original the guest as read from the API server (with its resourceVersion)
   * @param stamped the same guest after stamping; may only add members to {@code original}
   * @param finalizer a finalizer to add when missing, or null
   * @return the patch as a JSON array, or null when there is nothing to write
   * @throws IllegalArgumentException if {@code stamped} changes or removes a value of {@code original}
   */
  public static String between(Object original, Object stamped, String finalizer) {
    return between(original, stamped, finalizer, Map.of());
  }

  /**
   * As {@link #between(Object, Object, String)}, and also sets annotations (a node's claim on the
   * guest) whose value in {@code original} differs: the resourceVersion test makes the patch fail
   * if another writer changed them in between.
   *
   * @param annotations annotations to set, by name
   */
  public static String between(Object original, Object stamped, String finalizer, Map<String, String> annotations) {
    JsonNode before = JSON.valueToTree(original);
    JsonNode after = JSON.valueToTree(stamped);
    List<JsonNode> ops = new ArrayList<>();
    addMissing(before.path("spec"), after.path("spec"), "/spec", ops);
    JsonNode current = before.path("metadata").path("annotations");
    ObjectNode missing = JSON.createObjectNode();
    new TreeMap<>(annotations).forEach((name, value) -> {
      if (!value.equals(current.path(name).asText(null))) {
        missing.put(name, value);
      }
    });
    if (!missing.isEmpty() && current.isObject()) {
      missing.fields().forEachRemaining(a -> ops.add(op("add", "/metadata/annotations/" + escape(a.getKey()),
          a.getValue())));
    } else if (!missing.isEmpty()) {
      ops.add(op("add", "/metadata/annotations", missing));
    }
    if (finalizer != null) {
      JsonNode finalizers = before.path("metadata").path("finalizers");
      boolean present = false;
      for (JsonNode f : finalizers) {
        present |= finalizer.equals(f.asText());
      }
      if (!present) {
        ops.add(finalizers.isArray() ? op("add", "/metadata/finalizers/-", JSON.getNodeFactory().textNode(finalizer))
            : op("add", "/metadata/finalizers", JSON.createArrayNode().add(finalizer)));
      }
    }
    if (ops.isEmpty()) {
      return null;
    }
    ArrayNode patch = JSON.createArrayNode();
    String version = before.path("metadata").path("resourceVersion").asText(null);
    if (version != null) {
      patch.add(op("test", "/metadata/resourceVersion", JSON.getNodeFactory().textNode(version)));
    }
    patch.addAll(ops);
    return patch.toString();
  }

  /** A patch that removes one finalizer, guarded by a test of its position; null when absent. */
  public static String removeFinalizer(List<String> finalizers, String finalizer) {
    int index = finalizers == null ? -1 : finalizers.indexOf(finalizer);
    if (index < 0) {
      return null;
    }
    String path = "/metadata/finalizers/" + index;
    return JSON.createArrayNode()
        .add(op("test", path, JSON.getNodeFactory().textNode(finalizer)))
        .add(op("remove", path, null))
        .toString();
  }

  /**
   * A patch that removes one annotation if it still has the given value (a node giving up its
   * claim), guarded by a test of that value; null when the annotation is absent or differs.
   */
  public static String removeAnnotation(Map<String, String> annotations, String name, String value) {
    if (annotations == null || !value.equals(annotations.get(name))) {
      return null;
    }
    String path = "/metadata/annotations/" + escape(name);
    return JSON.createArrayNode()
        .add(op("test", path, JSON.getNodeFactory().textNode(value)))
        .add(op("remove", path, null))
        .toString();
  }

  private static void addMissing(JsonNode before, JsonNode after, String path, List<JsonNode> ops) {
    if (after.isMissingNode() || after.isNull()) {
      if (!before.isMissingNode() && !before.isNull()) {
        throw new IllegalArgumentException(path + ": stamping would remove a value");
      }
      return;
    }
    if (before.isMissingNode() || before.isNull()) {
      ops.add(op("add", path, after));
      return;
    }
    if (before.isObject() && after.isObject()) {
      for (Iterator<String> names = before.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (!before.get(name).isNull() && (!after.has(name) || after.get(name).isNull())) {
          throw new IllegalArgumentException(path + "/" + escape(name) + ": stamping would remove a value");
        }
      }
      for (Iterator<Map.Entry<String, JsonNode>> fields = after.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        addMissing(before.path(field.getKey()), field.getValue(), path + "/" + escape(field.getKey()), ops);
      }
      return;
    }
    if (!Objects.equals(before, after)) {
      throw new IllegalArgumentException(path + ": stamping would change " + before + " to " + after);
    }
  }

  private static ObjectNode op(String op, String path, JsonNode value) {
    ObjectNode node = JSON.createObjectNode().put("op", op).put("path", path);
    if (value != null) {
      node.set("value", value);
    }
    return node;
  }

  /** JSON pointer escaping (RFC 6901): disk and interface names become map keys in paths. */
  static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }
}
