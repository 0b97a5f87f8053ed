package io.vguest.domain.xml;

import java.util.Set;

/**
 * The parts of a storage pool's {@code <pool>} description ({@code virStoragePoolGetXMLDesc})
 * vguest uses: its type and its target path.
 *
 * @param type {@code dir}, {@code fs}, {@code netfs}, {@code logical}, ...
 * @param targetPath the directory (or device path) the pool's volumes live under, or null
 */
public record Pool(String type, String targetPath) {

  private static final Set<String> FILE_BASED = Set.of("dir", "fs", "netfs");

  /** Whether the pool keeps volumes as files, where sparse allocation is the norm. */
  public boolean fileBased() {
    return type != null && FILE_BASED.contains(type);
  }

  /**
   * The format of the volumes vguest creates in the pool: qcow2 in file-based pools (thin, and
   * what QEMU is told it is), raw everywhere else (LVM, disk, iSCSI, RBD pools hold raw data; their
   * volume formats are not image formats).
   */
  public String blankFormat() {
    return fileBased() ? StorageVolume.QCOW2 : StorageVolume.RAW;
  }

  public String toXml() {
    XmlWriter xml = new XmlWriter();
    xml.start("pool", "type", type);
    if (targetPath != null) {
      xml.start("target");
      xml.text("path", targetPath);
      xml.end();
    }
    xml.end();
    return xml.toXml();
  }

  /** @throws IllegalArgumentException when it is unreadable or not a pool */
  public static Pool parse(String xml) {
    XmlElement pool = XmlElement.parse(xml, "pool XML");
    if (!"pool".equals(pool.name())) {
      throw new IllegalArgumentException("unreadable pool XML: root element is <" + pool.name() + ">, expected <pool>");
    }
    XmlElement target = pool.child("target");
    String path = target == null ? null : target.childText("path");
    return new Pool(pool.attr("type"), path == null || path.isBlank() ? null : path.trim());
  }
}
