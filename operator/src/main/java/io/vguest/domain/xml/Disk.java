package io.vguest.domain.xml;

import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole.DeviceKind;

/**
 * {@code <disk>}: always a pool volume ({@code type='volume'}) so a guest can never name a host
 * path; an empty cdrom or floppy drive has no source.
 *
 * @param driverType the volume format ({@code raw}, {@code qcow2}), or null to leave it to libvirt
 */
public record Disk(
    DeviceKind device,
    String driverType,
    String pool,
    String volume,
    String targetDev,
    DiskBus targetBus,
    String serial,
    Integer bootOrder,
    boolean readOnly,
    String wwn,
    Address address) {

  /** A drive without a WWN. */
  public Disk(DeviceKind device, String driverType, String pool, String volume, String targetDev, DiskBus targetBus,
      String serial, Integer bootOrder, boolean readOnly) {
    this(device, driverType, pool, volume, targetDev, targetBus, serial, bootOrder, readOnly, null, null);
  }

  public void write(XmlWriter xml) {
    xml.start("disk", "type", pool == null ? "file" : "volume", "device", device.xml());
    xml.empty("driver", "name", "qemu", "type", driverType);
    if (pool != null) {
      xml.empty("source", "pool", pool, "volume", volume);
    }
    xml.empty("target", "dev", targetDev, "bus", targetBus.value());
    xml.text("serial", serial);
    xml.text("wwn", wwn);
    if (bootOrder != null) {
      xml.empty("boot", "order", bootOrder);
    }
    if (readOnly) {
      xml.empty("readonly");
    }
    Address.write(address, xml);
    xml.end();
  }

  /**
   * Reads a drive back. A source other than a pool volume (a host file libvirt was given by
   * someone else) is read as no source.
   *
   * @throws IllegalArgumentException for a device kind or bus vguest never writes
   */
  public static Disk read(XmlElement e) {
    XmlElement driver = e.child("driver");
    XmlElement source = e.child("source");
    XmlElement target = e.child("target");
    XmlElement boot = e.child("boot");
    boolean volume = "volume".equals(e.attr("type")) && source != null;
    return new Disk(
        Values.of(DeviceKind.class, e.attr("device") == null ? "disk" : e.attr("device"), DeviceKind::xml,
            "disk device"),
        driver == null ? null : driver.attr("type"),
        volume ? source.attr("pool") : null,
        volume ? source.attr("volume") : null,
        target == null ? null : target.attr("dev"),
        DiskBus.fromValue(target == null ? null : target.attr("bus")),
        trimmed(e.childText("serial")),
        boot == null ? null : boot.attr("order", Integer::valueOf),
        e.child("readonly") != null,
        trimmed(e.childText("wwn")),
        Address.of(e));
  }

  private static String trimmed(String text) {
    return text == null ? null : text.trim();
  }
}
