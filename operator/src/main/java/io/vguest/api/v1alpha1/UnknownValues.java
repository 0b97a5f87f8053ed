package io.vguest.api.v1alpha1;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Enum fields of a resource whose values this version does not know (one a newer CRD allows, or
 * one that reached the API server past its schema): {@link KnownValueDeserializer} reads such a
 * field as unset and records it here, so the node agent refuses that guest naming the field
 * instead of failing its watch for every guest, and never mistakes the field for one it may fill.
 *
 * <p>The record lives in the resource's metadata, among the fields the client keeps without
 * knowing them, so it survives every copy made through JSON (the framework clones each resource
 * before it reconciles it). The agent writes only JSON patches of named paths, so the record never
 * reaches the API server, which would drop an unknown metadata field anyway.
 */
public final class UnknownValues {

  /** Key of the record among the metadata's unknown fields. */
  static final String KEY = "vguest.io/unknownValues";

  /** One field whose value was not understood. */
  public record UnknownValue(String field, String message) {
    @Override
    public String toString() {
      return field + ": " + message;
    }
  }

  private UnknownValues() {}

  /** The fields of a resource read as unset because their values were unknown; empty for most. */
  public static List<UnknownValue> of(HasMetadata resource) {
    ObjectMeta meta = resource == null ? null : resource.getMetadata();
    Object recorded = meta == null || meta.getAdditionalProperties() == null ? null
        : meta.getAdditionalProperties().get(KEY);
    if (!(recorded instanceof List<?> entries)) {
      return List.of();
    }
    List<UnknownValue> values = new ArrayList<>();
    for (Object entry : entries) {
      if (entry instanceof Map<?, ?> map) {
        values.add(new UnknownValue(String.valueOf(map.get("field")), String.valueOf(map.get("message"))));
      }
    }
    return List.copyOf(values);
  }

  static void record(HasMetadata resource, UnknownValue value) {
    if (resource.getMetadata() == null) {
      resource.setMetadata(new ObjectMeta()); // the metadata read later takes the record over
    }
    List<Object> entries = new ArrayList<>();
    Object recorded = resource.getMetadata().getAdditionalProperties().get(KEY);
    if (recorded instanceof List<?> earlier) {
      entries.addAll(earlier);
    }
    entries.add(Map.of("field", value.field(), "message", value.message()));
    resource.getMetadata().setAdditionalProperty(KEY, entries);
  }

  /**
   * The metadata a resource is about to get, with the record of the metadata it had (a field read
   * before the metadata in the JSON). Called by the resources' {@code setMetadata}.
   */
  static ObjectMeta carriedOver(ObjectMeta previous, ObjectMeta next) {
    Object recorded = previous == null || previous.getAdditionalProperties() == null ? null
        : previous.getAdditionalProperties().get(KEY);
    if (recorded != null && next != null && next != previous && !next.getAdditionalProperties().containsKey(KEY)) {
      next.setAdditionalProperty(KEY, recorded);
    }
    return next;
  }
}
