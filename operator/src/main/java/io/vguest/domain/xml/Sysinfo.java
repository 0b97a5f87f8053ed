package io.vguest.domain.xml;

import java.util.List;
import java.util.Map;

/**
 * {@code <sysinfo type='smbios'>}: system entries (type 1) in the order Nova writes them, an
 * optional chassis serial (type 3, libvirt 4.1.0+) and OEM strings (type 11).
 *
 * @param system entry name to value, in document order; null values are left out
 */
public record Sysinfo(Map<String, String> system, String chassisSerial, List<String> oemStrings) {

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
}
