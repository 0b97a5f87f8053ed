package io.vguest.devices;

import java.util.Objects;

/**
 * One device choice that cannot work: the spec field to change, its value and a message that says
 * what is allowed (or what the node offers).
 */
public record DeviceProblem(String field, String value, String message) {

  public DeviceProblem {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
