package io.vguest.domain.xml;

/** {@code <input>}: a keyboard or tablet on a bus. */
public record Input(String type, String bus, Address address) {

  public Input(String type, String bus) {
    this(type, bus, null);
  }

  public void write(XmlWriter xml) {
    if (address == null) {
      xml.empty("input", "type", type, "bus", bus);
      return;
    }
    xml.start("input", "type", type, "bus", bus);
    address.write(xml);
    xml.end();
  }
}
