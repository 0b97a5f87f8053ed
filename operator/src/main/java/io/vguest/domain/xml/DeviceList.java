package io.vguest.domain.xml;

import java.util.List;

/** {@code <devices>}, written in a fixed order so the same guest always renders the same bytes. */
public record DeviceList(
    List<Controller> controllers,
    List<Disk> disks,
    List<Interface> interfaces,
    SerialConsole console,
    List<Input> inputs,
    Video video,
    Rng rng,
    Tpm tpm,
    Memballoon memballoon) {

  public DeviceList(List<Controller> controllers, List<Disk> disks, List<Interface> interfaces, SerialConsole console,
      List<Input> inputs, Video video, Rng rng) {
    this(controllers, disks, interfaces, console, inputs, video, rng, null, null);
  }

  public void write(XmlWriter xml) {
    xml.start("devices");
    controllers.forEach(c -> c.write(xml));
    disks.forEach(d -> d.write(xml));
    interfaces.forEach(i -> i.write(xml));
    console.write(xml);
    inputs.forEach(i -> i.write(xml));
    if (video != null) {
      video.write(xml);
    }
    if (tpm != null) {
      tpm.write(xml);
    }
    if (rng != null) {
      rng.write(xml);
    }
    if (memballoon != null) {
      memballoon.write(xml);
    }
    xml.end();
  }
}
