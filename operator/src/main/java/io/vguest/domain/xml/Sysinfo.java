package io.vguest.domain.xml;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code <sysinfo type='smbios'>}: system entries (type 1) in the order Nova writes them, an
 * optional chassis serial (type 3, libvirt 4.1.0+) and OEM strings (type 11).
 *
 * @param system entry name to value, in document order; entries without a value are left out
 */
public record Sysinfo(Map<String, String> system, String chassisSerial, List<String> oemStrings) {

  public Sysinfo {
    Map<String, String> entries = new LinkedHashMap<>();
    system.forEach((name, value) -> {
      if (value != null) {
        entries.put(name, value);
      }
    });
    system = Collections.unmodifiableMap(entries);
    oemStrings = List.copyOf(oemStrings);
  }

  public void write(XmlWriter xml) {
    xml.start("sysinfo", "type", "smbios");
    xml.start("system");
    system.forEach((name, value) -> xml.text("entry", value, "name", name));
    xml.end();
    if (chassisSerial != null) {
      xml.start("chassis");
      xml.text("entry", chassisSerial, "name", "serial");
      xml.end();
    }
    if (!oemStrings.isEmpty()) {
      xml.start("oemStrings");
      oemStrings.forEach(entry -> xml.text("entry", entry));
      xml.end();
    }
    xml.end();
  }

  public static Sysinfo read(XmlElement sysinfo) {
    Map<String, String> system = new LinkedHashMap<>();
    XmlElement systemElement = sysinfo.child("system");
    if (systemElement != null) {
      systemElement.children("entry").forEach(e -> system.putIfAbsent(e.attr("name"), e.text()));
    }
    String chassisSerial = null;
    XmlElement chassis = sysinfo.child("chassis");
    if (chassis != null) {
      for (XmlElement e : chassis.children("entry")) {
        if ("serial".equals(e.attr("name")) && chassisSerial == null) {
          chassisSerial = e.text();
        }
      }
    }
    List<String> oem = new ArrayList<>();
    XmlElement oemStrings = sysinfo.child("oemStrings");
    if (oemStrings != null) {
      oemStrings.children("entry").forEach(e -> oem.add(e.text()));
    }
    return new Sysinfo(system, chassisSerial, oem);
  }

  /** The system entry called {@code name} (serial, uuid, ...), or null. */
  public String systemEntry(String name) {
    return system.get(name);
  }
}
