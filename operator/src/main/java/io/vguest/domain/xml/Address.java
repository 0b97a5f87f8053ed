package io.vguest.domain.xml;

import io.vguest.domain.DeviceAddress;
import java.util.Objects;

/**
 * {@code <address>} of a device, for the address types vguest keeps (PCI, drive, USB).
 *
 * @param multifunction {@code multifunction='on'}: set on function 0 of a PCI slot whose other
 *     functions are used too (QEMU needs it there)
 */
public record Address(DeviceAddress at, boolean multifunction) {

  public Address {
    Objects.requireNonNull(at, "at");
  }

  public void write(XmlWriter xml) {
    xml.empty("address", at.libvirtAttributes(multifunction));
  }

  /** Writes the address when there is one. */
  static void write(Address address, XmlWriter xml) {
    if (address != null) {
      address.write(xml);
    }
  }

  /** The address of an element of another type (isa, virtio-serial, ...) is none vguest keeps: null. */
  public static Address read(XmlElement e) {
    DeviceAddress at = DeviceAddress.fromLibvirt(e::attr);
    return at == null ? null : new Address(at, "on".equals(e.attr("multifunction")));
  }

  /** The {@code <address>} child of a device element, or null. */
  static Address of(XmlElement device) {
    XmlElement address = device.child("address");
    return address == null ? null : read(address);
  }
}
