package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One disk as the guest will see it, so fstab and multipath entries can be written before boot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class DiskStatus {

  @JsonPropertyDescription("Disk name from spec.disks.")
  public String name;

  @JsonPropertyDescription("Tag from spec.disks, if any.")
  public String tag;

  @JsonPropertyDescription("Bus the disk is attached to.")
  public String bus;

  @JsonPropertyDescription("Serial given to the hypervisor.")
  public String serial;

  @JsonPropertyDescription("Serial the guest actually reads: virtio, sata and ide keep only the first 20 characters.")
  public String guestSerial;

  @JsonPropertyDescription("Path under /dev/disk/by-id the guest's udev creates for this disk, when the bus gives one.")
  public String byIdPath;

  @JsonPropertyDescription("World wide name given to the hypervisor (scsi and ide drives), as the guest reads it.")
  public String wwn;

  public DiskStatus() {}

  public DiskStatus(String name, String tag, String bus, String serial, String guestSerial, String byIdPath) {
    this.name = name;
    this.tag = tag;
    this.bus = bus;
    this.serial = serial;
    this.guestSerial = guestSerial;
    this.byIdPath = byIdPath;
  }
}
