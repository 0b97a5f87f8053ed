package io.vguest.domain;

import io.vguest.devices.VifModel;
import java.util.Objects;

/**
 * One NIC as libvirt attaches it.
 *
 * @param source the network or bridge name; null for user-mode networking
 */
public record InterfaceDefinition(String name, Kind kind, String source, VifModel model, String macAddress) {

  /** libvirt's {@code <interface type=...>}. */
  public enum Kind {
    NETWORK("network"), BRIDGE("bridge"), USER("user");

    private final String xml;

    Kind(String xml) {
      this.xml = xml;
    }

    public String xml() {
      return xml;
    }
  }

  public InterfaceDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(macAddress, "macAddress");
    if ((kind == Kind.USER) != (source == null)) {
      throw new IllegalArgumentException("interface " + name + ": source is required for " + kind.xml);
    }
  }
}
