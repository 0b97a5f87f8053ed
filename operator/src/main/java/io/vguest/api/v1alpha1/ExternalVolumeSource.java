package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A volume managed by a block storage service, attached through a libvirt pool by its id. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class ExternalVolumeSource {

  @JsonPropertyDescription("libvirt storage pool that exposes the service's volumes; must be allowed on the node.")
  @Required
  @Pattern(Patterns.POOL_OBJECT_NAME)
  @Size(max = Patterns.POOL_OBJECT_NAME_MAX)
  public String pool;

  @JsonPropertyDescription("The service's volume id (the volume's name in the pool): letters, digits, '_', '.', '+' "
      + "and '-', not starting with '.'. It is also the disk serial; a bus that keeps fewer characters shows a "
      + "shortened serial, reported in status.disks.")
  @Required
  @Pattern(Patterns.VOLUME_ID)
  @Size(max = Patterns.POOL_OBJECT_NAME_MAX)
  public String volumeId;
}
