package io.vguest.guest;

import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.DiskRole;
import io.vguest.devices.FirmwareChoices;
import io.vguest.domain.DiskDefinition.VolumeRef;
import io.vguest.domain.FirmwareDefinition;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds a stamped guest's {@link FirmwareDefinition} on a node: the NVRAM variable store and the
 * TPM state volume live in the guest's pool (the pool of its root disk, else of its first disk in a
 * pool), named after the guest like its blank disks, so they move with the guest as its disks do.
 */
public final class FirmwareDefinitions {

  private FirmwareDefinitions() {}

  /** The UEFI variable store of a guest. */
  public static String nvramVolumeName(String namespace, String name) {
    return namespace + "_" + name + "_nvram.fd";
  }

  /** The volume a guest's TPM state is carried in between nodes. */
  public static String tpmStateVolumeName(String namespace, String name) {
    return namespace + "_" + name + "_tpm.state";
  }

  /**
   * The pool a guest's NVRAM and TPM state live in: its root disk's pool, else the first disk's in
   * a pool; empty when no disk is in a pool.
   */
  public static Optional<String> statePool(VirtualGuestSpec spec) {
    List<Disk> disks = spec.disks == null ? List.of() : spec.disks;
    return disks.stream()
        .sorted(Comparator.comparing(d -> d.role == DiskRole.ROOT ? 0 : 1))
        .map(FirmwareDefinitions::poolOf)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static Optional<String> poolOf(Disk disk) {
    if (disk.source == null) {
      return Optional.empty();
    }
    if (disk.source.volume != null) {
      return Optional.ofNullable(disk.source.volume.pool);
    }
    if (disk.source.external != null) {
      return Optional.ofNullable(disk.source.external.pool);
    }
    return disk.source.blank == null ? Optional.empty() : Optional.ofNullable(disk.source.blank.pool);
  }

  /**
   * @param machineType the guest's versioned machine type
   * @param problems receives what is wrong, each naming the field
   * @return the definition, or null when there are problems
   */
  static FirmwareDefinition build(VirtualGuestSpec spec, String namespace, String name, String machineType,
      Set<String> allowedPools, VolumePaths paths, String nodeName, List<String> problems) {
    FirmwareChoices choices = FirmwareStamp.own(spec);
    if (choices.equals(FirmwareChoices.NONE)) {
      return FirmwareDefinition.BIOS; // a spec from before firmware choices existed
    }
    if (!choices.complete()) {
      problems.add("spec.firmware: bootMode, secureBoot and tpm not resolved yet; the guest must be stamped first");
      return null;
    }
    int before = problems.size();
    choices.problems(machineType).forEach(p -> problems.add(p.toString()));
    if (!choices.uefi() && !choices.hasTpm()) {
      return problems.size() == before ? FirmwareDefinition.BIOS : null;
    }
    String field = choices.uefi() ? "spec.firmware.bootMode" : "spec.firmware.tpm";
    Optional<String> pool = statePool(spec);
    if (pool.isEmpty()) {
      problems.add(field + ": " + (choices.uefi() ? "uefi" : "a TPM") + " keeps its state in a volume of the guest's "
          + "pool, and no disk of the guest is in a pool; give the root disk a pool volume");
      return null;
    }
    if (!allowedPools.contains(pool.get())) {
      return null; // the disk's own check reports it
    }
    VolumeRef nvram = null;
    String nvramPath = null;
    if (choices.uefi()) {
      nvram = new VolumeRef(pool.get(), nvramVolumeName(namespace, name));
      Optional<String> dir = paths.poolDirectory(pool.get());
      if (dir.isEmpty()) {
        problems.add("spec.firmware.bootMode: uefi keeps the NVRAM in a file of pool \"" + pool.get() + "\", which "
            + "on node " + nodeName + " is not a directory pool (dir, fs or netfs) or is not active; allowed pools: "
            + String.join(", ", new TreeSet<>(allowedPools)));
        return null;
      }
      nvramPath = dir.get() + "/" + nvram.volume();
    }
    if (problems.size() > before) {
      return null;
    }
    return new FirmwareDefinition(choices.bootMode(), choices.secureBoot(), choices.tpm(), nvram, nvramPath,
        choices.hasTpm() ? FirmwareChoices.tpmModel(machineType) : null,
        choices.hasTpm() ? new VolumeRef(pool.get(), tpmStateVolumeName(namespace, name)) : null);
  }
}
