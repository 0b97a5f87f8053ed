package io.vguest.guest;

/**
 * One thing wrong with a manifest: the field as Kubernetes spells its path ({@code spec.disks[1].serial})
 * and a message naming the bad value and what is allowed.
 */
public record Violation(String field, String message) {

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
