package io.vguest.domain.xml;

/** {@code <video>} with its model ({@code none} attaches no adapter). */
public record Video(String model) {

  public void write(XmlWriter xml) {
    xml.start("video");
    xml.empty("model", "type", model);
    xml.end();
  }
}
