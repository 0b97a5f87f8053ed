package io.vguest.domain.xml;

/** {@code <address>} of a device: libvirt's attributes as name/value pairs (a null value is left out). */
public record Address(Object[] attributes) {

  public void write(XmlWriter xml) {
    xml.empty("address", attributes);
  }

  /** Writes the address when there is one. */
  static void write(Address address, XmlWriter xml) {
    if (address != null) {
      address.write(xml);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Address a && java.util.Arrays.equals(attributes, a.attributes);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(attributes);
  }

  @Override
  public String toString() {
    return java.util.Arrays.toString(attributes);
  }
}
