package io.vguest.devices;

import io.vguest.devices.DiskRole.DeviceKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Compatibility rules between device choices that static enums cannot express. Checked again after
 * resolution, because a profile or default may combine with a guest's own setting into something
 * invalid (an ide bus from a profile on a guest whose machine type is q35).
 *
 * <p>These rules hold on every node; what one node's hypervisor offers on top is checked by
 * {@link NodeDeviceCheck} against its domain capabilities.
 */
public final class DeviceRules {

  /** The longest disk serial any bus shows in full (scsi-hd and usb-storage). */
  public static final int SERIAL_MAX = 36;
  /** virtio-blk, sata and ide show only this many characters of a serial. */
  public static final int SHORT_SERIAL_MAX = 20;

  private DeviceRules() {}

  /**
   * Problems with attaching a drive of the given role on the given bus of the given machine type,
   * each phrased as "field: problem; what to do". Empty when compatible.
   */
  public static List<String> checkDisk(String field, DiskRole role, DiskBus bus, String machineType) {
    return checkDisk(field, role, bus, machineType, false);
  }

  /** As {@link #checkDisk(String, DiskRole, DiskBus, String)}, for a drive that may be attached read-only. */
  public static List<String> checkDisk(String field, DiskRole role, DiskBus bus, String machineType,
      boolean readOnly) {
    List<String> problems = new ArrayList<>(
        driveProblems(field, role.kind(), bus, machineType).stream().map(DeviceProblem::toString).toList());
    DeviceProblem ro = readOnlyProblem(field, role.kind(), bus, readOnly);
    if (ro != null) {
      problems.add(ro.toString());
    }
    return problems;
  }

  /**
   * QEMU's AHCI (sata) and IDE disks cannot be read-only; libvirt refuses such a domain
   * ("readonly sata disks are not supported"). Cdroms are read-only on every bus.
   */
  public static DeviceProblem readOnlyProblem(String field, DeviceKind kind, DiskBus bus, boolean readOnly) {
    if (!readOnly || !readOnlyUnsupported(kind, bus)) {
      return null;
    }
    return new DeviceProblem(field, bus.value(), "Invalid value: \"" + bus.value() + "\": a read-only disk cannot be on "
        + bus.value() + " (QEMU has no read-only " + bus.value() + " disks); use virtio, scsi or usb, or attach it "
        + "writable");
  }

  /** Whether a disk on {@code bus} cannot be attached read-only (sata and ide; cdroms always are). */
  public static boolean readOnlyUnsupported(DeviceKind kind, DiskBus bus) {
    return kind == DeviceKind.DISK && (bus == DiskBus.SATA || bus == DiskBus.IDE);
  }

  /**
   * Every problem of a guest's device usage: each drive on its bus, each {@code spec.devices} bus
   * for the kind of drive it is for, serials longer than their bus shows, and models the x86 QEMU
   * driver does not have. Problems are listed once per field and value, in field order of the input.
   */
  public static List<DeviceProblem> check(DeviceUsage usage) {
    Set<DeviceProblem> problems = new LinkedHashSet<>();
    DeviceChoices devices = usage.devices();
    String machine = devices.machineType();
    addDrive(problems, "spec.devices.diskBus", DeviceKind.DISK, devices.diskBus(), machine);
    addDrive(problems, "spec.devices.cdromBus", DeviceKind.CDROM, devices.cdromBus(), machine);
    addDrive(problems, "spec.devices.floppyBus", DeviceKind.FLOPPY, devices.floppyBus(), machine);
    addDrive(problems, "spec.devices.rescueBus", DeviceKind.DISK, devices.rescueBus(), machine);
    for (DeviceUsage.Drive drive : usage.drives()) {
      addDrive(problems, drive.busField(), drive.kind(), drive.bus(), machine);
      DeviceProblem readOnly = readOnlyProblem(drive.busField(), drive.kind(), drive.bus(), drive.readOnly());
      if (readOnly != null) {
        problems.add(readOnly);
      }
      if (drive.serial() != null && drive.bus() != null && drive.kind() != DeviceKind.FLOPPY
          && drive.serial().length() > visibleSerialLength(drive.bus())) {
        problems.add(new DeviceProblem(drive.serialField(), drive.serial(), "Invalid value: \"" + drive.serial()
            + "\": " + drive.serial().length() + " characters, a " + drive.bus().value() + " drive shows "
            + visibleSerialLength(drive.bus()) + " (from " + drive.busField() + "); shorten it or use scsi or usb"));
      }
    }
    if (devices.scsiModel() == ScsiModel.BUSLOGIC) {
      problems.add(new DeviceProblem("spec.devices.scsiModel", "buslogic", "Invalid value: \"buslogic\": libvirt's "
          + "QEMU driver has no buslogic controller; use virtio-scsi, lsilogic, lsisas1068, lsisas1078 or vmpvscsi"));
    }
    if (devices.scsiModel() == ScsiModel.IBMVSCSI) {
      problems.add(new DeviceProblem("spec.devices.scsiModel", "ibmvscsi", "Invalid value: \"ibmvscsi\": exists "
          + "only on ppc64 pseries machines, not on x86_64" + machineSuffix(machine)
          + "; use virtio-scsi, lsilogic, lsisas1068, lsisas1078 or vmpvscsi"));
    }
    addNic(problems, "spec.devices.vifModel", devices.vifModel(), machine);
    for (DeviceUsage.Nic nic : usage.nics()) {
      addNic(problems, nic.modelField(), nic.model(), machine);
    }
    return List.copyOf(problems);
  }

  /** Problems of one drive kind on one bus; empty when compatible or when the bus is unset. */
  public static List<DeviceProblem> driveProblems(String field, DeviceKind kind, DiskBus bus, String machineType) {
    List<DeviceProblem> problems = new ArrayList<>();
    if (bus == null) {
      return problems;
    }
    String value = bus.value();
    if (kind != DeviceKind.FLOPPY && lacksIde(bus, machineType)) {
      problems.add(noIdeProblem(field, machineType));
    }
    if (kind == DeviceKind.CDROM && bus == DiskBus.VIRTIO) {
      problems.add(new DeviceProblem(field, value, "Invalid value: \"virtio\": a cdrom cannot be on virtio; use sata, "
          + "scsi, ide or usb"));
    }
    if (kind == DeviceKind.FLOPPY && bus != DiskBus.FDC) {
      problems.add(new DeviceProblem(field, value, "Invalid value: \"" + value + "\": a floppy can only be on fdc"));
    }
    if (kind != DeviceKind.FLOPPY && bus == DiskBus.FDC) {
      problems.add(new DeviceProblem(field, value, "Invalid value: \"fdc\": fdc is for floppies only; use virtio, "
          + "scsi, sata, ide or usb"));
    }
    return problems;
  }

  /**
   * The bus a drive ends up on: its own, else the guest's choice for its role's kind of drive
   * ({@link DiskRole#defaultBusProperty()}); null when neither is known yet.
   */
  public static DiskBus busOf(DiskBus own, DiskRole role, DeviceChoices devices) {
    if (own != null || role == null || devices == null) {
      return own;
    }
    return devices.busFor(role);
  }

  /**
   * Whether a drive on {@code bus} needs an IDE controller the machine type lacks: q35 (ICH9) has
   * none. The CRD's CEL rule on {@code spec.machineType} says the same (CelRulesMatchJavaRulesTest).
   */
  public static boolean lacksIde(DiskBus bus, String machineType) {
    return bus == DiskBus.IDE && DeviceResolver.isQ35(machineType);
  }

  /** The problem of an ide bus in {@code field} on a machine type without IDE controller. */
  public static DeviceProblem noIdeProblem(String field, String machineType) {
    return new DeviceProblem(field, DiskBus.IDE.value(), "Invalid value: \"ide\": machine type \"" + machineType
        + "\" (q35) has no IDE controller; use sata or scsi");
  }

  /**
   * How many characters a serial written for a drive on {@code bus} may have: as many as the bus
   * shows, 36 on scsi and usb, 20 elsewhere (fdc shows none; a floppy is held to the short limit,
   * like the CRD's CEL rule on {@code spec.disks[*].serial} holds it).
   */
  public static int serialLimit(DiskBus bus) {
    return bus == DiskBus.SCSI || bus == DiskBus.USB ? SERIAL_MAX : SHORT_SERIAL_MAX;
  }

  /** The buses on which libvirt (9.0) gives a drive a WWN; it refuses one on sata, virtio and usb. */
  public static boolean showsWwn(DiskBus bus) {
    return bus == DiskBus.SCSI || bus == DiskBus.IDE;
  }

  /** Characters of a disk serial the guest reads on a bus (virtio-blk, sata and ide cut to 20; fdc shows none). */
  public static int visibleSerialLength(DiskBus bus) {
    return bus == DiskBus.FDC ? 0 : serialLimit(bus);
  }

  private static void addDrive(Set<DeviceProblem> problems, String field, DeviceKind kind, DiskBus bus,
      String machine) {
    problems.addAll(driveProblems(field, kind, bus, machine));
  }

  private static void addNic(Set<DeviceProblem> problems, String field, VifModel model, String machine) {
    if (model == VifModel.SPAPR_VLAN) {
      problems.add(new DeviceProblem(field, model.value(), "Invalid value: \"spapr-vlan\": exists only on ppc64 "
          + "pseries machines, not on x86_64" + machineSuffix(machine) + "; use virtio, e1000e, e1000 or rtl8139"));
    }
  }

  private static String machineSuffix(String machine) {
    return machine == null ? "" : " machine type \"" + machine + "\"";
  }
}
