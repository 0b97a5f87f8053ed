package io.vguest.domain.xml;

/**
 * {@code <disk>}: always a pool volume ({@code type='volume'}) so a guest can never name a host
 * path; an empty cdrom or floppy drive has no source.
 */
public record Disk(
    String device,
    String driverType,
    String pool,
    String volume,
    String targetDev,
    String targetBus,
    String serial,
    Integer bootOrder,
    boolean readOnly,
    String wwn,
    Address address) {

  /** A drive without a WWN. */
  public Disk(String device, String driverType, String pool, String volume, String targetDev, String targetBus,
      String serial, Integer bootOrder, boolean readOnly) {
    this(device, driverType, pool, volume, targetDev, targetBus, serial, bootOrder, readOnly, null, null);
  }

  public void write(XmlWriter xml) {
    xml.start("disk", "type", pool == null ? "file" : "volume", "device", device);
    xml.empty("driver", "name", "qemu", "type", driverType);
    if (pool != null) {
      xml.empty("source", "pool", pool, "volume", volume);
    }
    xml.empty("target", "dev", targetDev, "bus", targetBus);
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
}
