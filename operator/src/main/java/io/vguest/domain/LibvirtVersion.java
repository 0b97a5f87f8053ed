package io.vguest.domain;

/** libvirt's own encoding of a version as one number (major * 1,000,000 + minor * 1,000 + micro). */
public final class LibvirtVersion {

  private LibvirtVersion() {}

  /** "9.0.0" to 9000000; 0 when unreadable. */
  public static long number(String version) {
    String[] parts = version.split("\\.");
    long number = 0;
    for (int i = 0; i < 3; i++) {
      number *= 1000;
      if (i < parts.length) {
        try {
          number += Long.parseLong(parts[i].replaceAll("\\D.*", ""));
        } catch (NumberFormatException e) {
          return 0;
        }
      }
    }
    return number;
  }
}
