package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;

/** One disk, cdrom or floppy drive of a guest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@ValidationRule(value = "has(self.source) || self.role in ['cdrom', 'floppy']",
    message = "source: required for root, data, ephemeral and swap disks")
@ValidationRule(value = "!has(self.bus) || self.role != 'cdrom' || self.bus != 'virtio'",
    message = "bus: a cdrom cannot be on virtio; use sata, scsi, ide or usb")
@ValidationRule(value = "!has(self.bus) || (self.role == 'floppy') == (self.bus == 'fdc')",
    message = "bus: floppies are only on fdc and fdc takes only floppies")
@ValidationRule(value = "!has(self.serial) || !has(self.bus) || self.bus in ['scsi', 'usb'] || self.serial.size() <= 20",
    message = "serial: at most 20 characters on virtio, sata and ide (the guest sees no more); scsi and usb allow 36")
@ValidationRule(value = "!has(self.source) || !has(self.source.blank) || !(self.role in ['cdrom', 'floppy'])",
    message = "source.blank: a cdrom or floppy cannot be a blank disk")
@ValidationRule(value = "!has(self.readOnly) || !self.readOnly || !has(self.bus) || !(self.bus in ['sata', 'ide']) "
    + "|| self.role in ['cdrom', 'floppy']",
    message = "readOnly: a read-only disk cannot be on sata or ide (QEMU has none); use virtio, scsi or usb")
public class Disk {

  @JsonPropertyDescription("Name of the disk, unique in the guest (a DNS label). Keys generated serials and the "
      + "disk's entry in status.")
  @Required
  @Pattern(Patterns.DNS_LABEL)
  @Size(max = Patterns.DNS_LABEL_MAX)
  public String name;

  @JsonPropertyDescription("What the disk is for: root, data, ephemeral, swap, cdrom or floppy. Decides the device "
      + "kind and default bus.")
  @Required
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public DiskRole role;

  @JsonPropertyDescription("Where the disk's data lives: exactly one of volume, external or blank. A cdrom or floppy "
      + "without a source is an empty drive.")
  public DiskSource source;

  @JsonPropertyDescription("Bus of this disk, overriding devices.diskBus (or cdromBus, floppyBus): virtio, scsi, sata, "
      + "ide, usb or fdc. Changes apply at the next stop.")
  @JsonDeserialize(using = KnownValueDeserializer.class)
  public DiskBus bus;

  @JsonPropertyDescription("Serial the guest reads for this disk. Unset: generated once and stamped into "
      + "identity.diskSerials (an external volume uses its volume id). At most 20 characters on virtio, sata and "
      + "ide, 36 on scsi and usb, from [A-Za-z0-9_.+-].")
  @Pattern(Patterns.DISK_SERIAL)
  @Size(max = Patterns.DISK_SERIAL_MAX)
  public String serial;

  @JsonPropertyDescription("World wide name the guest reads for this drive, on scsi and ide only (libvirt refuses "
      + "a wwn on other buses): 16 hex digits, NAA 5 or 6 (first digit 5 or 6). Unset on scsi and ide: generated once "
      + "and stamped into identity.diskWwns.")
  @Pattern(Patterns.WWN)
  @Size(max = Patterns.WWN_LENGTH)
  public String wwn;

  @JsonPropertyDescription("Position in the boot order (1 boots first). Unset: the root disk boots first.")
  @Min(1)
  @Max(64)
  public Integer bootOrder;

  @JsonPropertyDescription("Tag exposed to the guest in its SMBIOS OEM strings with the disk's bus and serial, so "
      + "software in the guest can find the disk by role.")
  @Pattern(Patterns.TAG)
  @Size(max = Patterns.TAG_MAX)
  public String tag;

  @JsonPropertyDescription("Attach read-only (not possible on sata or ide, which QEMU cannot make read-only). Cdroms "
      + "are always read-only.")
  public Boolean readOnly;
}
