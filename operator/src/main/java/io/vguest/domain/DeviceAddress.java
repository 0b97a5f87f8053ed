package io.vguest.domain;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a device sits on its bus, as libvirt's {@code <address>} says it, in the short text form
 * vguest stamps into a guest's spec:
 *
 * <ul>
 *   <li>{@code pci:0000:04:00.0}: PCI domain, bus, slot and function (hex, as {@code lspci -D} shows them);
 *   <li>{@code drive:0:0:0:1}: controller, bus, target and unit of a drive on a SCSI, SATA or IDE controller;
 *   <li>{@code usb:0:1}: USB bus and port (ports of hubs joined with dots, {@code usb:0:1.2}).
 * </ul>
 */
public record DeviceAddress(Type type, String text) {

  /** The kinds of address vguest keeps. */
  public enum Type { PCI, DRIVE, USB }

  /** The accepted forms, for messages and for the CRD's pattern. */
  public static final String PATTERN = "^(pci:[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]|drive:[0-9]{1,2}:[0-9]{1,2}:"
      + "[0-9]{1,3}:[0-9]{1,3}|usb:[0-9]{1,2}:[0-9]{1,3}(\\.[0-9]{1,3}){0,4})$";

  private static final Pattern PCI = Pattern.compile("^pci:([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})\\.([0-7])$");
  private static final Pattern DRIVE = Pattern.compile("^drive:([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,3}):([0-9]{1,3})$");
  private static final Pattern USB = Pattern.compile("^usb:([0-9]{1,2}):([0-9]{1,3}(\\.[0-9]{1,3}){0,4})$");

  public DeviceAddress {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(text, "text");
  }

  /** Parses the short form; throws IllegalArgumentException naming the accepted forms. */
  public static DeviceAddress parse(String text) {
    if (text != null) {
      if (PCI.matcher(text).matches()) {
        return new DeviceAddress(Type.PCI, text);
      }
      if (DRIVE.matcher(text).matches()) {
        return new DeviceAddress(Type.DRIVE, text);
      }
      if (USB.matcher(text).matches()) {
        return new DeviceAddress(Type.USB, text);
      }
    }
    throw new IllegalArgumentException("not a device address: \"" + text + "\"; allowed: pci:DDDD:BB:SS.F (hex, e.g. "
        + "pci:0000:04:00.0), drive:CONTROLLER:BUS:TARGET:UNIT (e.g. drive:0:0:0:1) or usb:BUS:PORT (e.g. usb:0:1)");
  }

  /**
   * The short form of a libvirt {@code <address>} element's attributes, or null for an address type
   * vguest does not keep (isa, virtio-serial, ...).
   */
  public static DeviceAddress fromLibvirt(java.util.function.Function<String, String> attribute) {
    String type = attribute.apply("type");
    if ("pci".equals(type)) {
      return new DeviceAddress(Type.PCI, String.format(Locale.ROOT, "pci:%04x:%02x:%02x.%x", hex(attribute.apply(
          "domain")), hex(attribute.apply("bus")), hex(attribute.apply("slot")), hex(attribute.apply("function"))));
    }
    if ("drive".equals(type)) {
      return new DeviceAddress(Type.DRIVE, "drive:" + dec(attribute.apply("controller")) + ":"
          + dec(attribute.apply("bus")) + ":" + dec(attribute.apply("target")) + ":" + dec(attribute.apply("unit")));
    }
    if ("usb".equals(type) && attribute.apply("port") != null) {
      return new DeviceAddress(Type.USB, "usb:" + dec(attribute.apply("bus")) + ":" + attribute.apply("port"));
    }
    return null;
  }

  /** The PCI bus number, or -1 for other address types. */
  public int pciBus() {
    return type == Type.PCI ? Integer.parseInt(part(PCI, 2), 16) : -1;
  }

  /** The PCI slot as domain:bus:slot (the functions of one slot share it), or null for other types. */
  public String pciSlot() {
    return type == Type.PCI ? text.substring(0, text.lastIndexOf('.')) : null;
  }

  /** The PCI function, or -1 for other address types. */
  public int pciFunction() {
    return type == Type.PCI ? Integer.parseInt(part(PCI, 4)) : -1;
  }

  /**
   * libvirt's {@code <address>} attributes as name/value pairs; {@code multifunction} is set on
   * function 0 of a slot whose other functions are used too (QEMU needs it there).
   */
  public Object[] libvirtAttributes(boolean multifunction) {
    return switch (type) {
      case PCI -> new Object[] {"type", "pci", "domain", "0x" + part(PCI, 1), "bus", "0x" + part(PCI, 2),
          "slot", "0x" + part(PCI, 3), "function", "0x" + part(PCI, 4), "multifunction", multifunction ? "on" : null};
      case DRIVE -> new Object[] {"type", "drive", "controller", part(DRIVE, 1), "bus", part(DRIVE, 2),
          "target", part(DRIVE, 3), "unit", part(DRIVE, 4)};
      case USB -> new Object[] {"type", "usb", "bus", part(USB, 1), "port", part(USB, 2)};
    };
  }

  private String part(Pattern pattern, int group) {
    Matcher m = pattern.matcher(text);
    if (!m.matches()) {
      throw new IllegalStateException(text);
    }
    return m.group(group);
  }

  private static int hex(String value) {
    if (value == null) {
      return 0;
    }
    String v = value.toLowerCase(Locale.ROOT);
    return v.startsWith("0x") ? Integer.parseInt(v.substring(2), 16) : Integer.parseInt(v);
  }

  private static int dec(String value) {
    return value == null ? 0 : Integer.parseInt(value);
  }

  @Override
  public String toString() {
    return text;
  }
}
