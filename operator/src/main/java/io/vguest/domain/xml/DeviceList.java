package io.vguest.domain.xml;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code <devices>}, written in a fixed order so the same guest always renders the same bytes.
 *
 * @param console the serial console, or null (read back from a domain that has none)
 * @param video the video adapter, or null to leave it to libvirt
 * @param rng the random number generator, or null for none
 * @param tpm the emulated TPM, or null for none
 * @param memballoon the memory balloon with its stamped address, or null to leave it to libvirt
 */
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

  public DeviceList {
    controllers = List.copyOf(controllers);
    disks = List.copyOf(disks);
    interfaces = List.copyOf(interfaces);
    inputs = List.copyOf(inputs);
  }

  public DeviceList(List<Controller> controllers, List<Disk> disks, List<Interface> interfaces, SerialConsole console,
      List<Input> inputs, Video video, Rng rng) {
    this(controllers, disks, interfaces, console, inputs, video, rng, null, null);
  }

  public void write(XmlWriter xml) {
    xml.start("devices");
    controllers.forEach(c -> c.write(xml));
    disks.forEach(d -> d.write(xml));
    interfaces.forEach(i -> i.write(xml));
    if (console != null) {
      console.write(xml);
    }
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

  /**
   * Reads the devices vguest writes, in the order libvirt lists them. Devices vguest never writes
   * (the emulator, PS/2 inputs, a virtio-serial controller, channels, graphics, ...) and devices of
   * a kind, bus or model vguest does not know are left out: they are not the guest's choices.
   */
  public static DeviceList read(XmlElement devices) {
    List<Controller> controllers = new ArrayList<>();
    List<Disk> disks = new ArrayList<>();
    List<Interface> interfaces = new ArrayList<>();
    List<Input> inputs = new ArrayList<>();
    SerialConsole console = null;
    Video video = null;
    Rng rng = null;
    Tpm tpm = null;
    Memballoon memballoon = null;
    for (XmlElement e : devices.children()) {
      try {
        switch (e.name()) {
          case "controller" -> controllers.add(Controller.read(e));
          case "disk" -> disks.add(Disk.read(e));
          case "interface" -> interfaces.add(Interface.read(e));
          case "input" -> inputs.add(Input.read(e));
          case "serial" -> console = console == null ? SerialConsole.read(e) : console;
          case "video" -> video = video == null ? Video.read(e) : video;
          case "rng" -> rng = rng == null ? Rng.read(e) : rng;
          case "tpm" -> tpm = tpm == null ? Tpm.read(e) : tpm;
          case "memballoon" -> memballoon = Memballoon.read(e);
          default -> { }
        }
      } catch (IllegalArgumentException notVguests) {
        // a device vguest does not write (NumberFormatException included): not one of the guest's choices
      }
    }
    return new DeviceList(controllers, disks, interfaces, console, inputs, video, rng, tpm, memballoon);
  }
}
