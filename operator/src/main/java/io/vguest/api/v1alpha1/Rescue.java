package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Rescue mode: a disk the guest boots from instead of its root disk, its own disks attached behind it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Rescue {

  @JsonPropertyDescription("Volume holding the rescue system, in a libvirt storage pool the node allows. It is "
      + "attached on devices.rescueBus as the first disk, boots first and carries the serial vguest-rescue.")
  @Required
  public VolumeSource volume;

  @JsonPropertyDescription("Attach the rescue disk read-only, as a volume several guests rescue from at once must be "
      + "(not possible when devices.rescueBus is sata or ide). Default false.")
  public Boolean readOnly;
}
