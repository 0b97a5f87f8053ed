package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Pointer device; usbtablet gives absolute coordinates on the input bus. */
public enum PointerModel implements DeviceChoice {
  USBTABLET("usbtablet");

  private final String value;

  PointerModel(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static PointerModel fromValue(String value) {
    return DeviceChoice.parse(PointerModel.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
