package io.vguest.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.w3c.dom.Element;

/**
 * The x86_64 machine types a node's QEMU offers and which of them QEMU marks deprecated, read from
 * libvirt's capabilities ({@code <machine deprecated='yes'>pc-i440fx-1.5</machine>}).
 */
public record OfferedMachineTypes(List<String> all, List<String> deprecated) {

  public OfferedMachineTypes {
    all = List.copyOf(all);
    deprecated = List.copyOf(deprecated);
  }

  public static OfferedMachineTypes parse(String capabilitiesXml) {
    TreeSet<String> all = new TreeSet<>();
    TreeSet<String> deprecated = new TreeSet<>();
    for (Element machine : NodeFactsReader.x86Machines(capabilitiesXml)) {
      String name = machine.getTextContent().trim();
      all.add(name);
      if ("yes".equals(machine.getAttribute("deprecated"))) {
        deprecated.add(name);
      }
    }
    return new OfferedMachineTypes(new ArrayList<>(all), new ArrayList<>(deprecated));
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
