package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/** Where a disk's data lives: exactly one of its fields is set. Never a host path. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "(has(self.volume) ? 1 : 0) + (has(self.external) ? 1 : 0) + (has(self.blank) ? 1 : 0) == 1",
    message = "source: set exactly one of volume, external or blank")
public class DiskSource {

  @JsonPropertyDescription("An existing volume in a libvirt storage pool the node allows.")
  public VolumeSource volume;

  @JsonPropertyDescription("A volume managed outside vguest (a block storage service), attached by its volume id; "
      + "the guest sees the volume id as the disk serial.")
  public ExternalVolumeSource external;

  @JsonPropertyDescription("A new, empty volume of the given size that vguest creates in an allowed pool (and deletes "
      + "with the guest for ephemeral and swap disks).")
  public BlankSource blank;
}
