package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
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

  @JsonPropertyDescription("Generated WWNs by disk name, for drives on scsi and ide (libvirt takes no wwn on other "
      + "buses): 16 hex digits (NAA 5), the disk's world wide name in the guest. Stamped once; a wwn written on the "
      + "disk wins.")
  @Size(max = Patterns.MAX_DISKS)
  public Map<String, String> diskWwns;

  @JsonPropertyDescription("Number of declared restores: raise it by one each time the guest's disks were restored "
      + "to an earlier point (from a backup or snapshot), so that the generation ID changes once and replicated "
      + "databases in the guest (Active Directory) know they went back in time. Written by people or backup tools, "
      + "never by the operator; re-applying the same value changes nothing. Default 0.")
  @Min(0)
  @Max(1000000)
  public Integer restoreGeneration;

  @JsonPropertyDescription("VM generation ID (libvirt genid) the guest reads: a UUID stamped once, kept across "
      + "stop/start, moves and re-creation, and stamped afresh when restoreGeneration rises or the guest is a clone. "
      + "A value written here (without generationIdFor) wins and is never rewritten.")
  @Pattern(Patterns.UUID)
  public String generationId;

  @JsonPropertyDescription("The restoreGeneration the generationId was stamped for. Stamped by the operator.")
  @Min(0)
  @Max(1000000)
  public Integer generationIdFor;

  @JsonPropertyDescription("Versioned QEMU machine type pinned when the guest was first resolved (q35 to e.g. "
      + "pc-q35-7.2): every later definition on any node uses it, so a QEMU upgrade or a move never changes the "
      + "hardware the guest sees; a node without it refuses the guest. Stamped by the operator; stamped afresh "
      + "when spec.machineType changes. A value written here without machineTypeFor wins.")
  @Pattern(Patterns.MACHINE_TYPE)
  @Size(max = Patterns.MACHINE_TYPE_MAX)
  public String machineType;

  @JsonPropertyDescription("The spec.machineType the pinned machineType was resolved from. Stamped by the operator.")
  @Pattern(Patterns.MACHINE_TYPE)
  @Size(max = Patterns.MACHINE_TYPE_MAX)
  public String machineTypeFor;
}
