package io.vguest.guest;

import java.util.List;

/** A guest that cannot be rendered as it stands; each problem names its field. */
public class InvalidGuestException extends RuntimeException {

  private final String reason;
  private final List<String> problems;

  public InvalidGuestException(String reason, List<String> problems) {
    super(String.join("; ", problems));
    this.reason = reason;
    this.problems = List.copyOf(problems);
  }

  /** CamelCase reason for the guest's condition, e.g. Invalid or HostSerialUnavailable. */
  public String reason() {
    return reason;
  }

  public List<String> problems() {
    return problems;
  }
}
