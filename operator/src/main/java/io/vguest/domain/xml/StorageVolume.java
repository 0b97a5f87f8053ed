package io.vguest.domain.xml;

import java.util.Objects;

/**
 * {@code <volume>} of a storage pool, as vguest creates volumes ({@code virStorageVolCreateXML}) and
 * as libvirt describes them ({@code virStorageVolGetXMLDesc}): name, sizes in bytes and format.
 *
 * @param allocationBytes the space allocated up front, or null for the pool's default (all of it)
 * @param format the image format ({@code qcow2}), or null for the pool's default (raw data)
 */
public record StorageVolume(String name, Long allocationBytes, long capacityBytes, String format) {

  public static final String QCOW2 = "qcow2";
  public static final String RAW = "raw";

  public StorageVolume {
    Objects.requireNonNull(name, "name");
  }

  /**
   * A new empty volume: a thin qcow2 file in file-based pools; in other pools the pool's default
   * format (raw data) with the full allocation (a thin LVM volume would be a snapshot).
   */
  public static StorageVolume blank(String name, long capacityBytes, String format) {
    boolean qcow2 = QCOW2.equals(format);
    return new StorageVolume(name, qcow2 ? 0L : null, capacityBytes, qcow2 ? QCOW2 : null);
  }

  public String toXml() {
    XmlWriter xml = new XmlWriter();
    xml.start("volume");
    xml.text("name", name);
    xml.text("allocation", allocationBytes, "unit", "bytes");
    xml.text("capacity", capacityBytes, "unit", "bytes");
    if (format != null) {
      xml.start("target");
      xml.empty("format", "type", format);
      xml.end();
    }
    xml.end();
    return xml.toXml();
  }

  /**
   * Reads a volume description; sizes in bytes, as libvirt writes them.
   *
   * @throws IllegalArgumentException when it is unreadable or not a volume
   */
  public static StorageVolume parse(String xml) {
    XmlElement volume = XmlElement.parse(xml, "volume XML");
    if (!"volume".equals(volume.name())) {
      throw new IllegalArgumentException("unreadable volume XML: root element is <" + volume.name()
          + ">, expected <volume>");
    }
    XmlElement target = volume.child("target");
    XmlElement format = target == null ? null : target.child("format");
    String allocation = volume.childText("allocation");
    String capacity = volume.childText("capacity");
    try {
      return new StorageVolume(volume.childText("name"), allocation == null ? null : Long.valueOf(allocation.trim()),
          capacity == null ? 0 : Long.parseLong(capacity.trim()), format == null ? null : format.attr("type"));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unreadable volume XML: " + e.getMessage(), e);
    }
  }
}
