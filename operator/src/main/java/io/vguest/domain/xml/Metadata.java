package io.vguest.domain.xml;

import io.vguest.domain.GuestMetadata;

/** {@code <metadata>}: libvirt keeps one element per private namespace here; vguest has one. */
public record Metadata(GuestMetadata guest) {

  public void write(XmlWriter xml) {
    xml.start("metadata");
    guest.write(xml);
    xml.end();
  }

  /**
   * The vguest element under {@code <metadata>}, or null when there is none or it is unreadable
   * (another program's metadata is not vguest's business).
   */
  public static Metadata read(XmlElement metadata) {
    XmlElement guest = metadata.find(GuestMetadata.NAMESPACE, GuestMetadata.ROOT_ELEMENT);
    if (guest == null) {
      return null;
    }
    try {
      return new Metadata(GuestMetadata.read(guest));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
