package io.vguest.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a booted guest printed about its own hardware (see {@code guest/init}): SMBIOS strings,
 * OEM strings, every disk with its serial and bus as the guest's drivers see them, every NIC.
 *
 * @param productSerial SMBIOS system serial ({@code /sys/class/dmi/id/product_serial}), empty when none
 * @param oemStrings SMBIOS type 11 strings, in table order
 * @param disks by kernel name (vda, sda, sr0)
 * @param nics by kernel name (eth0)
 * @param generationId the VM generation ID the guest read from the memory its ACPI VGEN device
 *     points at, as a UUID in lower case; null when the guest has none or could not read it
 */
record GuestReport(
    String productSerial,
    String productUuid,
    String chassisSerial,
    String manufacturer,
    String product,
    String family,
    List<String> oemStrings,
    Map<String, GuestDisk> disks,
    Map<String, GuestNic> nics,
    String cmdline,
    String generationId) {

  static final String BEGIN = "VGE2E-BEGIN";
  static final String END = "VGE2E-END";
  private static final String PREFIX = "VGE2E ";

  /**
   * One block device.
   *
   * @param bus virtio, scsi, sata, ide or usb, from the device's driver and host adapter
   * @param serial the serial the guest reads, on whichever bus
   * @param byId the /dev/disk/by-id path udev would create from what the guest reads, or null
   * @param hostDriver driver of the SCSI host adapter (virtio_scsi, ahci, ata_piix, usb-storage...), or null
   * @param pciPath the PCI addresses from the root bus to the device, e.g. 0000:00:02.3/0000:04:00.0
   *     (a root port, then the device behind it); null in reports of guests from before it was reported
   * @param wwid the SCSI layer's world wide identifier (from VPD page 0x83), e.g. naa.5000c50015ea71ac
   *     for a WWN; null when the disk has none
   */
  record GuestDisk(String name, String bus, String serial, String byId, String driver, String hostDriver,
      boolean cdrom, String pciPath, String wwid) {}

  /** One NIC; {@code pciPath} as for disks. */
  record GuestNic(String name, String mac, String driver, String pciPath) {}

  /** Whether the console text holds a complete report. */
  static boolean complete(String console) {
    return console.lines().anyMatch(l -> l.strip().equals(END));
  }

  /** Parses the last complete report in the console text. */
  static GuestReport parse(String console) {
    List<String> lines = console.lines().map(l -> l.replace("\r", "")).toList();
    int end = -1;
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).strip().equals(END)) {
        end = i;
        break;
      }
    }
    int begin = -1;
    for (int i = end; i >= 0; i--) {
      if (lines.get(i).strip().equals(BEGIN)) {
        begin = i;
        break;
      }
    }
    if (begin < 0 || end < 0) {
      throw new IllegalArgumentException("no complete guest report (" + BEGIN + " ... " + END + ") on the console");
    }
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : lines.subList(begin + 1, end)) {
      int at = line.indexOf(PREFIX);
      if (at < 0) {
        continue;
      }
      String pair = line.substring(at + PREFIX.length());
      int eq = pair.indexOf('=');
      if (eq > 0) {
        values.put(pair.substring(0, eq), pair.substring(eq + 1).strip());
      }
    }
    List<String> oem = new ArrayList<>();
    new TreeMap<>(values).forEach((key, value) -> {
      if (key.startsWith("oem.")) {
        oem.addAll(oemStrings(HexFormat.of().parseHex(value)));
      }
    });
    Map<String, GuestDisk> disks = new TreeMap<>();
    Map<String, GuestNic> nics = new TreeMap<>();
    for (String key : values.keySet()) {
      String[] parts = key.split("\\.");
      if (parts.length == 3 && parts[0].equals("disk") && parts[2].equals("path")) {
        disks.put(parts[1], disk(parts[1], values));
      } else if (parts.length == 3 && parts[0].equals("nic") && parts[2].equals("mac")) {
        nics.put(parts[1], new GuestNic(parts[1], values.get(key), values.get("nic." + parts[1] + ".driver"),
            values.get("nic." + parts[1] + ".pci")));
      }
    }
    return new GuestReport(
        values.getOrDefault("dmi.product_serial", ""),
        values.getOrDefault("dmi.product_uuid", ""),
        values.getOrDefault("dmi.chassis_serial", ""),
        values.getOrDefault("dmi.sys_vendor", ""),
        values.getOrDefault("dmi.product_name", ""),
        values.getOrDefault("dmi.product_family", ""),
        oem,
        disks,
        nics,
        values.getOrDefault("cmdline", ""),
        values.containsKey("genid.bytes") ? guid(values.get("genid.bytes")) : null);
  }

  /**
   * A GUID stored in Microsoft's layout (as QEMU writes the generation ID: the first three fields
   * little-endian, the last eight bytes as they are) as a UUID string.
   */
  static String guid(String hex) {
    byte[] b = HexFormat.of().parseHex(hex);
    if (b.length != 16) {
      throw new IllegalArgumentException("a GUID has 16 bytes, not " + b.length + ": " + hex);
    }
    HexFormat h = HexFormat.of();
    return h.formatHex(new byte[] {b[3], b[2], b[1], b[0]}) + "-" + h.formatHex(new byte[] {b[5], b[4]}) + "-"
        + h.formatHex(new byte[] {b[7], b[6]}) + "-" + h.formatHex(b, 8, 10) + "-" + h.formatHex(b, 10, 16);
  }

  /** The disk the guest sees with this serial. */
  Optional<GuestDisk> diskWithSerial(String serial) {
    return disks.values().stream().filter(d -> serial.equals(d.serial())).findFirst();
  }

  Optional<GuestNic> nicWithMac(String mac) {
    return nics.values().stream().filter(n -> n.mac().equalsIgnoreCase(mac)).findFirst();
  }

  private static GuestDisk disk(String name, Map<String, String> values) {
    String at = "disk." + name + ".";
    String path = values.getOrDefault(at + "path", "");
    String driver = values.get(at + "driver");
    String hostDriver = values.get(at + "hostDriver");
    String vendor = values.get(at + "vendor");
    String model = values.get(at + "model");
    boolean cdrom = name.startsWith("sr");
    String bus;
    if (name.startsWith("vd")) {
      bus = "virtio";
    } else if (values.containsKey(at + "usbSerial") || "usb-storage".equals(hostDriver) || "uas".equals(hostDriver)) {
      bus = "usb";
    } else if ("ahci".equals(hostDriver)) {
      bus = "sata";
    } else if ("ata_piix".equals(hostDriver)) {
      bus = "ide";
    } else if (hostDriver != null) {
      bus = "scsi";
    } else {
      bus = "unknown";
    }
    String serial = switch (bus) {
      case "virtio" -> values.get(at + "serial");
      case "usb" -> values.get(at + "usbSerial");
      case "sata", "ide" -> {
        String identify = values.get("ata." + ataDevice(path) + ".id");
        yield identify != null ? ataSerial(identify) : vpd80Serial(values.get(at + "vpd80"));
      }
      default -> vpd80Serial(values.get(at + "vpd80"));
    };
    return new GuestDisk(name, bus, serial, byId(bus, serial, vendor, model, values.get(at + "vpd83")), driver,
        hostDriver, cdrom, values.get(at + "pci"), values.get(at + "wwid"));
  }

  private static final java.util.regex.Pattern ATA_PATH =
      java.util.regex.Pattern.compile("/ata(\\d+)/host\\d+/target\\d+:\\d+:(\\d+)/");

  /** libata's name of the device behind a SCSI device path, e.g. dev1.0 for .../ata1/host0/target0:0:0/... */
  static String ataDevice(String path) {
    java.util.regex.Matcher m = ATA_PATH.matcher(path);
    return m.find() ? "dev" + m.group(1) + "." + m.group(2) : null;
  }

  /**
   * The serial in ATA IDENTIFY (PACKET) DEVICE data as libata shows it in sysfs (256 words in
   * hex): words 10 to 19, two characters per word, high byte first, padded with spaces.
   */
  static String ataSerial(String identifyWords) {
    String[] words = identifyWords.strip().split("\\s+");
    if (words.length < 20) {
      return null;
    }
    StringBuilder serial = new StringBuilder();
    for (int i = 10; i < 20; i++) {
      int word = Integer.parseInt(words[i], 16);
      serial.append((char) (word >> 8)).append((char) (word & 0xff));
    }
    String text = serial.toString().replace((char) 0, ' ').strip();
    return text.isEmpty() ? null : text;
  }

  /** The serial in a VPD page 0x80 (unit serial number): a 4-byte header, then the text. */
  static String vpd80Serial(String hex) {
    if (hex == null || hex.length() < 8) {
      return null;
    }
    byte[] page = HexFormat.of().parseHex(hex);
    int length = ((page[2] & 0xff) << 8) | (page[3] & 0xff);
    int end = Math.min(page.length, 4 + length);
    String serial = new String(page, 4, end - 4, StandardCharsets.US_ASCII).strip();
    return serial.isEmpty() ? null : serial;
  }

  /**
   * The vendor-specific ASCII designator of a VPD page 0x83 (device identification), which udev's
   * scsi_id turns into the "0VENDOR_MODEL_..." by-id name; null when there is none.
   */
  static String vpd83VendorSpecific(String hex) {
    if (hex == null || hex.length() < 8) {
      return null;
    }
    byte[] page = HexFormat.of().parseHex(hex);
    int end = Math.min(page.length, 4 + (((page[2] & 0xff) << 8) | (page[3] & 0xff)));
    int at = 4;
    while (at + 4 <= end) {
      int codeSet = page[at] & 0x0f;
      int type = page[at + 1] & 0x0f;
      int length = page[at + 3] & 0xff;
      if (type == 0 && codeSet == 2 && at + 4 + length <= end) {
        return new String(page, at + 4, length, StandardCharsets.US_ASCII).strip();
      }
      at += 4 + length;
    }
    return null;
  }

  /** The by-id name udev's rules give, built from what the guest read (no udev in the guest). */
  static String byId(String bus, String serial, String vendor, String model, String vpd83) {
    if (serial == null || serial.isEmpty()) {
      return null;
    }
    return switch (bus) {
      case "virtio" -> "/dev/disk/by-id/virtio-" + serial;
      case "sata", "ide" -> "/dev/disk/by-id/ata-" + underscores(model) + "_" + serial;
      case "scsi" -> {
        String vendorSpecific = vpd83VendorSpecific(vpd83);
        yield vendorSpecific == null ? null
            : "/dev/disk/by-id/scsi-0" + underscores(vendor) + "_" + underscores(model) + "_" + vendorSpecific;
      }
      default -> null;
    };
  }

  private static String underscores(String text) {
    return text == null ? "" : text.strip().replaceAll("\\s+", "_");
  }

  /** The strings of an SMBIOS structure: after the formatted area (its length is byte 1), NUL-terminated. */
  static List<String> oemStrings(byte[] structure) {
    List<String> strings = new ArrayList<>();
    if (structure.length < 2) {
      return strings;
    }
    int at = structure[1] & 0xff;
    while (at < structure.length) {
      int end = at;
      while (end < structure.length && structure[end] != 0) {
        end++;
      }
      if (end == at) {
        break; // the double NUL that ends the structure
      }
      strings.add(new String(structure, at, end - at, StandardCharsets.UTF_8));
      at = end + 1;
    }
    return strings;
  }
}
