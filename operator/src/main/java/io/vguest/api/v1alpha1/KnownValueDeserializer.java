package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.vguest.api.v1alpha1.UnknownValues.UnknownValue;
import io.vguest.devices.DeviceChoice;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Reads an enum-typed field of the API types. A value the enum does not know does not fail the
 * whole object: the field is read as unset and the value recorded on the resource being read
 * ({@link UnknownValues}) with the field's path, e.g. {@code spec.disks[1].bus}. One guest with a
 * value only a newer CRD allows must not stop an agent's watch, and with it every other guest of
 * the node. Where no such resource is being read (an API type read on its own), the value is
 * refused as before.
 */
public final class KnownValueDeserializer extends JsonDeserializer<Object> implements ContextualDeserializer {

  private final JavaType type;
  private final JsonDeserializer<Object> standard;

  public KnownValueDeserializer() {
    this(null, null);
  }

  private KnownValueDeserializer(JavaType type, JsonDeserializer<Object> standard) {
    this.type = type;
    this.standard = standard;
  }

  @Override
  public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
      throws JsonMappingException {
    JavaType target = property != null ? property.getType() : ctxt.getContextualType();
    return new KnownValueDeserializer(target, ctxt.findContextualValueDeserializer(target, property));
  }

  @Override
  public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    String text = p.currentToken() != null && p.currentToken().isScalarValue() ? p.getText() : null;
    try {
      return standard.deserialize(p, ctxt);
    } catch (JsonMappingException unknown) {
      List<String> path = new ArrayList<>();
      HasMetadata resource = resourceBeingRead(p.getParsingContext(), path);
      if (resource == null) {
        throw unknown;
      }
      if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
        p.skipChildren();
      }
      UnknownValues.record(resource, new UnknownValue(String.join("", path).replaceFirst("^\\.", ""),
          "Unsupported value: " + (text == null ? "(not a string)" : "\"" + text + "\"") + ": supported values: "
              + allowed(type.getRawClass())));
      return null;
    }
  }

  /** The resource whose field is being read, collecting the field's path on the way up. */
  private static HasMetadata resourceBeingRead(JsonStreamContext context, List<String> path) {
    for (JsonStreamContext c = context; c != null; c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        path.add(0, "." + c.getCurrentName());
      } else if (c.inArray()) {
        path.add(0, "[" + Math.max(0, c.getCurrentIndex()) + "]");
      }
      if (c.getCurrentValue() instanceof HasMetadata resource) {
        return resource;
      }
    }
    return null;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static String allowed(Class<?> type) {
    if (DeviceChoice.class.isAssignableFrom(type) && type.isEnum()) {
      return String.join(", ", DeviceChoice.allowedValues((Class) type));
    }
    Object[] constants = type.getEnumConstants();
    return constants == null ? "?" : Arrays.stream(constants).map(String::valueOf).collect(Collectors.joining(", "));
  }
}
