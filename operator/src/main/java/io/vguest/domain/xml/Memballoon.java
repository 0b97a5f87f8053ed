package io.vguest.domain.xml;

/** {@code <memballoon>}: written only to keep the address libvirt gave the balloon libvirt adds by itself. */
public record Memballoon(String model, Address address) {

  public void write(XmlWriter xml) {
    xml.start("memballoon", "model", model);
    Address.write(address, xml);
    xml.end();
  }
}
