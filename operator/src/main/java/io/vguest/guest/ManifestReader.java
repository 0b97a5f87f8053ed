package io.vguest.guest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.MapperConfig;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.UnknownValues;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.DeviceChoice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads VirtualGuest and GuestDeviceProfile manifests from YAML (several documents per file
 * allowed), strictly: an unknown field, an unknown enum value or a value of the wrong type is an
 * error naming the file, the field path and what is allowed, never silently dropped.
 */
public final class ManifestReader {

  public static final String API_VERSION = VirtualGuest.GROUP + "/" + VirtualGuest.VERSION;
  static final String GUEST_KIND = "VirtualGuest";
  static final String PROFILE_KIND = "GuestDeviceProfile";

  /** What a set of files holds, in file and document order. */
  public record Manifests(List<VirtualGuest> guests, List<GuestDeviceProfile> profiles) {
    public Manifests {
      guests = List.copyOf(guests);
      profiles = List.copyOf(profiles);
    }
  }

  private final ObjectMapper mapper;

  public ManifestReader() {
    mapper = new ObjectMapper(new YAMLFactory());
    // The API types ignore unknown fields (the operator must read objects written by newer versions);
    // a manifest a person wrote must not lose a misspelt field silently.
    mapper.setAnnotationIntrospector(new JacksonAnnotationIntrospector() {
      @Override
      public JsonIgnoreProperties.Value findPropertyIgnoralByName(MapperConfig<?> config, Annotated a) {
        JsonIgnoreProperties.Value value = super.findPropertyIgnoralByName(config, a);
        return value == null ? null : value.withoutIgnoreUnknown();
      }
    });
    mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  public Manifests read(Path... files) {
    return read(Arrays.asList(files));
  }

  public Manifests read(Collection<Path> files) {
    List<VirtualGuest> guests = new ArrayList<>();
    List<GuestDeviceProfile> profiles = new ArrayList<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new ManifestException(file.toString(), "", "cannot read: " + e.getMessage(), e);
      }
      Manifests one = read(file.toString(), text);
      guests.addAll(one.guests());
      profiles.addAll(one.profiles());
    }
    return new Manifests(guests, profiles);
  }

  /** Reads the documents of one YAML text; {@code source} names it in messages. */
  public Manifests read(String source, String yaml) {
    List<VirtualGuest> guests = new ArrayList<>();
    List<GuestDeviceProfile> profiles = new ArrayList<>();
    List<JsonNode> documents = new ArrayList<>();
    try (MappingIterator<JsonNode> docs = mapper.readerFor(JsonNode.class).readValues(yaml)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
          documents.add(doc);
        }
      }
    } catch (JsonProcessingException e) {
      // A key given twice is named by its path; other syntax errors by their line only.
      boolean duplicate = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
      throw new ManifestException(source, duplicate && e.getProcessor() instanceof JsonParser parser
          ? path(parser.getParsingContext()) : "", "not valid YAML: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"), e);
    } catch (IOException e) {
      throw new ManifestException(source, "", "cannot read: " + e.getMessage(), e);
    }
    for (JsonNode doc : documents) {
      if (!doc.isObject()) {
        throw new ManifestException(source, "", "a document must be a mapping with apiVersion, kind, metadata and spec");
      }
      String apiVersion = doc.path("apiVersion").asText(null);
      if (!API_VERSION.equals(apiVersion)) {
        throw new ManifestException(source, "apiVersion", apiVersion == null ? "Required value: " + API_VERSION
            : "Unsupported value: " + FieldCheck.quote(apiVersion) + ": supported values: \"" + API_VERSION + "\"");
      }
      String kind = doc.path("kind").asText(null);
      if (GUEST_KIND.equals(kind)) {
        guests.add(convert(source, doc, VirtualGuest.class));
      } else if (PROFILE_KIND.equals(kind)) {
        profiles.add(convert(source, doc, GuestDeviceProfile.class));
      } else {
        throw new ManifestException(source, "kind", (kind == null ? "Required value" : "Unsupported value: "
            + FieldCheck.quote(kind)) + ": supported values: \"" + GUEST_KIND + "\", \"" + PROFILE_KIND + "\"");
      }
    }
    return new Manifests(guests, profiles);
  }

  private <T extends io.fabric8.kubernetes.api.model.HasMetadata> T convert(String source, JsonNode doc, Class<T> type) {
    T value;
    try {
      value = mapper.treeToValue(doc, type);
    } catch (JsonMappingException e) {
      throw new ManifestException(source, path(e), detail(e), e);
    } catch (JsonProcessingException e) {
      throw new ManifestException(source, "", e.getOriginalMessage(), e);
    }
    List<UnknownValues.UnknownValue> unknown = UnknownValues.of(value);
    if (!unknown.isEmpty()) {
      throw new ManifestException(source, unknown.get(0).field(), unknown.get(0).message());
    }
    ObjectMeta meta = value.getMetadata();
    if (meta != null && meta.getAdditionalProperties() != null && !meta.getAdditionalProperties().isEmpty()) {
      String field = "metadata." + new TreeSet<>(meta.getAdditionalProperties().keySet()).first();
      throw new ManifestException(source, field, "unknown field \"" + field + "\"");
    }
    return value;
  }

  /** The field path of a mapping error as Kubernetes spells it: {@code spec.disks[0].bus}. */
  static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** Where a parser stopped, as Kubernetes spells a field: {@code spec.resources.cpus}. */
  static String path(JsonStreamContext context) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      } else if (c.inArray()) {
        parts.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
    }
    String path = String.join("", parts);
    return path.startsWith(".") ? path.substring(1) : path;
  }

  private static String detail(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException u) {
      String known = u.getKnownPropertyIds() == null ? "" : "; known fields: " + u.getKnownPropertyIds().stream()
          .map(String::valueOf).sorted().collect(Collectors.joining(", "));
      return "unknown field " + FieldCheck.quote(u.getPropertyName()) + known;
    }
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof IllegalArgumentException && cause.getMessage() != null
          && cause.getMessage().startsWith("Unsupported value")) {
        return cause.getMessage();
      }
    }
    if (e instanceof InvalidFormatException f && f.getTargetType() != null && f.getTargetType().isEnum()) {
      return "Unsupported value: " + FieldCheck.quote(String.valueOf(f.getValue())) + ": supported values: "
          + enumValues(f.getTargetType());
    }
    if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
      return "Invalid value: expected " + describe(m.getTargetType()) + ": " + firstLine(e.getOriginalMessage());
    }
    return firstLine(e.getOriginalMessage());
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String enumValues(Class<?> type) {
    if (DeviceChoice.class.isAssignableFrom(type)) {
      return String.join(", ", DeviceChoice.allowedValues((Class) type));
    }
    return Arrays.stream(type.getEnumConstants()).map(String::valueOf).collect(Collectors.joining(", "));
  }

  private static String describe(Class<?> type) {
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (List.class.isAssignableFrom(type)) {
      return "a list";
    }
    return "a " + type.getSimpleName();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
