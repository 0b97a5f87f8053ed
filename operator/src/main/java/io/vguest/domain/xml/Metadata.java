package io.vguest.domain.xml;

import io.vguest.domain.GuestMetadata;

/** {@code <metadata>}: libvirt keeps one element per private namespace here; vguest has one. */
public record Metadata(GuestMetadata guest) {

  public void write(XmlWriter xml) {
    xml.start("metadata");
    guest.write(xml);
    xml.end();
  }
}
