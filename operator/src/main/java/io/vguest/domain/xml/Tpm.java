package io.vguest.domain.xml;

/**
 * {@code <tpm>} emulated by swtpm. libvirt keeps its state on the node
 * ({@code /var/lib/libvirt/swtpm/<uuid>/}); vguest carries it between nodes in a pool volume.
 *
 * @param model {@code tpm-crb} or {@code tpm-tis}
 * @param version {@code 2.0}
 */
public record Tpm(String model, String version) {

  public void write(XmlWriter xml) {
    xml.start("tpm", "model", model);
    xml.empty("backend", "type", "emulator", "version", version);
    xml.end();
  }

  public static Tpm read(XmlElement e) {
    XmlElement backend = e.child("backend");
    return new Tpm(e.attr("model"), backend == null ? null : backend.attr("version"));
  }
}
