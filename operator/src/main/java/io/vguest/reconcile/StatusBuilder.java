package io.vguest.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.DiskStatus;
import io.vguest.api.v1alpha1.EffectiveDevices;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DiskBus;
import io.vguest.domain.DiskDefinition;
import io.vguest.domain.DiskTargets;
import io.vguest.domain.GuestDefinition;
import io.vguest.libvirt.DomainState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a guest's status from what a sync observed. Pure: the clock value comes in as a
 * parameter, and a condition keeps its lastTransitionTime while its status does not change.
 */
public final class StatusBuilder {

  public static final String READY = Conditions.READY;
  public static final String SYNCED = Conditions.SYNCED;
  public static final String RESTART_REQUIRED = Conditions.RESTART_REQUIRED;

  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusBuilder() {}

  /**
   * @param previous the guest's current status, or null
   * @param generation the generation of the spec that was synced
   * @param node name of this node
   * @param now the time to stamp on conditions whose status changes
   */
  public static VirtualGuestStatus build(VirtualGuestStatus previous, Long generation, Observation observed,
      String node, Instant now) {
    VirtualGuestStatus status = new VirtualGuestStatus();
    status.observedGeneration = generation;
    status.state = stateName(observed);
    status.node = nodeOf(previous, observed, node);
    GuestDefinition definition = observed.definition();
    if (definition != null) {
      DomainFacts defined = observed.defined();
      status.uuid = definition.uuid();
      status.serial = defined != null ? defined.serial() : definition.smbios().serial();
      status.chassisSerial = defined != null ? defined.chassisSerial() : definition.smbios().chassisSerial();
      status.serialSource = serialSource(serialPolicy(observed));
      status.disks = disks(definition, defined, observed);
      status.effectiveDevices = effectiveDevices(
          defined != null && defined.metadata() != null && defined.metadata().devices() != null
              ? defined.metadata().devices() : definition.devices());
      status.firmware = firmware(defined != null && defined.metadata() != null ? defined.metadata().firmware()
          : definition.metadata().firmware());
      status.deviceAddresses = definition.deviceAddresses().isEmpty() ? null
          : new java.util.TreeMap<>(definition.deviceAddresses());
    } else if (previous != null) {
      status.firmware = previous.firmware;
      status.deviceAddresses = previous.deviceAddresses;
      status.uuid = previous.uuid;
      status.serial = previous.serial;
      status.chassisSerial = previous.chassisSerial;
      status.serialSource = previous.serialSource;
      status.disks = previous.disks;
      status.effectiveDevices = previous.effectiveDevices;
    }
    List<String> pending = observed.pendingChanges();
    if (pending == null) {
      status.pendingChanges = previous == null ? null : previous.pendingChanges;
    } else {
      status.pendingChanges = pending.isEmpty() ? null : List.copyOf(pending);
    }
    List<Condition> conditions = Conditions.of(observed, generation, previous == null || previous.conditions == null
        ? List.of() : previous.conditions, now);
    status.conditions = conditions;
    return status;
  }

  /** Deep equality of two statuses (null equals null); write a status only when this is false. */
  public static boolean sameStatus(VirtualGuestStatus a, VirtualGuestStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    return JSON.valueToTree(a).equals(JSON.valueToTree(b));
  }

  /** The condition of this type in a status, or null. */
  public static Condition condition(VirtualGuestStatus status, String type) {
    if (status == null || status.conditions == null) {
      return null;
    }
    return status.conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  static String stateName(Observation observed) {
    DomainState state = observed.state();
    if (state == null) {
      return "Pending";
    }
    return switch (state) {
      case RUNNING, SHUTTING_DOWN -> "Running";
      case STOPPED -> "Stopped";
      case PAUSED -> "Paused";
      case CRASHED -> "Crashed";
      case OTHER -> "Unknown";
    };
  }

  private static String nodeOf(VirtualGuestStatus previous, Observation observed, String node) {
    if (observed.state() == null) {
      return null;
    }
    if (observed.state() == DomainState.OTHER && observed.failure() != null) {
      return previous == null ? null : previous.node; // could not look
    }
    return node;
  }

  private static String serialPolicy(Observation observed) {
    DomainFacts defined = observed.defined();
    if (defined != null && defined.metadata() != null && defined.metadata().identity() != null
        && defined.metadata().identity().serialPolicy() != null) {
      return defined.metadata().identity().serialPolicy();
    }
    var identity = observed.definition().metadata().identity();
    return identity == null ? null : identity.serialPolicy();
  }

  static String serialSource(String policy) {
    if (policy == null) {
      return null;
    }
    return switch (policy) {
      case "unique" -> "unique";
      case "host" -> "host (changes when the guest moves)";
      default -> "none";
    };
  }

  /** Disks of the definition; while a change is held, each on the bus the defined domain gives it. */
  private static List<DiskStatus> disks(GuestDefinition definition, DomainFacts defined, Observation observed) {
    List<DiskStatus> disks = new ArrayList<>();
    for (DiskDefinition disk : definition.disks()) {
      DiskBus bus = disk.bus();
      DiskBus definedBus = defined == null ? null : defined.busOfSerial(disk.serial());
      if (definedBus != null) {
        bus = definedBus; // a bus vguest does not offer is not in the model: the wanted one is reported
      }
      String serial = disk.serial();
      DiskStatus status = new DiskStatus(disk.name(), observed.diskTags().get(disk.name()), bus.value(),
          bus == DiskBus.FDC ? null : serial, DiskTargets.guestSerial(serial, bus),
          DiskTargets.byIdPath(serial, bus, disk.role()));
      status.wwn = bus == disk.bus() ? disk.wwn() : null;
      disks.add(status);
    }
    return disks;
  }

  /** What the domain's metadata records; a domain without a firmware record has BIOS and no TPM. */
  static io.vguest.api.v1alpha1.FirmwareStatus firmware(io.vguest.domain.GuestMetadata.FirmwareState state) {
    var status = new io.vguest.api.v1alpha1.FirmwareStatus();
    status.bootMode = state == null ? "bios" : state.bootMode();
    status.secureBoot = state != null && state.secureBoot();
    status.tpm = state == null ? "none" : state.tpm();
    status.nvram = state == null ? null : state.nvram();
    status.tpmState = state == null ? null : state.tpmState();
    return status;
  }

  static EffectiveDevices effectiveDevices(DeviceChoices choices) {
    EffectiveDevices devices = new EffectiveDevices();
    devices.setFrom(choices);
    devices.machineType = choices.machineType();
    return devices;
  }
}
