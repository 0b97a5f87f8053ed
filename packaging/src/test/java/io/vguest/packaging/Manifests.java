package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes objects parsed from YAML (a chart's rendering, the plain manifests) into fabric8's
 * model classes, with a check that no field was unknown to the model (a typo or a field at the
 * wrong level would otherwise pass unnoticed).
 */
final class Manifests {

  /**
   * Where the agent's container sees the node's libvirt socket directory: where the image's
   * libvirt client looks for the sockets of {@code qemu:///system} (Debian's libvirt is built with
   * /var/run). The chart and deploy/ mount it here; ImageIT checks the client connects there.
   */
  static final String LIBVIRT_SOCKET_MOUNT = "/var/run/libvirt";

  static final ObjectMapper YAML = new YAMLMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "Namespace", Namespace.class,
      "ServiceAccount", ServiceAccount.class,
      "Secret", Secret.class,
      "Service", Service.class,
      "ClusterRole", ClusterRole.class,
      "ClusterRoleBinding", ClusterRoleBinding.class,
      "Role", Role.class,
      "RoleBinding", RoleBinding.class,
      "DaemonSet", DaemonSet.class,
      "CustomResourceDefinition", CustomResourceDefinition.class);

  private final List<JsonNode> documents;

  private Manifests(List<JsonNode> documents) {
    this.documents = documents;
  }

  /** Every non-empty document of a multi-document YAML text. */
  static Manifests parse(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(yaml)) {
      var it = YAML.readValues(parser, JsonNode.class);
      while (it.hasNext()) {
        JsonNode node = it.next();
        if (node != null && !node.isNull() && !node.isMissingNode() && node.size() > 0) {
          docs.add(node);
        }
      }
    }
    return new Manifests(docs);
  }

  static Manifests of(Collection<Manifests> parts) {
    List<JsonNode> docs = new ArrayList<>();
    parts.forEach(p -> docs.addAll(p.documents));
    return new Manifests(docs);
  }

  List<JsonNode> documents() {
    return documents;
  }

  /** kind/name of every object, in order. */
  List<String> names() {
    return documents.stream().map(d -> d.path("kind").asText() + "/" + d.path("metadata").path("name").asText())
        .toList();
  }

  List<JsonNode> ofKind(String kind) {
    return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
  }

  JsonNode raw(String kind) {
    List<JsonNode> found = ofKind(kind);
    assertEquals(1, found.size(), "expected exactly one " + kind + " in " + names());
    return found.get(0);
  }

  /** The one object of this type; fails if there is none or more than one. */
  <T extends HasMetadata> T one(Class<T> type) {
    String kind = kindOf(type);
    return typed(raw(kind), type);
  }

  <T extends HasMetadata> List<T> all(Class<T> type) {
    String kind = kindOf(type);
    return ofKind(kind).stream().map(d -> typed(d, type)).toList();
  }

  boolean has(String kind) {
    return !ofKind(kind).isEmpty();
  }

  /** Parses every document whose kind the model knows; fails on a field the model does not. */
  void assertAllStrictlyTyped() {
    for (JsonNode doc : documents) {
      Class<? extends HasMetadata> type = KINDS.get(doc.path("kind").asText());
      if (type != null) {
        typed(doc, type);
      }
    }
  }

  private static String kindOf(Class<? extends HasMetadata> type) {
    return KINDS.entrySet().stream().filter(e -> e.getValue() == type).map(Map.Entry::getKey).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no kind for " + type));
  }

  static <T extends HasMetadata> T typed(JsonNode doc, Class<T> type) {
    try {
      T object = YAML.treeToValue(doc, type);
      List<String> unknown = new ArrayList<>();
      collectUnknown(object, doc.path("kind").asText(), unknown, new IdentityHashMap<>());
      if (!unknown.isEmpty()) {
        fail("fields unknown to the Kubernetes API in " + doc.path("kind").asText() + "/"
            + doc.path("metadata").path("name").asText() + ": " + unknown);
      }
      return object;
    } catch (IOException e) {
      throw new AssertionError("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * fabric8's model keeps fields it does not know in an additionalProperties map instead of
   * failing: walk the parsed object and report every such field by path. Objects with free-form
   * content (CRD schemas, labels) are plain maps and not walked.
   */
  private static void collectUnknown(Object value, String path, List<String> unknown, Map<Object, Boolean> seen) {
    if (value == null || seen.put(value, Boolean.TRUE) != null) {
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        collectUnknown(item, path + "[" + i++ + "]", unknown, seen);
      }
      return;
    }
    if (!(value instanceof KubernetesResource)) {
      return;
    }
    for (Method m : value.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object child;
      try {
        child = m.invoke(value);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (child instanceof Map<?, ?> extra && !extra.isEmpty() && !isSchema(value)) {
          extra.keySet().forEach(k -> unknown.add(path + "." + k));
        }
        continue;
      }
      String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      collectUnknown(child, path + "." + field, unknown, seen);
    }
  }

  /** OpenAPI schemas and raw extensions legitimately carry arbitrary keys. */
  private static boolean isSchema(Object value) {
    String name = value.getClass().getSimpleName();
    return name.startsWith("JSONSchemaProps") || name.equals("GenericKubernetesResource");
  }

  /** A deep copy of a document without the given top-level metadata label keys. */
  static ObjectNode withoutLabels(JsonNode doc, Set<String> keys) {
    ObjectNode copy = doc.deepCopy();
    JsonNode labels = copy.path("metadata").path("labels");
    if (labels instanceof ObjectNode l) {
      keys.forEach(l::remove);
    }
    return copy;
  }

  /**
   * The document with numbers in one form: YAML tools write 256.0 and 256 interchangeably, and
   * Kubernetes reads them as the same value.
   */
  static JsonNode canonical(JsonNode node) {
    if (node.isNumber()) {
      java.math.BigDecimal d = node.decimalValue().stripTrailingZeros();
      return d.scale() <= 0 ? YAML.getNodeFactory().numberNode(d.toBigIntegerExact())
          : YAML.getNodeFactory().numberNode(d);
    }
    if (node.isObject()) {
      ObjectNode copy = YAML.createObjectNode();
      node.fields().forEachRemaining(e -> copy.set(e.getKey(), canonical(e.getValue())));
      return copy;
    }
    if (node.isArray()) {
      var copy = YAML.createArrayNode();
      node.forEach(n -> copy.add(canonical(n)));
      return copy;
    }
    return node;
  }

  static void assertSameYaml(JsonNode expected, JsonNode actual, String what) {
    if (!expected.equals(actual)) {
      try {
        assertEquals(YAML.writeValueAsString(expected), YAML.writeValueAsString(actual), what);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
  }
}
