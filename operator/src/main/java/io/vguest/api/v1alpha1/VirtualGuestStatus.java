package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator observed: where the domain lives, what the guest sees, what is pending. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class VirtualGuestStatus {

  @JsonPropertyDescription("Generation of the spec this status describes.")
  public Long observedGeneration;

  @JsonPropertyDescription("Ready (the domain matches the spec and is in the state runStrategy asks for), Synced "
      + "(the last reconcile succeeded), RestartRequired (a change waits for the guest to stop) and, only while it "
      + "holds, MachineTypeDeprecated (the node's QEMU deprecates the guest's machine type).")
  public List<Condition> conditions;

  @JsonPropertyDescription("Node whose libvirt holds this guest's domain now; empty when no node does. While the "
      + "guest waits to move, the node that still holds it (the node annotation vguest.io/claimed-by names).")
  public String node;

  @JsonPropertyDescription("Domain state: Running, Stopped, Paused, Crashed, Pending (not defined yet) or Unknown.")
  public String state;

  @JsonPropertyDescription("SMBIOS system serial the guest reads; empty with serial policy none.")
  public String serial;

  @JsonPropertyDescription("Where the serial comes from and whether it survives a move: unique (kept on every node) "
      + "or host (changes when the guest moves).")
  public String serialSource;

  @JsonPropertyDescription("Firmware UUID the guest reads (also the libvirt domain uuid).")
  public String uuid;

  @JsonPropertyDescription("SMBIOS chassis serial the guest reads (the node's serial, when the agent exposes it).")
  public String chassisSerial;

  @JsonPropertyDescription("Every disk as the guest sees it.")
  public List<DiskStatus> disks;

  @JsonPropertyDescription("Machine type, buses and models of the defined domain.")
  public EffectiveDevices effectiveDevices;

  @JsonPropertyDescription("Firmware of the defined domain (bios or uefi, Secure Boot, TPM) and the volumes its NVRAM "
      + "and TPM state live in.")
  public FirmwareStatus firmware;

  @JsonPropertyDescription("Spec fields changed since the domain was defined that wait for the guest to stop.")
  public List<String> pendingChanges;

  @JsonPropertyDescription("PCI and USB addresses of the guest's devices in its definition, by device (keys as in "
      + "spec.deviceAddresses), once libvirt gave them.")
  public java.util.Map<String, String> deviceAddresses;
}
