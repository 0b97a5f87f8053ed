package io.vguest.domain.xml;

import io.vguest.devices.RngModel;

/** {@code <rng>} fed from the host's non-blocking /dev/urandom. */
public record Rng(RngModel model, Address address) {

  public Rng(RngModel model) {
    this(model, null);
  }

  public void write(XmlWriter xml) {
    xml.start("rng", "model", model.value());
    xml.text("backend", "/dev/urandom", "model", "random");
    Address.write(address, xml);
    xml.end();
  }

  public static Rng read(XmlElement e) {
    return new Rng(RngModel.fromValue(e.attr("model")), Address.of(e));
  }
}
