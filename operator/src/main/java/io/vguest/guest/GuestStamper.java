package io.vguest.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vguest.api.v1alpha1.Devices;
import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.Firmware;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DeviceResolver;
import io.vguest.devices.OsFamily;
import io.vguest.devices.OsFamilyDefaults;
import io.vguest.identity.DeviceIdentities;
import io.vguest.identity.IdentityGenerator;
import io.vguest.identity.IdentityOwner;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves everything a guest leaves unset (identity, OS family, serial policy, machine type,
 * devices) and fills it into a copy of the guest's spec. Only unset fields are filled: a value
 * already in the spec, written by the user or stamped earlier, is never changed. The same code runs
 * in the node agent before the first define and in {@code vguest render}.
 */
public final class GuestStamper {

  private static final ObjectMapper COPIER = new ObjectMapper();

  private final GuestSettings settings;
  private final IdentityGenerator identity;
  private final DeviceResolver devices;

  public GuestStamper(GuestSettings settings, NodeFacts node) {
    this.settings = settings;
    this.identity = new IdentityGenerator(settings.identitySeed());
    this.devices = new DeviceResolver(node.machineAliases());
  }

  /**
   * The stamped guest and the JSON pointers of the fields that were filled (empty when the guest
   * was already complete).
   */
  public record Stamp(VirtualGuest guest, List<String> filled) {
    public boolean changed() {
      return !filled.isEmpty();
    }
  }

  public Stamp stamp(VirtualGuest original, GuestDeviceProfile profile) {
    VirtualGuest guest = COPIER.convertValue(original, VirtualGuest.class);
    VirtualGuestSpec spec = guest.getSpec();
    String namespace = namespaceOf(guest);
    String name = guest.getMetadata().getName();
    var profileSpec = profile == null ? null : profile.getSpec();
    List<String> filled = new ArrayList<>();
    boolean stampedBefore = spec.identity != null && spec.identity.stampedFor != null;

    if (spec.osFamily == null) {
      spec.osFamily = profileSpec != null && profileSpec.osFamily != null ? profileSpec.osFamily
          : OsFamilyDefaults.DEFAULT_FAMILY;
      filled.add("/spec/osFamily");
    }

    if (spec.firmware == null) {
      spec.firmware = new Firmware();
    }
    Firmware firmware = spec.firmware;
    if (firmware.serialPolicy == null) {
      firmware.serialPolicy = profileSpec != null && profileSpec.serialPolicy != null ? profileSpec.serialPolicy
          : settings.defaultSerialPolicy();
      filled.add("/spec/firmware/serialPolicy");
    }
    if (firmware.uuid == null) {
      firmware.uuid = identity.firmwareUuid(namespace, name);
      filled.add("/spec/firmware/uuid");
    }
    if (firmware.serial == null && firmware.serialPolicy.stampsSerial()) {
      firmware.serial = identity.systemSerial(namespace, name);
      filled.add("/spec/firmware/serial");
    }

    stampDevices(spec, profileSpec == null ? DeviceChoices.NONE : profileSpec.toChoices(profileSpec.machineType),
        filled);
    FirmwareStamp.stamp(spec, profileSpec, stampedBefore, filled);

    if (spec.identity == null) {
      spec.identity = new GuestIdentity();
    }
    GuestIdentity stamped = spec.identity;
    if (stamped.stampedFor == null) {
      stamped.stampedFor = IdentityOwner.of(namespace, name);
      filled.add("/spec/identity/stampedFor");
    }
    stamped.diskSerials = DeviceIdentities.fill(stamped.diskSerials,
        spec.disks.stream().filter(GuestStamper::needsGeneratedSerial).map(disk -> disk.name).toList(),
        disk -> identity.diskSerial(namespace, name, disk), "/spec/identity/diskSerials", filled);
    List<NetworkInterface> nics = spec.interfaces == null ? List.of() : spec.interfaces;
    stamped.macAddresses = DeviceIdentities.fill(stamped.macAddresses,
        nics.stream().filter(nic -> nic.macAddress == null).map(nic -> nic.name).toList(),
        nic -> identity.macAddress(namespace, name, nic), "/spec/identity/macAddresses", filled);
    MachineTypePin.stamp(spec, devices, filled);
    IdentityStamps.stampGenerationId(stamped, identity, namespace, name, filled);
    IdentityStamps.stampDiskWwns(spec, identity, namespace, name, filled);
    return new Stamp(guest, List.copyOf(filled));
  }

  private void stampDevices(VirtualGuestSpec spec, DeviceChoices profile, List<String> filled) {
    if (spec.devices == null) {
      spec.devices = new Devices();
    }
    DeviceChoices own = spec.devices.toChoices(spec.machineType);
    DeviceChoices resolved = devices.resolve(own, profile, spec.osFamily);
    for (String property : own.unset()) {
      filled.add(property.equals("machineType") ? "/spec/machineType" : "/spec/devices/" + property);
    }
    if (spec.machineType == null) {
      spec.machineType = resolved.machineType();
    }
    spec.devices.setFrom(resolved);
  }

  /** Floppies show no serial and external volumes use their volume id; every other drive gets one. */
  static boolean needsGeneratedSerial(Disk disk) {
    return DeviceIdentities.needsGeneratedSerial(disk.serial != null, disk.role,
        disk.source != null && disk.source.external != null);
  }

  static String namespaceOf(VirtualGuest guest) {
    String namespace = guest.getMetadata().getNamespace();
    return namespace == null || namespace.isEmpty() ? "default" : namespace;
  }

  /** The OS family a stamped guest has (stamping always sets it). */
  static OsFamily familyOf(VirtualGuestSpec spec) {
    return spec.osFamily == null ? OsFamilyDefaults.DEFAULT_FAMILY : spec.osFamily;
  }
}
