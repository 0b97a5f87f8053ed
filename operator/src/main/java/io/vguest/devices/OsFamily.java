package io.vguest.devices;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Guest operating system family; selects the default devices a guest gets. */
public enum OsFamily implements DeviceChoice {
  LINUX("linux"),
  WINDOWS("windows"),
  OTHER("other");

  private final String value;

  OsFamily(String value) {
    this.value = value;
  }

  @JsonValue
  @Override
  public String value() {
    return value;
  }

  @JsonCreator
  public static OsFamily fromValue(String value) {
    return DeviceChoice.parse(OsFamily.class, value);
  }

  @Override
  public String toString() {
    return value;
  }
}
