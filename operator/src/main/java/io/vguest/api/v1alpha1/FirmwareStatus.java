package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** The firmware of the defined domain and where its state lives. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class FirmwareStatus {

  @JsonPropertyDescription("bios or uefi.")
  public String bootMode;

  @JsonPropertyDescription("Whether UEFI Secure Boot is on (the secure OVMF build with Microsoft's keys enrolled).")
  public Boolean secureBoot;

  @JsonPropertyDescription("The emulated TPM: none or v2.0.")
  public String tpm;

  @JsonPropertyDescription("pool/volume of the UEFI variable store (moves with the guest, deleted with it).")
  public String nvram;

  @JsonPropertyDescription("pool/volume the TPM state is carried in between nodes (saved when the guest stops or "
      + "leaves a node, restored before it is defined on another; deleted with the guest).")
  public String tpmState;
}
