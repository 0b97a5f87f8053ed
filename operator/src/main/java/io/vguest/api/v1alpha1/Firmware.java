package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.vguest.devices.BootMode;
import io.vguest.devices.TpmVersion;
import io.vguest.identity.SerialPolicy;

/** SMBIOS system identity of a guest, and its firmware: boot mode, Secure Boot and TPM. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "!has(self.secureBoot) || !self.secureBoot || !has(self.bootMode) || self.bootMode == 'uefi'",
    message = "firmware.secureBoot: Secure Boot needs bootMode uefi; set bootMode to uefi or secureBoot to false")
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

  @JsonPropertyDescription("Boot firmware: bios (SeaBIOS) or uefi (OVMF, with an NVRAM variable store kept in a volume "
      + "of the guest's pool that travels with it). Unset: the profile's, else uefi for osFamily windows, bios "
      + "otherwise; guests created before this field existed keep bios. Stamped; changes apply at the next stop.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public BootMode bootMode;

  @JsonPropertyDescription("UEFI Secure Boot with Microsoft's keys enrolled (the secure OVMF build). Needs bootMode "
      + "uefi and a q35 machine type. Unset: the profile's, else true for osFamily windows on q35, false otherwise. "
      + "Stamped; changes apply at the next stop.")
  public Boolean secureBoot;

  @JsonPropertyDescription("Emulated TPM: none or v2.0 (swtpm; tpm-crb on q35, tpm-tis otherwise). Its state belongs "
      + "to the guest: vguest keeps it in a volume of the guest's pool, so it survives restarts and moves. Unset: the "
      + "profile's, else v2.0 for osFamily windows, none otherwise. Stamped; changes apply at the next stop.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public TpmVersion tpm;
}
