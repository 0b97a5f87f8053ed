package io.vguest.domain.xml;

/** {@code <rng>} fed from the host's non-blocking /dev/urandom. */
public record Rng(String model) {

  public void write(XmlWriter xml) {
    xml.start("rng", "model", model);
    xml.text("backend", "/dev/urandom", "model", "random");
    xml.end();
  }
}
