package io.vguest.api.v1alpha1;

/** Patterns and limits shared by the CRD schema, the operator's own validation and the renderer. */
public final class Patterns {
  /** A DNS-1123 label: disk and interface names, which also name volumes and XML entries. */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";
  public static final int DNS_LABEL_MAX = 63;
  /** A DNS-1123 subdomain: Kubernetes object and node names. */
  public static final String DNS_SUBDOMAIN = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";
  public static final int DNS_SUBDOMAIN_MAX = 253;
  /**
   * A libvirt pool or volume name that stays inside its pool: no slash, no leading dot (so neither
   * "." nor ".."), no whitespace or shell/XML metacharacters.
   */
  public static final String POOL_OBJECT_NAME = "^[A-Za-z0-9_][A-Za-z0-9_.+-]*$";
  public static final int POOL_OBJECT_NAME_MAX = 128;
  /** Characters libvirt accepts in a disk serial and that arrive unchanged on every bus. */
  public static final String DISK_SERIAL = "^[A-Za-z0-9_.+-]+$";
  /** The longest serial any bus shows in full (scsi-hd and usb-storage). */
  public static final int DISK_SERIAL_MAX = io.vguest.devices.DeviceRules.SERIAL_MAX;
  /** virtio-blk, sata and ide show only this many characters of a serial. */
  public static final int DISK_SERIAL_SHORT_MAX = io.vguest.devices.DeviceRules.SHORT_SERIAL_MAX;
  /** An RFC 4122 UUID in its canonical, lower- or upper-case text form. */
  public static final String UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
  /**
   * SMBIOS strings: printable text, no control characters (imported VMware serials contain spaces).
   * Control characters are C0, DEL and C1 (U+0080 to U+009F); U+FFFE and U+FFFF are no characters
   * at all. XML cannot carry any of them. The class reads the same in Go's regular expressions (the
   * API server's) and Java's.
   */
  public static final String SMBIOS_TEXT = "^[^\\x00-\\x1F\\x7F-\\x9F\\x{FFFE}\\x{FFFF}]+$";
  public static final int SMBIOS_TEXT_MAX = 64;
  /** A QEMU machine type or alias such as q35, pc or pc-q35-7.2. */
  public static final String MACHINE_TYPE = "^[a-z0-9][a-z0-9._-]*$";
  public static final int MACHINE_TYPE_MAX = 64;
  /** A unicast MAC address in colon notation. */
  public static final String MAC = "^[0-9a-fA-F]([02468aceACE])(:[0-9a-fA-F]{2}){5}$";
  public static final int MAC_MAX = 17;
  /**
   * A block storage volume id: the volume's name in its pool and the disk's serial, so the serial's
   * characters, and no leading '.' (neither "." nor ".." may name a volume).
   */
  public static final String VOLUME_ID = "^[A-Za-z0-9_+-][A-Za-z0-9_.+-]*$";
  /** A device tag exposed to the guest: short, printable, no separators used in OEM strings. */
  public static final String TAG = "^[A-Za-z0-9_.-]+$";
  public static final int TAG_MAX = 32;
  /** Free text: any Unicode except control characters (tab, line feed and carriage return allowed). */
  public static final String FREE_TEXT = "^[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x9F\\x{FFFE}\\x{FFFF}]*$";
  public static final int DISPLAY_NAME_MAX = 256;
  /** A kernel command line: printable text, no control characters. */
  public static final String KERNEL_CMDLINE = "^[^\\x00-\\x1F\\x7F-\\x9F\\x{FFFE}\\x{FFFF}]*$";
  /** The x86 kernel's COMMAND_LINE_SIZE, terminating zero excluded. */
  public static final int KERNEL_CMDLINE_MAX = 2047;
  /**
   * A disk WWN as libvirt takes it: 16 hex digits, NAA 5 (IEEE registered) or 6 (its first half,
   * as some arrays report it).
   */
  public static final String WWN = "^[56][0-9a-fA-F]{15}$";
  public static final int WWN_LENGTH = 16;
  public static final int MAX_DISKS = 32;
  public static final int MAX_INTERFACES = 16;

  private Patterns() {}
}
