package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.vguest.devices.VifModel;

/** One network interface of a guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "(has(self.network) ? 1 : 0) + (has(self.bridge) ? 1 : 0) + "
    + "(has(self.userMode) && self.userMode ? 1 : 0) == 1",
    message = "set exactly one of network, bridge or userMode")
public class NetworkInterface {

  @JsonPropertyDescription("Name of the interface, unique in the guest (a DNS label). Keys its generated MAC.")
  @Required
  @Pattern(Patterns.DNS_LABEL)
  @Size(max = Patterns.DNS_LABEL_MAX)
  public String name;

  @JsonPropertyDescription("libvirt network to connect to.")
  @Pattern(Patterns.POOL_OBJECT_NAME)
  @Size(max = Patterns.POOL_OBJECT_NAME_MAX)
  public String network;

  @JsonPropertyDescription("Host bridge to connect to.")
  @Pattern("^[A-Za-z0-9_.-]+$")
  @Size(max = 15)
  public String bridge;

  @JsonPropertyDescription("User-mode networking (QEMU's built-in NAT, no host setup); for tests and appliances.")
  public Boolean userMode;

  @JsonPropertyDescription("NIC model overriding devices.vifModel: virtio, e1000, e1000e, rtl8139, ne2k_pci, pcnet, "
      + "vmxnet3, igb, spapr-vlan. Changes apply at the next stop.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public VifModel model;

  @JsonPropertyDescription("Unicast MAC address, unique among the guest's interfaces (and the guests of its node). "
      + "Unset: generated once in the locally administered range and stamped into identity.macAddresses.")
  @Pattern(Patterns.MAC)
  @Size(max = Patterns.MAC_MAX)
  public String macAddress;

  @JsonPropertyDescription("Tag exposed to the guest in its SMBIOS OEM strings with the MAC address.")
  @Pattern(Patterns.TAG)
  @Size(max = Patterns.TAG_MAX)
  public String tag;
}
