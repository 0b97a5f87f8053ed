package io.vguest.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * What the API server would say about a manifest, without an API server: validates it against the
 * generated CRD's {@code openAPIV3Schema} (networknt json-schema-validator), refuses fields the
 * schema does not declare (strict field validation), refuses duplicate keys in list-map lists and
 * evaluates every {@code x-kubernetes-validations} rule at its schema location with cel-java.
 * Messages follow the API server's: {@code spec.x: Unsupported value: "foo": supported values: ...}.
 */
public final class CrdSchemaValidator {

  /** One refusal: the field path as the API server prints it, and what is wrong. */
  public record Error(String field, String message) {
    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, CrdSchemaValidator> BY_KIND = new ConcurrentHashMap<>();
  private static final CelCompiler CEL = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addLibraries(CelExtensions.strings()) // Kubernetes offers CEL's strings library (lowerAscii, ...)
      .addVar("self", SimpleType.DYN)
      .build();
  private static final CelRuntime CEL_RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
      .addLibraries(CelExtensions.strings()).build();
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata");

  private final String kind;
  private final String apiVersion;
  private final JsonNode schema;
  private final JsonSchema jsonSchema;
  private final Map<String, CelRuntime.Program> programs = new HashMap<>();

  private CrdSchemaValidator(JsonNode crd) {
    JsonNode version = crd.path("spec").path("versions").get(0);
    this.kind = crd.path("spec").path("names").path("kind").asText();
    this.apiVersion = crd.path("spec").path("group").asText() + "/" + version.path("name").asText();
    this.schema = version.path("schema").path("openAPIV3Schema");
    this.jsonSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7)
        .getSchema(toJsonSchema(schema), SchemaValidatorsConfig.builder().pathType(PathType.LEGACY).build());
  }

  /** The repository's generated CRDs (operator/target/crds), written by the build before tests run. */
  public static Path generatedCrds() {
    return Path.of(System.getProperty("vguest.repoRoot", "..")).resolve("operator/target/crds");
  }

  public static CrdSchemaValidator load(Path crdFile) {
    try {
      return new CrdSchemaValidator(YAML.readTree(crdFile.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The validator of the generated CRD that serves {@code kind}. */
  public static CrdSchemaValidator forKind(String kind) {
    return BY_KIND.computeIfAbsent(kind, k -> {
      try (Stream<Path> files = Files.list(generatedCrds())) {
        return files.filter(f -> f.toString().endsWith(".yaml")).sorted().map(CrdSchemaValidator::load)
            .filter(v -> v.kind.equals(k)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no generated CRD serves kind " + k));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** Validates one manifest (any kind this repository defines) against its CRD. */
  public static List<Error> validateManifest(JsonNode manifest) {
    return forKind(manifest.path("kind").asText()).validate(manifest);
  }

  /** Validates every document of a YAML file; the errors of all documents, in order. */
  public static List<Error> validateFile(Path file) throws IOException {
    List<Error> errors = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      MappingIterator<JsonNode> docs = YAML.readValues(parser, JsonNode.class);
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          errors.addAll(validateManifest(doc));
        }
      }
    }
    return errors;
  }

  public String kind() {
    return kind;
  }

  public List<Error> validate(JsonNode manifest) {
    List<Error> errors = new ArrayList<>();
    if (!apiVersion.equals(manifest.path("apiVersion").asText())) {
      errors.add(new Error("apiVersion", "Unsupported value: " + quote(manifest.path("apiVersion"))
          + ": supported values: \"" + apiVersion + "\""));
    }
    if (!manifest.path("metadata").path("name").isTextual()) {
      errors.add(new Error("metadata.name", "Required value: name or generateName is required"));
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    manifest.fields().forEachRemaining(e -> {
      if (!ROOT_FIELDS.contains(e.getKey())) {
        body.set(e.getKey(), e.getValue());
      }
    });
    errors.addAll(schemaErrors(body));
    unknownFields(schema, body, "", errors);
    duplicateKeys(schema, body, "", errors);
    celRules(schema, body, "", errors);
    return errors;
  }

  // ---- OpenAPI schema via json-schema-validator ----

  /** The OpenAPI v3 subset a CRD uses, as JSON Schema: Kubernetes extensions dropped, int-or-string spelled out. */
  static JsonNode toJsonSchema(JsonNode openApi) {
    if (openApi instanceof ObjectNode node) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      if (node.path("x-kubernetes-int-or-string").asBoolean() && !node.has("anyOf")) {
        out.putArray("anyOf").add(JsonNodeFactory.instance.objectNode().put("type", "integer"))
            .add(JsonNodeFactory.instance.objectNode().put("type", "string"));
      }
      node.fields().forEachRemaining(e -> {
        String key = e.getKey();
        if (key.startsWith("x-kubernetes-") || key.equals("nullable") || key.equals("description")) {
          return;
        }
        if (key.equals("properties")) {
          ObjectNode props = out.putObject("properties");
          e.getValue().fields().forEachRemaining(p -> props.set(p.getKey(), toJsonSchema(p.getValue())));
        } else {
          out.set(key, toJsonSchema(e.getValue()));
        }
      });
      return out;
    }
    if (openApi instanceof ArrayNode array) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      array.forEach(item -> out.add(toJsonSchema(item)));
      return out;
    }
    return openApi;
  }

  private List<Error> schemaErrors(JsonNode body) {
    List<Error> errors = new ArrayList<>();
    Set<String> anyOfPaths = new HashSet<>();
    List<ValidationMessage> messages = new ArrayList<>(jsonSchema.validate(body));
    messages.sort(Comparator.comparing(m -> m.getInstanceLocation().toString()));
    for (ValidationMessage m : messages) {
      String path = path(m.getInstanceLocation().toString());
      JsonNode value = m.getInstanceNode();
      String evaluation = m.getEvaluationPath() == null ? "" : m.getEvaluationPath().toString();
      if (evaluation.contains("anyOf")) {
        // int-or-string: json-schema-validator reports each failed branch; the API server reports one error
        if (anyOfPaths.add(path)) {
          errors.add(new Error(path, "Invalid value: \"" + typeName(value) + "\": " + path
              + " in body must be of type integer or string: " + quote(value)));
        }
        continue;
      }
      Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
      String message = switch (m.getType()) {
        case "enum" -> "Unsupported value: " + quote(value) + ": supported values: " + enumValues(m.getSchemaNode());
        case "required" -> null;
        case "pattern" -> "Invalid value: " + quote(value) + ": " + path + " in body should match '"
            + m.getSchemaNode().asText() + "'";
        case "maxLength" -> "Too long: may not be more than " + m.getSchemaNode().asText() + " bytes";
        case "minLength" -> "Invalid value: " + quote(value) + ": " + path + " in body should be at least "
            + m.getSchemaNode().asText() + " chars long";
        case "maximum" -> "Invalid value: " + value + ": " + path + " in body should be less than or equal to "
            + number(m.getSchemaNode());
        case "minimum" -> "Invalid value: " + value + ": " + path + " in body should be greater than or equal to "
            + number(m.getSchemaNode());
        case "maxItems" -> "Too many: " + value.size() + ": must have at most " + m.getSchemaNode().asText() + " items";
        case "minItems" -> "Invalid value: " + value.size() + ": " + path + " in body should have at least "
            + m.getSchemaNode().asText() + " items";
        case "maxProperties" -> "Too many: " + value.size() + ": must have at most " + m.getSchemaNode().asText()
            + " items";
        case "type" -> "Invalid value: \"" + typeName(value) + "\": " + path + " in body must be of type "
            + m.getSchemaNode().asText() + ": " + quote(value);
        default -> "Invalid value: " + quote(value) + ": " + m.getMessage() + " " + List.of(args);
      };
      if ("required".equals(m.getType())) {
        errors.add(new Error(join(path, m.getProperty()), "Required value"));
      } else if (!message.isEmpty()) {
        errors.add(new Error(path, message));
      }
    }
    return errors;
  }

  private static String path(String legacy) {
    String p = legacy.startsWith("$") ? legacy.substring(1) : legacy;
    return p.startsWith(".") ? p.substring(1) : p;
  }

  private static String join(String path, String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  private static String enumValues(JsonNode schemaNode) {
    JsonNode values = schemaNode.isArray() ? schemaNode : schemaNode.path("enum");
    List<String> quoted = new ArrayList<>();
    values.forEach(v -> quoted.add(quote(v)));
    return String.join(", ", quoted);
  }

  private static String number(JsonNode n) {
    return n.isNumber() && n.asDouble() == Math.rint(n.asDouble()) ? Long.toString(n.asLong()) : n.asText();
  }

  private static String quote(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "null";
    }
    if (!value.isTextual()) {
      return value.toString();
    }
    // like Go's %q, which the API server uses: quotes and control characters escaped
    StringBuilder out = new StringBuilder("\"");
    for (char ch : value.asText().toCharArray()) {
      if (ch == '"' || ch == '\\') {
        out.append('\\').append(ch);
      } else if (ch < 0x20 || ch == 0x7F) {
        out.append(String.format("\\x%02x", (int) ch));
      } else {
        out.append(ch);
      }
    }
    return out.append('"').toString();
  }

  private static String typeName(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    return value.isNumber() ? "number" : value.isBoolean() ? "boolean" : value.isArray() ? "array" : "object";
  }

  // ---- strict field validation (the API server's "unknown field") ----

  private static void unknownFields(JsonNode schema, JsonNode value, String path, List<Error> errors) {
    if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
      return;
    }
    if (value.isObject()) {
      JsonNode props = schema.path("properties");
      JsonNode additional = schema.path("additionalProperties");
      value.fields().forEachRemaining(e -> {
        String child = join(path, e.getKey());
        if (props.has(e.getKey())) {
          unknownFields(props.get(e.getKey()), e.getValue(), child, errors);
        } else if (additional.isObject()) {
          unknownFields(additional, e.getValue(), path + "[" + e.getKey() + "]", errors);
        } else if (!props.isMissingNode() || !additional.isMissingNode()) {
          errors.add(new Error(child, "unknown field \"" + child + "\": field not declared in schema"));
        }
      });
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        unknownFields(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  // ---- list-type map: duplicate keys ----

  private static void duplicateKeys(JsonNode schema, JsonNode value, String path, List<Error> errors) {
    if (value.isArray()) {
      if ("map".equals(schema.path("x-kubernetes-list-type").asText())) {
        List<String> keys = new ArrayList<>();
        schema.path("x-kubernetes-list-map-keys").forEach(k -> keys.add(k.asText()));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < value.size(); i++) {
          ObjectNode key = JsonNodeFactory.instance.objectNode();
          for (String k : keys) {
            key.set(k, value.get(i).path(k));
          }
          if (!seen.add(key.toString())) {
            errors.add(new Error(path + "[" + i + "]", "Duplicate value: " + key));
          }
        }
      }
      for (int i = 0; i < value.size(); i++) {
        duplicateKeys(schema.path("items"), value.get(i), path + "[" + i + "]", errors);
      }
    } else if (value.isObject()) {
      value.fields().forEachRemaining(e -> {
        JsonNode child = schema.path("properties").path(e.getKey());
        if (!child.isMissingNode()) {
          duplicateKeys(child, e.getValue(), join(path, e.getKey()), errors);
        }
      });
    }
  }

  // ---- CEL rules ----

  private void celRules(JsonNode schema, JsonNode value, String path, List<Error> errors) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      String shown = path.isEmpty() ? "<nil>" : path;
      try {
        Object result = program(expression).eval(Map.of("self", toCel(value)));
        if (!Boolean.TRUE.equals(result)) {
          String message = rule.has("message") ? rule.get("message").asText() : "failed rule: " + expression;
          String field = rule.has("fieldPath") ? path + rule.get("fieldPath").asText() : shown;
          errors.add(new Error(field, "Invalid value: \"" + typeName(value) + "\": " + message));
        }
      } catch (CelEvaluationException e) {
        errors.add(new Error(shown, "Invalid value: \"" + typeName(value) + "\": rule evaluation error: " + expression
            + ": " + e.getMessage()));
      }
    }
    if (value.isObject()) {
      value.fields().forEachRemaining(e -> {
        JsonNode props = schema.path("properties");
        if (props.has(e.getKey())) {
          celRules(props.get(e.getKey()), e.getValue(), join(path, e.getKey()), errors);
        } else if (schema.path("additionalProperties").isObject()) {
          celRules(schema.get("additionalProperties"), e.getValue(), path + "[" + e.getKey() + "]", errors);
        }
      });
    } else if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        celRules(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
  }

  private synchronized CelRuntime.Program program(String expression) {
    return programs.computeIfAbsent(expression, e -> {
      try {
        CelAbstractSyntaxTree ast = CEL.compile(e).getAst();
        return CEL_RUNTIME.createProgram(ast);
      } catch (CelValidationException | CelEvaluationException ex) {
        throw new IllegalStateException("CEL rule does not compile: " + e + ": " + ex.getMessage(), ex);
      }
    });
  }

  /** Every rule of the CRD, compiled: throws when one does not compile. */
  public List<String> compileAllRules() {
    List<String> rules = new ArrayList<>();
    collectRules(schema, rules);
    rules.forEach(this::program);
    return rules;
  }

  private static void collectRules(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.path("x-kubernetes-validations").forEach(r -> out.add(r.path("rule").asText()));
      node.forEach(child -> collectRules(child, out));
    } else if (node.isArray()) {
      node.forEach(child -> collectRules(child, out));
    }
  }

  /** JSON as CEL sees it: maps, lists, int64, double, string, bool. Nulls are absent fields. */
  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.fields().forEachRemaining(e -> {
        if (!e.getValue().isNull()) {
          map.put(e.getKey(), toCel(e.getValue()));
        }
      });
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    return node.asText();
  }
}
