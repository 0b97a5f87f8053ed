package io.vguest.domain.xml;

/**
 * {@code <tpm>} emulated by swtpm. libvirt keeps its state on the node
 * ({@code /var/lib/libvirt/swtpm/<uuid>/}); vguest carries it between nodes in a pool volume.
 *
 * @param version {@code 2.0}
 */
public record Tpm(Model model, String version) {

  /** The TPM's interface: CRB on q35, TIS (ISA) elsewhere. */
  public enum Model {
    TIS("tpm-tis"), CRB("tpm-crb");

    private final String xml;

    Model(String xml) {
      this.xml = xml;
    }

    public String xml() {
      return xml;
    }

    public static Model fromXml(String value) {
      return Values.of(Model.class, value, Model::xml, "TPM model");
    }
  }

  public void write(XmlWriter xml) {
    xml.start("tpm", "model", model.xml());
    xml.empty("backend", "type", "emulator", "version", version);
    xml.end();
  }

  public static Tpm read(XmlElement e) {
    XmlElement backend = e.child("backend");
    return new Tpm(Model.fromXml(e.attr("model")), backend == null ? null : backend.attr("version"));
  }
}
