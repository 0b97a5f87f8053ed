package io.vguest.guest;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.api.v1alpha1.Patterns;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks the identity fields that came after serials and MACs: disk WWNs (own and stamped: format,
 * keys, uniqueness), the generation ID and the count of declared restores. Messages follow the
 * validator's: the field path, the value and what is allowed.
 */
final class IdentityFieldsValidator {

  private static final Pattern WWN = Pattern.compile(Patterns.WWN);
  private static final Pattern UUID = Pattern.compile(Patterns.UUID);
  private static final Pattern MACHINE_TYPE = Pattern.compile(Patterns.MACHINE_TYPE);
  private static final Pattern DNS_LABEL = Pattern.compile(Patterns.DNS_LABEL);
  private static final String WWN_RULE = "16 hex digits, NAA 5 or 6 (the first digit 5 or 6), e.g. 5000c50015ea71ac";
  private static final int COUNT_MAX = 1_000_000;

  private IdentityFieldsValidator() {}

  static List<Violation> validate(VirtualGuestSpec spec) {
    List<Violation> violations = new ArrayList<>();
    GuestIdentity identity = spec.identity;
    Map<String, String> stamped = identity == null || identity.diskWwns == null ? Map.of() : identity.diskWwns;
    if (stamped.size() > Patterns.MAX_DISKS) {
      violations.add(new Violation("spec.identity.diskWwns", "Too many: " + stamped.size() + ": must have at most "
          + Patterns.MAX_DISKS + " items"));
    }
    new TreeMap<>(stamped).forEach((disk, wwn) -> {
      String field = "spec.identity.diskWwns[" + disk + "]";
      if (disk == null || !DNS_LABEL.matcher(disk).matches() || disk.length() > Patterns.DNS_LABEL_MAX) {
        violations.add(new Violation("spec.identity.diskWwns", "Invalid value: " + FieldCheck.quote(disk)
            + ": every key must be a disk name: a DNS label (lower-case letters, digits, '-') of at most "
            + Patterns.DNS_LABEL_MAX + " characters"));
      } else {
        wwn(violations, field, wwn);
      }
    });
    Map<String, String> seen = new HashMap<>();
    List<Disk> disks = spec.disks == null ? List.of() : spec.disks;
    for (int i = 0; i < disks.size(); i++) {
      Disk disk = disks.get(i);
      if (disk == null) {
        continue;
      }
      String own = "spec.disks[" + i + "].wwn";
      if (disk.wwn != null) {
        wwn(violations, own, disk.wwn);
      }
      String wwn = disk.wwn != null ? disk.wwn : disk.name == null ? null : stamped.get(disk.name);
      String field = disk.wwn != null ? own : "spec.identity.diskWwns[" + disk.name + "]";
      if (wwn != null) {
        String first = seen.putIfAbsent(wwn.toLowerCase(Locale.ROOT), field);
        if (first != null) {
          violations.add(new Violation(field, "Duplicate value: " + FieldCheck.quote(wwn) + ": " + first
              + " has the same WWN; disk WWNs must be unique (multipath and clusters tell disks apart by them)"));
        }
      }
    }
    violations.addAll(DeviceAddressValidator.validate(spec));
    if (identity != null) {
      if (identity.generationId != null && !UUID.matcher(identity.generationId).matches()) {
        violations.add(new Violation("spec.identity.generationId", "Invalid value: "
            + FieldCheck.quote(identity.generationId) + ": must be a UUID such as "
            + "6f1c7b9e-3f4a-4c1e-9a53-2b8f0d6e7a10"));
      }
      machineType(violations, "spec.identity.machineType", identity.machineType);
      machineType(violations, "spec.identity.machineTypeFor", identity.machineTypeFor);
      count(violations, "spec.identity.restoreGeneration", identity.restoreGeneration);
      count(violations, "spec.identity.generationIdFor", identity.generationIdFor);
    }
    return violations;
  }

  private static void wwn(List<Violation> violations, String field, String wwn) {
    if (wwn == null) {
      violations.add(new Violation(field, "Required value"));
    } else if (!WWN.matcher(wwn).matches()) {
      violations.add(new Violation(field, "Invalid value: " + FieldCheck.quote(wwn) + ": must be " + WWN_RULE));
    }
  }

  private static void machineType(List<Violation> violations, String field, String value) {
    if (value != null && (!MACHINE_TYPE.matcher(value).matches() || value.length() > Patterns.MACHINE_TYPE_MAX)) {
      violations.add(new Violation(field, "Invalid value: " + FieldCheck.quote(value) + ": must be a QEMU machine "
          + "type such as pc-q35-7.2, at most " + Patterns.MACHINE_TYPE_MAX + " characters (pattern "
          + Patterns.MACHINE_TYPE + ")"));
    }
  }

  private static void count(List<Violation> violations, String field, Integer value) {
    if (value != null && (value < 0 || value > COUNT_MAX)) {
      violations.add(new Violation(field, "Invalid value: " + value + ": must be between 0 and " + COUNT_MAX));
    }
  }
}
