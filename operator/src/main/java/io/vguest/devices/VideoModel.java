package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Video adapter model; none attaches no video device. */
public enum VideoModel implements DeviceChoice {
  VIRTIO("virtio"),
  VGA("vga"),
  CIRRUS("cirrus"),
  QXL("qxl"),
  BOCHS("bochs"),
  NONE("none");

  private final String value;

  VideoModel(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static VideoModel fromValue(String value) {
    return DeviceChoice.parse(VideoModel.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
