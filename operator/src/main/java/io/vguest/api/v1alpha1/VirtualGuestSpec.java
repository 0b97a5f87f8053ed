package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.vguest.devices.OsFamily;
import java.util.List;

/**
 * Desired state of a guest. Values the operator resolves (identity, machine type, devices) are
 * stamped into plain fields and name-keyed maps of this spec, never into list items, so that
 * client-side apply and GitOps syncs, which replace lists whole, keep them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "self.disks.filter(d, d.role == 'root').size() == 1",
    message = "disks: exactly one disk must have role root")
@ValidationRule(value = "self.disks.all(d, self.disks.exists_one(e, e.name == d.name))",
    message = "disks: disk names must be unique")
@ValidationRule(value = "!has(self.interfaces) || self.interfaces.all(i, self.interfaces.exists_one(j, j.name == i.name))",
    message = "interfaces: interface names must be unique")
@ValidationRule(value = "!has(self.interfaces) || self.interfaces.all(i, !has(i.macAddress) || "
    + "self.interfaces.exists_one(j, has(j.macAddress) && j.macAddress.lowerAscii() == i.macAddress.lowerAscii()))",
    message = "interfaces: MAC addresses must be unique (compared without regard to case)")
@ValidationRule(value = "self.disks.all(d, !has(d.bootOrder) || "
    + "self.disks.exists_one(e, has(e.bootOrder) && e.bootOrder == d.bootOrder))",
    message = "disks: boot orders must be unique")
@ValidationRule(value = "self.disks.all(d, !has(d.serial) || self.disks.exists_one(e, has(e.serial) && e.serial == d.serial))",
    message = "disks: disk serials must be unique (the guest tells its disks apart by them)")
@ValidationRule(value = "!has(self.machineType) || !self.machineType.contains('q35') || "
    + "(self.disks.all(d, !has(d.bus) || d.bus != 'ide') && (!has(self.devices) || "
    + "((!has(self.devices.diskBus) || self.devices.diskBus != 'ide') && (!has(self.devices.cdromBus) || "
    + "self.devices.cdromBus != 'ide') && (!has(self.devices.rescueBus) || self.devices.rescueBus != 'ide'))))",
    message = "machineType: q35 machine types have no IDE controller; use sata or scsi instead of ide")
@ValidationRule(value = "!has(self.devices) || !has(self.devices.diskBus) || !(self.devices.diskBus in ['virtio', 'sata', 'ide']) "
    + "|| self.disks.all(d, has(d.bus) || !(d.role in ['root', 'data', 'ephemeral', 'swap']) || !has(d.serial) "
    + "|| d.serial.size() <= 20)",
    message = "disks: a serial on a disk using devices.diskBus virtio, sata or ide may have at most 20 characters "
        + "(the guest sees no more)")
@ValidationRule(value = "!has(self.devices) || !has(self.devices.cdromBus) || !(self.devices.cdromBus in ['sata', 'ide']) "
    + "|| self.disks.all(d, has(d.bus) || d.role != 'cdrom' || !has(d.serial) || d.serial.size() <= 20)",
    message = "disks: a serial on a cdrom using devices.cdromBus sata or ide may have at most 20 characters")
@ValidationRule(value = "!has(self.rescue) || !has(self.rescue.readOnly) || !self.rescue.readOnly || "
    + "!has(self.devices) || !has(self.devices.rescueBus) || !(self.devices.rescueBus in ['sata', 'ide'])",
    message = "rescue.readOnly: a read-only rescue disk cannot be on sata or ide (devices.rescueBus); use virtio, "
        + "scsi or usb")
public class VirtualGuestSpec {

  @JsonPropertyDescription("Node whose vguest agent defines and runs this guest. Changing it moves the guest: the old "
      + "node undefines it once it is stopped, then the new node defines it.")
  @Required
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @Size(max = Patterns.DNS_SUBDOMAIN_MAX)
  public String nodeName;

  @JsonPropertyDescription("Power policy: Always (started whenever stopped), Halted (shut down, forced off after a "
      + "timeout) or Manual (left alone). Default Always.")
  @Default("Always")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public RunStrategy runStrategy;

  @JsonPropertyDescription("Name of a GuestDeviceProfile in the same namespace whose preferences fill what this spec "
      + "leaves unset. Read once, when the guest is first resolved; later profile edits do not change this guest.")
  @Pattern(Patterns.DNS_SUBDOMAIN)
  @Size(max = Patterns.DNS_SUBDOMAIN_MAX)
  public String profile;

  @JsonPropertyDescription("Free text shown to people (any language, no control characters), recorded in the domain's "
      + "metadata.")
  @Pattern(Patterns.FREE_TEXT)
  @Size(max = Patterns.DISPLAY_NAME_MAX)
  public String displayName;

  @JsonPropertyDescription("Operating system family: linux, windows or other. Selects default devices (linux: virtio "
      + "and q35; windows: sata disks, e1000e NIC, usb tablet, vga). Unset: the profile's, else linux.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public OsFamily osFamily;

  @JsonPropertyDescription("CPU and memory of the guest.")
  @Required
  public Resources resources;

  @JsonPropertyDescription("QEMU machine type. An alias (q35, pc) is resolved to the node's versioned type "
      + "(e.g. pc-q35-7.2) and stamped when the guest is first resolved. Changes apply at the next stop.")
  @Pattern(Patterns.MACHINE_TYPE)
  @Size(max = Patterns.MACHINE_TYPE_MAX)
  public String machineType;

  @JsonPropertyDescription("SMBIOS identity: serial policy, serial and uuid.")
  public Firmware firmware;

  @JsonPropertyDescription("Direct kernel boot: kernel, initrd and command line, the kernel and initrd taken from "
      + "volumes in allowed pools. Unset: the guest boots from its disks. Changes apply at the next stop.")
  public KernelBoot kernelBoot;

  @JsonPropertyDescription("Disks, keyed by name. Exactly one has role root.")
  @Required
  @Size(min = 1, max = Patterns.MAX_DISKS)
  public List<Disk> disks;

  @JsonPropertyDescription("Network interfaces, keyed by name.")
  @Size(max = Patterns.MAX_INTERFACES)
  public List<NetworkInterface> interfaces;

  @JsonPropertyDescription("Device buses and models. Every unset field is resolved once (from a disk's or NIC's own "
      + "setting, then here, then the profile, then the osFamily defaults) and stamped; changes apply at the next stop.")
  public Devices devices;

  @JsonPropertyDescription("Rescue mode. While set, the guest boots from this disk, attached on devices.rescueBus "
      + "ahead of its own disks, which stay attached with their serials; uuid, SMBIOS serial and MACs stay the same. "
      + "Like any change it is applied when the guest is stopped; removing it returns to the normal definition at the "
      + "next stop.")
  public Rescue rescue;

  @JsonPropertyDescription("Bus addresses of the guest's devices, by device: disk.<disk name>, interface.<interface "
      + "name>, controller.<type or PCI model>.<index> (controller.pcie-root-port.3, controller.scsi.0), video.0, rng.0, "
      + "memballoon.0, input.<type>.<bus>. Values: pci:DDDD:BB:SS.F (e.g. pci:0000:04:00.0), drive:C:B:T:U or "
      + "usb:BUS:PORT. Stamped from what libvirt gave each device at its first definition and written into every later "
      + "one, so adding, removing or reordering devices moves no other device (Linux NIC names and Windows adapters "
      + "stay). A new device gets a free address; a removed one frees only its own. An address written here wins; "
      + "addresses must be unique.")
  @Size(max = 256)
  public java.util.Map<String, String> deviceAddresses;

  @JsonPropertyDescription("Generated identity values stamped by the operator, in maps keyed by disk or interface name "
      + "so that applies which replace lists keep them. A serial or MAC written on a disk or interface wins.")
  public GuestIdentity identity;
}
