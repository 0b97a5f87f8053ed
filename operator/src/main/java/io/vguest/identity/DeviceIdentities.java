package io.vguest.identity;

import io.vguest.devices.DiskRole;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The per-device identity values (disk serials, MACs, WWNs) kept in {@code spec.identity} in maps
 * keyed by device name, so that applies which replace the lists of disks and interfaces keep
 * them. A value is filled only for a device that has none yet, and never changed afterwards.
 */
public final class DeviceIdentities {

  private DeviceIdentities() {}

  /**
   * Whether a drive gets a generated serial: it has none of its own, is no floppy (floppies show
   * none) and is no external volume (the guest sees its volume id as serial).
   */
  public static boolean needsGeneratedSerial(boolean ownSerial, DiskRole role, boolean external) {
    return !ownSerial && role != DiskRole.FLOPPY && !external;
  }

  /**
   * The stamped values with one generated for each device that has none yet.
   *
   * @param stamped the values stamped so far, or null
   * @param devices the devices that need a value (those whose own value is unset)
   * @param generate the value for a device name
   * @param pointer the map's JSON pointer, e.g. {@code /spec/identity/diskSerials}; each filled
   *     device's pointer is added to {@code filled}
   * @return a new map, or null when {@code stamped} was null and nothing was filled
   */
  public static Map<String, String> fill(Map<String, String> stamped, List<String> devices,
      UnaryOperator<String> generate, String pointer, List<String> filled) {
    Map<String, String> values = new TreeMap<>(stamped == null ? Map.of() : stamped);
    for (String device : devices) {
      if (!values.containsKey(device)) {
        values.put(device, generate.apply(device));
        filled.add(pointer + "/" + device);
      }
    }
    return values.isEmpty() && stamped == null ? null : values;
  }

  /**
   * The stamped values with the recorded one put back for each device that lost it, when a spec
   * was replaced without its stamp (see {@link IdentityOwner#restorable}).
   *
   * @param devices the devices whose own value is unset
   * @param recorded the values the guest's domain records, by device name
   */
  public static Map<String, String> restore(Map<String, String> stamped, List<String> devices,
      Map<String, String> recorded, String pointer, List<String> restored) {
    List<String> recordedDevices = devices.stream().filter(recorded::containsKey).toList();
    return fill(stamped, recordedDevices, recorded::get, pointer, restored);
  }
}
