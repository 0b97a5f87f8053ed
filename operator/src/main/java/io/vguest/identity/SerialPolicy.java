package io.vguest.identity;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.vguest.devices.DeviceChoice;

/** Where a guest's SMBIOS system serial comes from. */
public enum SerialPolicy implements DeviceChoice {
  /** Generated once for the guest and stamped into its spec: survives moves and re-creation. */
  UNIQUE("unique"),
  /** The node's serial: changes whenever the guest moves to another node. */
  HOST("host"),
  /** No serial entry at all. */
  NONE("none");

  private final String value;

  SerialPolicy(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  /** Whether a guest under this policy gets a serial generated once and stamped into its spec. */
  public boolean stampsSerial() {
    return this == UNIQUE;
  }

  @JsonCreator
  public static SerialPolicy fromValue(String value) {
    return DeviceChoice.parse(SerialPolicy.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
