package io.vguest.domain.xml;

/**
 * {@code <os>}: hvm on a machine type, SMBIOS taken from {@code <sysinfo>} (without
 * {@code mode='sysinfo'} the guest never sees it). Boot order is per device.
 */
public record Os(String arch, String machine) {

  public void write(XmlWriter xml) {
    xml.start("os");
    xml.text("type", "hvm", "arch", arch, "machine", machine);
    xml.empty("smbios", "mode", "sysinfo");
    xml.end();
  }
}
