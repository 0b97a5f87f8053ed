package io.vguest.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vguest.api.v1alpha1.Devices;
import io.vguest.api.v1alpha1.Patterns;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.cli.DevicesCommand.Failure;
import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DeviceProblem;
import io.vguest.devices.DeviceProperty;
import io.vguest.devices.DeviceRules;
import io.vguest.guest.DeviceUsages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The checks and patches behind {@code vguest devices set} and {@code reset}, apart from the
 * Kubernetes calls so that they read as the documented list of steps.
 */
final class DeviceEdits {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern MACHINE_TYPE = Pattern.compile(Patterns.MACHINE_TYPE);

  /** Guest states in which a change is applied at once: no domain is running. */
  static final Set<String> STOPPED_STATES = Set.of("Stopped", "Pending", "Crashed");

  private DeviceEdits() {}

  /** Step 2: every argument is k=v, each property at most once (exit 4). */
  static Map<String, String> keyValues(List<String> arguments) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String argument : arguments) {
      int eq = argument.indexOf('=');
      if (eq <= 0 || eq == argument.length() - 1) {
        throw new Failure(DevicesExit.NOT_KEY_VALUE, "--property " + quote(argument)
            + ": expected PROPERTY=VALUE, e.g. diskBus=scsi");
      }
      String key = argument.substring(0, eq).trim();
      if (values.put(key, argument.substring(eq + 1).trim()) != null) {
        throw new Failure(DevicesExit.NOT_KEY_VALUE, "--property " + key + ": given more than once");
      }
    }
    return values;
  }

  /** Step 3: the property is known (exit 5). */
  static DeviceProperty property(String name) {
    return DeviceProperty.of(name).orElseThrow(() -> new Failure(DevicesExit.UNKNOWN_PROPERTY,
        "unknown property " + quote(name) + ": known properties: " + String.join(", ", DeviceProperty.names())));
  }

  /** Step 4a: the value is one the property accepts on its own (exit 6). */
  static void allowed(DeviceProperty property, String value) {
    if (property.freeForm()) {
      if (!MACHINE_TYPE.matcher(value).matches() || value.length() > Patterns.MACHINE_TYPE_MAX) {
        throw new Failure(DevicesExit.VALUE_NOT_ALLOWED, property.property() + ": Invalid value: " + quote(value)
            + ": a QEMU machine type or alias such as q35, pc or pc-q35-7.2 (pattern " + Patterns.MACHINE_TYPE
            + ", at most " + Patterns.MACHINE_TYPE_MAX + " characters)");
      }
      return;
    }
    List<String> allowed = property.allowedValues();
    if (!allowed.contains(value)) {
      throw new Failure(DevicesExit.VALUE_NOT_ALLOWED, property.property() + ": Unsupported value: " + quote(value)
          + ": supported values: " + String.join(", ", allowed));
    }
  }

  /**
   * Step 4b: the new values fit the guest's other devices, disks and machine type (exit 7). Only
   * problems the change brings count; one the guest already had is not blamed on it.
   */
  static void compatible(VirtualGuestSpec spec, Map<DeviceProperty, String> changes) {
    List<DeviceProblem> before = DeviceRules.check(DeviceUsages.of(spec, null));
    List<DeviceProblem> after = DeviceRules.check(DeviceUsages.of(withChanges(spec, changes), null));
    List<String> introduced = new ArrayList<>();
    for (DeviceProblem problem : after) {
      if (!before.contains(problem)) {
        introduced.add(problem.toString());
      }
    }
    if (!introduced.isEmpty()) {
      throw new Failure(DevicesExit.INCOMPATIBLE, "the change does not fit the guest:\n  "
          + String.join("\n  ", introduced));
    }
  }

  /** Step 5: whether the guest is stopped (or has no domain yet), so a change is applied at once. */
  static boolean stopped(VirtualGuest guest) {
    String state = guest.getStatus() == null ? null : guest.getStatus().state;
    return state == null || STOPPED_STATES.contains(state);
  }

  static String state(VirtualGuest guest) {
    String state = guest.getStatus() == null ? null : guest.getStatus().state;
    return state == null ? "Pending" : state;
  }

  /** The spec's value of a property, or null when unset. */
  static String current(VirtualGuestSpec spec, DeviceProperty property) {
    if (property == DeviceProperty.MACHINE_TYPE) {
      return spec.machineType;
    }
    return spec.devices == null ? null : spec.devices.toChoices(null).asMap().get(property.property());
  }

  /** A copy of the spec with the changes applied (null removes a value). */
  static VirtualGuestSpec withChanges(VirtualGuestSpec spec, Map<DeviceProperty, String> changes) {
    VirtualGuestSpec copy = JSON.convertValue(spec, VirtualGuestSpec.class);
    Map<String, String> choices = new LinkedHashMap<>(copy.devices == null ? Map.of()
        : copy.devices.toChoices(null).asMap());
    changes.forEach((property, value) -> {
      if (property == DeviceProperty.MACHINE_TYPE) {
        copy.machineType = value;
      } else if (value == null) {
        choices.remove(property.property());
      } else {
        choices.put(property.property(), value);
      }
    });
    Devices devices = new Devices();
    devices.setFrom(DeviceChoices.fromMap(choices));
    copy.devices = devices;
    return copy;
  }

  /**
   * A JSON patch that sets the values, guarded by {@code test} operations on every value the
   * checks read (the old value of each changed property and the machine type), so a concurrent
   * change makes the API server refuse it instead of silently combining the two. Null when the spec
   * has no {@code devices} object yet; then {@link #mergePatch} is used.
   */
  static ArrayNode jsonPatch(VirtualGuestSpec spec, Map<DeviceProperty, String> changes) {
    boolean needsDevices = changes.keySet().stream().anyMatch(p -> p != DeviceProperty.MACHINE_TYPE);
    if (needsDevices && spec.devices == null) {
      return null;
    }
    ArrayNode ops = JsonNodeFactory.instance.arrayNode();
    if (!changes.containsKey(DeviceProperty.MACHINE_TYPE) && spec.machineType != null) {
      test(ops, DeviceProperty.MACHINE_TYPE.pointer(), spec.machineType);
    }
    changes.forEach((property, value) -> {
      String old = current(spec, property);
      if (old != null) {
        test(ops, property.pointer(), old);
      }
      if (value == null) {
        if (old != null) {
          ops.addObject().put("op", "remove").put("path", property.pointer());
        }
      } else {
        ops.addObject().put("op", old == null ? "add" : "replace").put("path", property.pointer()).put("value", value);
      }
    });
    return ops;
  }

  /** A JSON merge patch setting the values; it merges into {@code spec.devices} and creates it when missing. */
  static ObjectNode mergePatch(Map<DeviceProperty, String> changes) {
    ObjectNode patch = JsonNodeFactory.instance.objectNode();
    ObjectNode spec = patch.putObject("spec");
    changes.forEach((property, value) -> {
      ObjectNode parent = property == DeviceProperty.MACHINE_TYPE ? spec
          : spec.has("devices") ? (ObjectNode) spec.get("devices") : spec.putObject("devices");
      parent.put(property.property(), value);
    });
    return patch;
  }

  private static void test(ArrayNode ops, String path, String value) {
    ops.addObject().put("op", "test").put("path", path).put("value", value);
  }

  static String quote(String value) {
    return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
