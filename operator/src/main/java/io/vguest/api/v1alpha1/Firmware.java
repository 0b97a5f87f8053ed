package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.vguest.identity.SerialPolicy;

/** SMBIOS system identity of a guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class Firmware {

  @JsonPropertyDescription("Where the SMBIOS serial comes from: unique (generated once for this guest and stamped into "
      + "serial; survives moves and re-creation), host (the node's serial; changes when the guest moves) or none "
      + "(no serial). Unset: the profile's, else the cluster default. Changes apply at the next stop.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public SerialPolicy serialPolicy;

  @JsonPropertyDescription("SMBIOS system serial used with the unique policy. Stamped by the operator when unset; a "
      + "value written here always wins and is never rewritten. Printable text, at most 64 characters.")
  @Pattern(Patterns.SMBIOS_TEXT)
  @Size(max = Patterns.SMBIOS_TEXT_MAX)
  public String serial;

  @JsonPropertyDescription("Firmware UUID: the domain uuid and the SMBIOS uuid the guest reads. Stamped by the operator "
      + "when unset; a value written here always wins and is never rewritten.")
  @Pattern(Patterns.UUID)
  public String uuid;
}
