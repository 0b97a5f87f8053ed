package io.vguest.libvirt;

import java.util.List;

/**
 * The two answers the node device check ({@code reconcile.NodeDeviceSupport}) needs from this
 * package's capabilities readers, which are package-private: which machine types the node offers,
 * and the hypervisor's version as a number.
 */
public final class NodeCapabilityReaders {

  private NodeCapabilityReaders() {}

  /**
   * The machine types the node's QEMU offers of the same family as {@code machineType} (all of
   * them when none shares its family), from libvirt's host capabilities XML.
   */
  public static List<String> offeredMachineTypesLike(String capabilitiesXml, String machineType) {
    return OfferedMachineTypes.parse(capabilitiesXml).sameFamilyAs(machineType);
  }

  /** "9.0.0" to 9000000, libvirt's own version encoding; 0 when unreadable. */
  public static long versionNumber(String version) {
    return NodeFactsReader.versionNumber(version);
  }
}
