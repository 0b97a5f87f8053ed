package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.vguest.devices.BootMode;
import io.vguest.devices.FirmwareChoices;
import io.vguest.devices.OsFamily;
import io.vguest.devices.TpmVersion;
import io.vguest.identity.SerialPolicy;

/** Preferences a guest takes, once, for every value its own spec leaves unset. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class GuestDeviceProfileSpec extends Devices {

  @JsonPropertyDescription("Operating system family whose default devices fill what this profile leaves unset: "
      + "linux, windows or other. A guest's own osFamily wins.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public OsFamily osFamily;

  @JsonPropertyDescription("SMBIOS serial policy of guests using this profile: unique, host or none. "
      + "A guest's own firmware.serialPolicy wins.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public SerialPolicy serialPolicy;

  @JsonPropertyDescription("Machine type or alias (q35, pc, pc-q35-7.2). Aliases are resolved to the node's "
      + "versioned type when a guest is first resolved.")
  @Pattern(Patterns.MACHINE_TYPE)
  @Size(max = Patterns.MACHINE_TYPE_MAX)
  public String machineType;

  @JsonPropertyDescription("Boot firmware of guests using this profile: bios or uefi. A guest's own firmware.bootMode "
      + "wins.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public BootMode bootMode;

  @JsonPropertyDescription("UEFI Secure Boot for guests using this profile (needs uefi and q35). A guest's own "
      + "firmware.secureBoot wins.")
  public Boolean secureBoot;

  @JsonPropertyDescription("Emulated TPM of guests using this profile: none or v2.0. A guest's own firmware.tpm wins.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public TpmVersion tpm;

  /** The profile's firmware preferences. */
  public FirmwareChoices toFirmwareChoices() {
    return new FirmwareChoices(bootMode, secureBoot, tpm);
  }
}
