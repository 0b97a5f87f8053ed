package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Random number generator device; none attaches no RNG. */
public enum RngModel implements DeviceChoice {
  VIRTIO("virtio"),
  NONE("none");

  private final String value;

  RngModel(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static RngModel fromValue(String value) {
    return DeviceChoice.parse(RngModel.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
