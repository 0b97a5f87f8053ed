package io.vguest.domain;

import io.vguest.domain.xml.Address;
import io.vguest.domain.xml.Controller;
import io.vguest.domain.xml.DeviceList;
import io.vguest.domain.xml.Disk;
import io.vguest.domain.xml.Domain;
import io.vguest.domain.xml.Input;
import io.vguest.domain.xml.Interface;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads back the addresses libvirt gave a defined domain's devices, keyed as the guest's spec keeps
 * them ({@link DeviceKeys}): disks by the guest's disk names (found by target device), NICs by
 * interface name (found by MAC), everything else by libvirt's type and index. Devices that are not
 * the guest's own (the rescue disk) and address types vguest does not keep (drive, isa, ...) are
 * left out.
 */
public final class DeviceAddressReader {

  /**
   * Controllers whose addresses are kept besides the PCI ones. Not the USB controller: written
   * without its model, libvirt would make q35's qemu-xhci a piix3-uhci (checked on libvirt 9.0), so
   * it is left to libvirt's default placement.
   */
  private static final Set<Controller.Type> KEPT_CONTROLLERS = Set.of(Controller.Type.SCSI, Controller.Type.SATA,
      Controller.Type.IDE);

  private DeviceAddressReader() {}

  public static SortedMap<String, String> read(String domainXml, GuestDefinition definition) {
    return read(Domain.parse(domainXml), definition);
  }

  public static SortedMap<String, String> read(Domain domain, GuestDefinition definition) {
    Map<String, String> diskByTarget = new HashMap<>();
    List<DiskDefinition> attached = DomainRenderer.attached(definition);
    List<Disk> targets = DomainRenderer.disks(attached);
    for (int i = 0; i < attached.size(); i++) {
      if (!GuestDefinition.RESCUE_SERIAL.equals(attached.get(i).serial())) {
        diskByTarget.put(targets.get(i).targetDev(), attached.get(i).name());
      }
    }
    Map<String, String> nicByMac = new HashMap<>();
    definition.interfaces().forEach(nic -> nicByMac.put(nic.macAddress().toLowerCase(Locale.ROOT), nic.name()));

    SortedMap<String, String> addresses = new TreeMap<>();
    DeviceList devices = domain.devices();
    for (Disk disk : devices.disks()) {
      String name = diskByTarget.get(disk.targetDev());
      put(addresses, name == null ? null : DeviceKeys.disk(name), disk.address());
    }
    for (Interface nic : devices.interfaces()) {
      String name = nic.mac() == null ? null : nicByMac.get(nic.mac().toLowerCase(Locale.ROOT));
      put(addresses, name == null ? null : DeviceKeys.nic(name), nic.address());
    }
    for (Controller c : devices.controllers()) {
      if (c.type() == Controller.Type.PCI) {
        put(addresses, DeviceKeys.PCI_CONTROLLER_MODELS.contains(c.model()) ? DeviceKeys.controller(c.model(), c.index())
            : null, c.address());
      } else if (KEPT_CONTROLLERS.contains(c.type())) {
        put(addresses, DeviceKeys.controller(c.type().xml(), c.index()), c.address());
      }
    }
    if (devices.video() != null) {
      put(addresses, DeviceKeys.video(0), devices.video().address());
    }
    if (devices.rng() != null) {
      put(addresses, DeviceKeys.rng(0), devices.rng().address());
    }
    if (devices.memballoon() != null) {
      put(addresses, DeviceKeys.memballoon(), devices.memballoon().address());
    }
    for (Input input : devices.inputs()) {
      put(addresses, DeviceKeys.input(input.type(), input.bus()), input.address());
    }
    return addresses;
  }

  private static void put(SortedMap<String, String> addresses, String key, Address address) {
    // Drive addresses follow the target names vguest hands out in disk order (sda is unit 0), so
    // they are left to libvirt: keeping one while its target name moves would collide.
    if (key != null && address != null && address.at().type() != DeviceAddress.Type.DRIVE) {
      addresses.put(key, address.at().text());
    }
  }
}
