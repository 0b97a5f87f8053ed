package io.vguest.guest;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.domain.DeviceAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks {@code spec.deviceAddresses}: every key names a kind of device as vguest keys them, every
 * value is an address in one of the accepted forms, and no two devices the guest has share one.
 * Entries of disks and interfaces the guest no longer has are kept (not rendered) and not compared.
 */
final class DeviceAddressValidator {

  static final Pattern KEY = Pattern.compile("^((disk|interface)\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?"
      + "|controller\\.[a-z][a-z-]{1,30}\\.[0-9]{1,3}|(video|rng|memballoon)\\.[0-9]|input\\.[a-z]{1,16}\\.[a-z]{1,16})$");
  private static final int MAX = 256;

  private DeviceAddressValidator() {}

  static List<Violation> validate(VirtualGuestSpec spec) {
    List<Violation> violations = new java.util.ArrayList<>();
    Map<String, String> addresses = spec.deviceAddresses;
    if (addresses == null) {
      return violations;
    }
    if (addresses.size() > MAX) {
      violations.add(new Violation("spec.deviceAddresses", "Too many: " + addresses.size() + ": must have at most "
          + MAX + " items"));
    }
    Set<String> present = new HashSet<>();
    for (Disk disk : spec.disks == null ? List.<Disk>of() : spec.disks) {
      if (disk != null) {
        present.add("disk." + disk.name);
      }
    }
    for (NetworkInterface nic : spec.interfaces == null ? List.<NetworkInterface>of() : spec.interfaces) {
      if (nic != null) {
        present.add("interface." + nic.name);
      }
    }
    Map<String, String> seen = new HashMap<>();
    new TreeMap<>(addresses).forEach((key, value) -> {
      String field = "spec.deviceAddresses[" + key + "]";
      if (key == null || !KEY.matcher(key).matches()) {
        violations.add(new Violation("spec.deviceAddresses", "Invalid value: " + FieldCheck.quote(key)
            + ": every key must name a device: disk.<disk name>, interface.<interface name>, "
            + "controller.<type or PCI model>.<index>, video.<n>, rng.<n>, memballoon.0 or input.<type>.<bus>"));
        return;
      }
      DeviceAddress address;
      try {
        address = DeviceAddress.parse(value);
      } catch (IllegalArgumentException e) {
        violations.add(new Violation(field, "Invalid value: " + FieldCheck.quote(value) + ": "
            + e.getMessage().substring(e.getMessage().indexOf("allowed:"))));
        return;
      }
      boolean stale = (key.startsWith("disk.") || key.startsWith("interface.")) && !present.contains(key);
      if (!stale) {
        String first = seen.putIfAbsent(address.text(), field);
        if (first != null) {
          violations.add(new Violation(field, "Duplicate value: " + FieldCheck.quote(value) + ": " + first
              + " has the same address; two devices cannot share one"));
        }
      }
    });
    return violations;
  }
}
