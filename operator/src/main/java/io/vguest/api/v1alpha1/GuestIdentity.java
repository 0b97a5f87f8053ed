package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/** Identity values the operator generated for a guest, keyed by disk or interface name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GuestIdentity {

  @JsonPropertyDescription("Guest these values were generated for, as namespace/name. A copy of another guest's "
      + "manifest carries the other guest's name here and is held until confirmed.")
  @Size(max = 320)
  @Pattern("^[a-z0-9.-]+/[a-z0-9.-]+$")
  public String stampedFor;

  @JsonPropertyDescription("Generated disk serials by disk name: at most 20 characters of [A-Za-z0-9_.+-], so every "
      + "bus shows them whole. Stamped once; a serial written on the disk wins.")
  @Size(max = Patterns.MAX_DISKS)
  public Map<String, String> diskSerials;

  @JsonPropertyDescription("Generated MAC addresses by interface name, in the locally administered range. Stamped once; "
      + "a MAC written on the interface wins.")
  @Size(max = Patterns.MAX_INTERFACES)
  public Map<String, String> macAddresses;
}
