package io.vguest.domain.xml;

/**
 * {@code <controller>}: the SCSI controller, whose model is a guest choice, and the controllers
 * libvirt added by itself (PCIe root ports, USB, SATA) once their addresses are stamped.
 *
 * @param model the SCSI controller model ({@code virtio-scsi}, ...), the PCI controller model
 *     ({@code pcie-root-port}, ...), the USB controller model, or null (SATA, IDE)
 */
public record Controller(Type type, int index, String model, Address address) {

  /** The controller types vguest writes or reads back; others (virtio-serial, fdc, ...) are left to libvirt. */
  public enum Type {
    IDE("ide"), PCI("pci"), SATA("sata"), SCSI("scsi"), USB("usb");

    private final String xml;

    Type(String xml) {
      this.xml = xml;
    }

    public String xml() {
      return xml;
    }

    public static Type fromXml(String value) {
      return Values.of(Type.class, value, Type::xml, "controller type");
    }
  }

  public Controller(Type type, int index, String model) {
    this(type, index, model, null);
  }

  public void write(XmlWriter xml) {
    if (address == null) {
      xml.empty("controller", "type", type.xml(), "index", index, "model", model);
      return;
    }
    xml.start("controller", "type", type.xml(), "index", index, "model", model);
    address.write(xml);
    xml.end();
  }

  /** libvirt leaves {@code index} out for index 0 in older XML. */
  public static Controller read(XmlElement e) {
    String index = e.attr("index");
    return new Controller(Type.fromXml(e.attr("type")), index == null ? 0 : Integer.parseInt(index), e.attr("model"),
        Address.of(e));
  }
}
