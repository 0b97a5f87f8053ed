package io.vguest.guest;

import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.Patterns;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks {@code spec.interfaces}: unique names, exactly one kind of network, well-formed names and MACs. */
final class NicValidator {

  private static final Pattern BRIDGE = Pattern.compile("^[A-Za-z0-9_.-]+$");
  private static final int BRIDGE_MAX = 15;

  private NicValidator() {}

  static void interfaces(FieldCheck c, List<NetworkInterface> interfaces) {
    if (interfaces == null) {
      return;
    }
    if (interfaces.size() > Patterns.MAX_INTERFACES) {
      c.add("spec.interfaces", "Too many: " + interfaces.size() + ": must have at most " + Patterns.MAX_INTERFACES
          + " items");
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < interfaces.size(); i++) {
      String at = "spec.interfaces[" + i + "]";
      NetworkInterface nic = interfaces.get(i);
      if (nic == null) {
        c.add(at, "Required value: an interface");
        continue;
      }
      c.required(at + ".name", nic.name);
      c.name(at + ".name", nic.name, FieldCheck.DNS_LABEL, Patterns.DNS_LABEL_MAX, FieldCheck.DNS_LABEL_RULE);
      if (nic.name != null && !names.add(nic.name)) {
        c.add(at + ".name", "Duplicate value: " + FieldCheck.quote(nic.name) + ": interface names must be unique");
      }
      int kinds = (nic.network != null ? 1 : 0) + (nic.bridge != null ? 1 : 0)
          + (Boolean.TRUE.equals(nic.userMode) ? 1 : 0);
      if (kinds != 1) {
        c.add(at, "Invalid value: " + kinds + " kinds set: set exactly one of network, bridge or userMode");
      }
      c.name(at + ".network", nic.network, FieldCheck.POOL_OBJECT_NAME, Patterns.POOL_OBJECT_NAME_MAX,
          "a libvirt network name: letters, digits, '_', '.', '+', '-'");
      c.name(at + ".bridge", nic.bridge, BRIDGE, BRIDGE_MAX, "a host bridge name: letters, digits, '_', '.', '-'");
      c.name(at + ".macAddress", nic.macAddress, FieldCheck.MAC, Patterns.MAC_MAX,
          "a unicast MAC address such as 52:54:00:12:34:56 (the first octet even)");
      c.name(at + ".tag", nic.tag, FieldCheck.TAG, Patterns.TAG_MAX, FieldCheck.TAG_RULE);
    }
  }
}
