package io.vguest.domain.xml;

/**
 * {@code <os>}: hvm on a machine type, SMBIOS taken from {@code <sysinfo>} (without
 * {@code mode='sysinfo'} the guest never sees it). Boot order is per device. With direct kernel
 * boot, {@code kernel} and {@code initrd} are paths on the node resolved from pool volumes.
 *
 * @param kernel kernel image path, or null to boot from the disks
 * @param initrd initial ramdisk path, or null
 * @param cmdline kernel command line, or null
 * @param firmware UEFI (OVMF) with the guest's variable store, or null for BIOS
 */
public record Os(String arch, String machine, String kernel, String initrd, String cmdline, OsFirmware firmware) {

  public Os(String arch, String machine) {
    this(arch, machine, null, null, null);
  }

  public Os(String arch, String machine, String kernel, String initrd, String cmdline) {
    this(arch, machine, kernel, initrd, cmdline, null);
  }

  public void write(XmlWriter xml) {
    xml.start("os", "firmware", firmware == null ? null : OsFirmware.EFI);
    xml.text("type", "hvm", "arch", arch, "machine", machine);
    if (firmware != null) {
      firmware.write(xml);
    }
    xml.text("kernel", kernel);
    xml.text("initrd", initrd);
    xml.text("cmdline", cmdline);
    xml.empty("smbios", "mode", "sysinfo");
    xml.end();
  }

  public static Os read(XmlElement os) {
    XmlElement type = os.child("type");
    return new Os(type == null ? null : type.attr("arch"), type == null ? null : type.attr("machine"),
        os.childText("kernel"), os.childText("initrd"), os.childText("cmdline"),
        OsFirmware.EFI.equals(os.attr("firmware")) ? OsFirmware.read(os) : null);
  }
}
