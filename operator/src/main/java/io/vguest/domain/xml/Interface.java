package io.vguest.domain.xml;

/** {@code <interface>}: a NIC on a libvirt network, a host bridge or user-mode networking. */
public record Interface(String type, String sourceAttribute, String source, String mac, String model,
    Address address) {

  public Interface(String type, String sourceAttribute, String source, String mac, String model) {
    this(type, sourceAttribute, source, mac, model, null);
  }

  public void write(XmlWriter xml) {
    xml.start("interface", "type", type);
    xml.empty("mac", "address", mac);
    if (source != null) {
      xml.empty("source", sourceAttribute, source);
    }
    xml.empty("model", "type", model);
    Address.write(address, xml);
    xml.end();
  }
}
