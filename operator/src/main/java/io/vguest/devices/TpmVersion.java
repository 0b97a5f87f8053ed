package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The emulated TPM a guest has. Spelled {@code v2.0}, not {@code 2.0}, so that YAML never reads it
 * as a number.
 */
public enum TpmVersion implements DeviceChoice {
  NONE("none"),
  /** A TPM 2.0 emulated by swtpm; its state belongs to the guest and travels with it. */
  V2_0("v2.0");

  private final String value;

  TpmVersion(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static TpmVersion fromValue(String value) {
    return DeviceChoice.parse(TpmVersion.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
