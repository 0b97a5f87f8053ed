package io.vguest.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vguest.api.v1alpha1.VirtualGuest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.deviceAddresses as the agent checks it: keys, forms and collisions, each message naming the entry. */
class DeviceAddressValidatorTest {

  private final GuestValidator validator = new GuestValidator(null);

  private List<String> problems(Map<String, String> addresses) {
    VirtualGuest guest = TestGuests.guest(TestGuests.LINUX);
    guest.getSpec().deviceAddresses = addresses;
    return validator.validate(guest).stream().map(Violation::toString)
        .filter(v -> v.startsWith("spec.deviceAddresses")).toList();
  }

  @Test
  void validAddressesPass() {
    assertEquals(List.of(), problems(Map.of("disk.root", "pci:0000:04:00.0", "interface.eth0", "pci:0000:01:00.0",
        "controller.pcie-root-port.1", "pci:0000:00:01.0", "input.tablet.usb", "usb:0:1", "memballoon.0",
        "pci:0000:05:00.0")));
  }

  @Test
  void aMalformedAddressIsRefusedNamingTheForms() {
    assertEquals(List.of("spec.deviceAddresses[disk.root]: Invalid value: \"0000:04:00.0\": allowed: pci:DDDD:BB:SS.F "
        + "(hex, e.g. pci:0000:04:00.0), drive:CONTROLLER:BUS:TARGET:UNIT (e.g. drive:0:0:0:1) or usb:BUS:PORT (e.g. "
        + "usb:0:1)"), problems(Map.of("disk.root", "0000:04:00.0")));
  }

  @Test
  void aKeyThatNamesNoDeviceIsRefused() {
    List<String> problems = problems(Map.of("disk/root", "pci:0000:04:00.0"));
    assertEquals(1, problems.size(), problems.toString());
    assertEquals(true, problems.get(0).startsWith("spec.deviceAddresses: Invalid value: \"disk/root\": every key must "
        + "name a device"), problems.get(0));
  }

  @Test
  void twoDevicesOnOneAddressAreRefusedButAGoneDisksEntryDoesNotCount() {
    assertEquals(List.of("spec.deviceAddresses[interface.eth0]: Duplicate value: \"pci:0000:04:00.0\": "
        + "spec.deviceAddresses[disk.root] has the same address; two devices cannot share one"),
        problems(Map.of("disk.root", "pci:0000:04:00.0", "interface.eth0", "pci:0000:04:00.0")));
    assertEquals(List.of(), problems(Map.of("disk.removed-long-ago", "pci:0000:04:00.0", "interface.eth0",
        "pci:0000:04:00.0")), "the entry of a removed disk is kept, not rendered, and frees its address");
  }
}
