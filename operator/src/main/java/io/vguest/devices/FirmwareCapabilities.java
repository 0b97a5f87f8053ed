package io.vguest.devices;

import java.util.List;

/**
 * What a node's libvirt reports under {@code <os>} of its domain capabilities: the firmware it can
 * autoselect ({@code <enum name='firmware'>}, {@code efi} once OVMF and its descriptors in
 * {@code /usr/share/qemu/firmware} are installed) and whether a Secure Boot build exists for the
 * machine type ({@code <loader><enum name='secure'>} lists {@code yes}).
 *
 * @param firmware values of {@code <enum name='firmware'>}, e.g. {@code [efi]}; empty without OVMF
 * @param loaderSecure values of {@code <loader><enum name='secure'>}: {@code [yes, no]} or {@code [no]}
 */
public record FirmwareCapabilities(List<String> firmware, List<String> loaderSecure) {

  public FirmwareCapabilities {
    firmware = List.copyOf(firmware);
    loaderSecure = List.copyOf(loaderSecure);
  }

  public boolean efi() {
    return firmware.contains("efi");
  }

  public boolean secureBoot() {
    return loaderSecure.contains("yes");
  }
}
