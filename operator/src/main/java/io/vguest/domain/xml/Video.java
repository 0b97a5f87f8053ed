package io.vguest.domain.xml;

/** {@code <video>} with its model ({@code none} attaches no adapter). */
public record Video(String model, Address address) {

  public Video(String model) {
    this(model, null);
  }

  public void write(XmlWriter xml) {
    xml.start("video");
    xml.empty("model", "type", model);
    Address.write(address, xml);
    xml.end();
  }
}
