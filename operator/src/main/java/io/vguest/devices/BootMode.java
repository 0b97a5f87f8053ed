package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** How the guest's firmware starts it: legacy BIOS (SeaBIOS) or UEFI (OVMF). */
public enum BootMode implements DeviceChoice {
  BIOS("bios"),
  /** OVMF, with an NVRAM variable store of the guest's own. */
  UEFI("uefi");

  private final String value;

  BootMode(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static BootMode fromValue(String value) {
    return DeviceChoice.parse(BootMode.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
