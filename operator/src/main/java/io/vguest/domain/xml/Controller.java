package io.vguest.domain.xml;

/**
 * {@code <controller>}: the SCSI controller, whose model is a guest choice, and the controllers
 * libvirt added by itself (PCIe root ports, USB, SATA) once their addresses are stamped.
 */
public record Controller(String type, int index, String model, Address address) {

  public Controller(String type, int index, String model) {
    this(type, index, model, null);
  }

  public void write(XmlWriter xml) {
    if (address == null) {
      xml.empty("controller", "type", type, "index", index, "model", model);
      return;
    }
    xml.start("controller", "type", type, "index", index, "model", model);
    address.write(xml);
    xml.end();
  }
}
