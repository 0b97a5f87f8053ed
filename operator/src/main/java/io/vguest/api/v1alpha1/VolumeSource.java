package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A volume in a libvirt storage pool. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class VolumeSource {

  @JsonPropertyDescription("libvirt storage pool; must be one of the pools the node agent allows.")
  @Required
  @Pattern(Patterns.POOL_OBJECT_NAME)
  @Size(max = Patterns.POOL_OBJECT_NAME_MAX)
  public String pool;

  @JsonPropertyDescription("Volume name inside the pool (no slashes, no leading dot).")
  @Required
  @Pattern(Patterns.POOL_OBJECT_NAME)
  @Size(max = Patterns.POOL_OBJECT_NAME_MAX)
  public String name;
}
