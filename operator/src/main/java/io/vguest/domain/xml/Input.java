package io.vguest.domain.xml;

import io.vguest.devices.InputBus;

/** {@code <input>}: a keyboard or tablet on a bus. */
public record Input(Type type, InputBus bus, Address address) {

  /** The kinds of input device vguest writes. */
  public enum Type {
    TABLET("tablet"), KEYBOARD("keyboard");

    private final String xml;

    Type(String xml) {
      this.xml = xml;
    }

    public String xml() {
      return xml;
    }
  }

  public Input(Type type, InputBus bus) {
    this(type, bus, null);
  }

  public void write(XmlWriter xml) {
    if (address == null) {
      xml.empty("input", "type", type.xml(), "bus", bus.value());
      return;
    }
    xml.start("input", "type", type.xml(), "bus", bus.value());
    address.write(xml);
    xml.end();
  }

  /** @throws IllegalArgumentException for the inputs libvirt adds by itself (a PS/2 mouse and keyboard) */
  public static Input read(XmlElement e) {
    return new Input(Values.of(Type.class, e.attr("type"), Type::xml, "input type"), InputBus.fromValue(e.attr("bus")),
        Address.of(e));
  }
}
