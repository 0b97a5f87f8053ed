package io.vguest.domain.xml;

/**
 * The UEFI part of {@code <os>}: libvirt picks the OVMF build from the node's firmware descriptors
 * ({@code /usr/share/qemu/firmware/*.json}) by the features asked for, so the XML names no
 * node-specific file except the guest's own variable store. With Secure Boot, the secure build
 * with Microsoft's keys enrolled (Debian: {@code OVMF_CODE_4M.secboot.fd} with
 * {@code OVMF_VARS_4M.ms.fd}); without it, the plain build ({@code OVMF_CODE_4M.fd} with
 * {@code OVMF_VARS_4M.fd}). No {@code <loader secure=...>}: libvirt refuses it together with
 * autoselection and fills it in itself (the running domain's XML names the build it picked).
 *
 * @param nvramPath the guest's variable store; libvirt copies the template there only when the file is missing
 */
public record OsFirmware(boolean secureBoot, String nvramPath) {

  /** The attribute value of {@code <os firmware=...>}. */
  public static final String EFI = "efi";

  /** Written inside {@code <os>}, after {@code <type>}. */
  public void write(XmlWriter xml) {
    xml.start("firmware");
    xml.empty("feature", "enabled", yesNo(secureBoot), "name", "enrolled-keys");
    xml.empty("feature", "enabled", yesNo(secureBoot), "name", "secure-boot");
    xml.end();
    xml.text("nvram", nvramPath);
  }

  /**
   * Reads the UEFI part of an {@code <os firmware='efi'>}: Secure Boot is on when the
   * {@code secure-boot} feature is asked for.
   */
  public static OsFirmware read(XmlElement os) {
    boolean secureBoot = false;
    XmlElement firmware = os.child("firmware");
    if (firmware != null) {
      for (XmlElement feature : firmware.children("feature")) {
        if ("secure-boot".equals(feature.attr("name"))) {
          secureBoot = "yes".equals(feature.attr("enabled"));
        }
      }
    }
    return new OsFirmware(secureBoot, os.childText("nvram"));
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }
}
