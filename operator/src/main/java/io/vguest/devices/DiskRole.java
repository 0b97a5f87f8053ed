package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a disk is for; decides its libvirt device kind and which default bus it takes. */
public enum DiskRole implements DeviceChoice {
  ROOT("root", DeviceKind.DISK),
  DATA("data", DeviceKind.DISK),
  EPHEMERAL("ephemeral", DeviceKind.DISK),
  SWAP("swap", DeviceKind.DISK),
  CDROM("cdrom", DeviceKind.CDROM),
  FLOPPY("floppy", DeviceKind.FLOPPY);

  /** libvirt's {@code <disk device=...>}. */
  public enum DeviceKind {
    DISK("disk"), CDROM("cdrom"), FLOPPY("floppy");

    private final String xml;

    DeviceKind(String xml) {
      this.xml = xml;
    }

    public String xml() {
      return xml;
    }
  }

  private final String value;
  private final DeviceKind kind;

  DiskRole(String value, DeviceKind kind) {
    this.value = value;
    this.kind = kind;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  public DeviceKind kind() {
    return kind;
  }

  /** The {@code spec.devices} property whose bus a drive of this role takes when it sets none itself. */
  public String defaultBusProperty() {
    return switch (kind) {
      case CDROM -> "cdromBus";
      case FLOPPY -> "floppyBus";
      case DISK -> "diskBus";
    };
  }

  @JsonCreator
  public static DiskRole fromValue(String value) {
    return DeviceChoice.parse(DiskRole.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
