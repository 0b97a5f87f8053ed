package io.vguest.domain.xml;

/** {@code <controller>}; vguest declares only the SCSI controller, whose model is a guest choice. */
public record Controller(String type, int index, String model) {

  public void write(XmlWriter xml) {
    xml.empty("controller", "type", type, "index", index, "model", model);
  }
}
