package io.vguest.domain.xml;

/** {@code <input>}: a keyboard or tablet on a bus. */
public record Input(String type, String bus) {

  public void write(XmlWriter xml) {
    xml.empty("input", "type", type, "bus", bus);
  }
}
