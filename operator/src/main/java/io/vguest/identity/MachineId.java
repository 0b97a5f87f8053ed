package io.vguest.identity;

import java.util.Locale;
import java.util.Optional;

/** Parses a node's /etc/machine-id into the UUID form Nova's "os" serial source uses. */
public final class MachineId {

  private MachineId() {}

  /**
   * The machine-id re-dashed as a UUID (8-4-4-4-12), or empty when the text is missing, empty or
   * not exactly 32 hexadecimal digits (surrounding whitespace and a final newline allowed).
   */
  public static Optional<String> toUuid(String fileContent) {
    if (fileContent == null) {
      return Optional.empty();
    }
    String id = fileContent.strip().toLowerCase(Locale.ROOT);
    if (!id.matches("[0-9a-f]{32}") || id.matches("0{32}")) {
      return Optional.empty();
    }
    return Optional.of(id.substring(0, 8) + "-" + id.substring(8, 12) + "-" + id.substring(12, 16) + "-"
        + id.substring(16, 20) + "-" + id.substring(20));
  }
}
