package io.vguest.domain.xml;

/** {@code <rng>} fed from the host's non-blocking /dev/urandom. */
public record Rng(String model, Address address) {

  public Rng(String model) {
    this(model, null);
  }

  public void write(XmlWriter xml) {
    xml.start("rng", "model", model);
    xml.text("backend", "/dev/urandom", "model", "random");
    Address.write(address, xml);
    xml.end();
  }
}
