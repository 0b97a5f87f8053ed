package io.vguest.domain.xml;

import java.util.List;

/**
 * {@code <domain>}: the root of a libvirt domain definition.
 *
 * @param genid the VM generation ID the guest reads (a UUID), or null for none
 * @param smm System Management Mode on ({@code <smm state='on'/>}): Secure Boot needs it
 */
public record Domain(
    String type,
    String name,
    String uuid,
    Metadata metadata,
    long memoryKiB,
    int vcpus,
    Sysinfo sysinfo,
    Os os,
    List<String> features,
    String clockOffset,
    DeviceList devices,
    String genid,
    boolean smm) {

  /** A domain without a generation ID and without System Management Mode. */
  public Domain(String type, String name, String uuid, Metadata metadata, long memoryKiB, int vcpus, Sysinfo sysinfo,
      Os os, List<String> features, String clockOffset, DeviceList devices) {
    this(type, name, uuid, metadata, memoryKiB, vcpus, sysinfo, os, features, clockOffset, devices, null, false);
  }

  public void write(XmlWriter xml) {
    xml.start("domain", "type", type);
    xml.text("name", name);
    xml.text("uuid", uuid);
    xml.text("genid", genid);
    if (metadata != null) {
      metadata.write(xml);
    }
    xml.text("memory", memoryKiB, "unit", "KiB");
    xml.text("vcpu", vcpus, "placement", "static");
    if (sysinfo != null) {
      sysinfo.write(xml);
    }
    os.write(xml);
    xml.start("features");
    features.forEach(xml::empty);
    if (smm) {
      xml.empty("smm", "state", "on");
    }
    xml.end();
    xml.empty("clock", "offset", clockOffset);
    xml.text("on_poweroff", "destroy");
    xml.text("on_reboot", "restart");
    xml.text("on_crash", "destroy");
    devices.write(xml);
    xml.end();
  }

  public String toXml() {
    XmlWriter xml = new XmlWriter();
    write(xml);
    return xml.toXml();
  }
}
