package io.vguest.domain;

import java.util.List;
import java.util.Objects;

/**
 * SMBIOS tables the guest reads: the system entry (type 1), the chassis serial (type 3) and OEM
 * strings (type 11). {@code serial} is null under serial policy none; {@code uuid} always equals
 * the domain uuid, as libvirt requires.
 */
public record Smbios(
    String manufacturer,
    String product,
    String version,
    String serial,
    String family,
    String chassisSerial,
    List<String> oemStrings) {

  public Smbios {
    Objects.requireNonNull(manufacturer, "manufacturer");
    Objects.requireNonNull(product, "product");
    oemStrings = List.copyOf(oemStrings);
  }
}
