package io.vguest.domain.xml;

import io.vguest.devices.VifModel;
import io.vguest.domain.InterfaceDefinition.Kind;

/**
 * {@code <interface>}: a NIC on a libvirt network, a host bridge or user-mode networking.
 *
 * @param source the network or bridge name (the source attribute named like the kind), null for user-mode
 */
public record Interface(Kind type, String source, String mac, VifModel model, Address address) {

  public Interface(Kind type, String source, String mac, VifModel model) {
    this(type, source, mac, model, null);
  }

  public void write(XmlWriter xml) {
    xml.start("interface", "type", type.xml());
    xml.empty("mac", "address", mac);
    if (source != null) {
      xml.empty("source", type.xml(), source);
    }
    xml.empty("model", "type", model.value());
    Address.write(address, xml);
    xml.end();
  }

  /** @throws IllegalArgumentException for an interface type or model vguest never writes */
  public static Interface read(XmlElement e) {
    Kind type = Values.of(Kind.class, e.attr("type"), Kind::xml, "interface type");
    XmlElement source = e.child("source");
    XmlElement mac = e.child("mac");
    XmlElement model = e.child("model");
    return new Interface(type, source == null ? null : source.attr(type.xml()), mac == null ? null : mac.attr("address"),
        VifModel.fromValue(model == null ? null : model.attr("type")), Address.of(e));
  }
}
