package io.vguest.domain;

import java.util.List;

/**
 * The x86_64 machine types a node's QEMU offers and which of them QEMU marks deprecated, as
 * libvirt's capabilities list them ({@code <machine deprecated='yes'>pc-i440fx-1.5</machine>}; read
 * by {@link io.vguest.domain.xml.HostCapabilities}).
 */
public record OfferedMachineTypes(List<String> all, List<String> deprecated) {

  public OfferedMachineTypes {
    all = List.copyOf(all);
    deprecated = List.copyOf(deprecated);
  }

  /**
   * The offered types of the same family as {@code machineType} (pc-q35-7.2: every pc-q35-*), so a
   * refusal names the choices that matter instead of sixty; all of them when none shares its family.
   */
  public List<String> sameFamilyAs(String machineType) {
    int lastDash = machineType.lastIndexOf('-');
    String family = lastDash > 0 ? machineType.substring(0, lastDash + 1) : machineType;
    List<String> same = all.stream().filter(m -> m.startsWith(family)).toList();
    return same.isEmpty() ? all : same;
  }
}
