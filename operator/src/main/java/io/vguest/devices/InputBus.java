package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Bus of the keyboard and pointer devices. */
public enum InputBus implements DeviceChoice {
  USB("usb"),
  VIRTIO("virtio");

  private final String value;

  InputBus(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static InputBus fromValue(String value) {
    return DeviceChoice.parse(InputBus.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
