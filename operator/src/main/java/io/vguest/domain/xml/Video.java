package io.vguest.domain.xml;

import io.vguest.devices.VideoModel;

/** {@code <video>} with its model ({@code none} attaches no adapter). */
public record Video(VideoModel model, Address address) {

  public Video(VideoModel model) {
    this(model, null);
  }

  public void write(XmlWriter xml) {
    xml.start("video");
    xml.empty("model", "type", model.value());
    Address.write(address, xml);
    xml.end();
  }

  public static Video read(XmlElement e) {
    XmlElement model = e.child("model");
    return new Video(VideoModel.fromValue(model == null ? null : model.attr("type")), Address.of(e));
  }
}
