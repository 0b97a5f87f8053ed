package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Bus a disk, cdrom, floppy or rescue disk is attached to (libvirt's target bus). */
public enum DiskBus implements DeviceChoice {
  VIRTIO("virtio"),
  SCSI("scsi"),
  SATA("sata"),
  IDE("ide"),
  USB("usb"),
  FDC("fdc");

  private final String value;

  DiskBus(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static DiskBus fromValue(String value) {
    return DeviceChoice.parse(DiskBus.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
