package io.vguest.domain.xml;

/**
 * {@code <memballoon>}: written only to keep the address libvirt gave the balloon libvirt adds by
 * itself, always the virtio model libvirt adds.
 */
public record Memballoon(Address address) {

  static final String MODEL = "virtio";

  public void write(XmlWriter xml) {
    xml.start("memballoon", "model", MODEL);
    Address.write(address, xml);
    xml.end();
  }

  /** @throws IllegalArgumentException for another model (none, xen): not one vguest keeps */
  public static Memballoon read(XmlElement e) {
    if (!MODEL.equals(e.attr("model"))) {
      throw new IllegalArgumentException("memballoon model \"" + e.attr("model") + "\": supported values: " + MODEL);
    }
    return new Memballoon(Address.of(e));
  }
}
