package io.vguest.domain;

import io.vguest.devices.InputBus;
import io.vguest.domain.xml.Input;
import java.util.Set;

/**
 * Names of devices in a guest's stamped address map ({@code spec.deviceAddresses}): the guest's own
 * names for its disks and NICs, libvirt's type (or PCI controller model) and index for the rest.
 */
public final class DeviceKeys {

  /** PCI controller models; their key names the model, as rendering them back needs it. */
  public static final Set<String> PCI_CONTROLLER_MODELS = Set.of("pcie-root-port", "pci-bridge", "pcie-to-pci-bridge",
      "dmi-to-pci-bridge", "pcie-switch-upstream-port", "pcie-switch-downstream-port", "pci-expander-bus",
      "pcie-expander-bus");

  private DeviceKeys() {}

  public static String disk(String name) {
    return "disk." + name;
  }

  public static String nic(String name) {
    return "interface." + name;
  }

  /** A controller: {@code controller.scsi.0}, {@code controller.pcie-root-port.3}. */
  public static String controller(String typeOrModel, int index) {
    return "controller." + typeOrModel + "." + index;
  }

  public static String video(int index) {
    return "video." + index;
  }

  public static String rng(int index) {
    return "rng." + index;
  }

  public static String memballoon() {
    return "memballoon.0";
  }

  public static String input(Input.Type type, InputBus bus) {
    return "input." + type.xml() + "." + bus.value();
  }
}
