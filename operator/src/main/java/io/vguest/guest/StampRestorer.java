package io.vguest.guest;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vguest.api.v1alpha1.Devices;
import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.Firmware;
import io.vguest.api.v1alpha1.GuestIdentity;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.devices.DeviceChoices;
import io.vguest.domain.GuestMetadata;
import io.vguest.identity.SerialPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Puts stamped values back into a spec that lost them, from what the guest's domain records in
 * its vguest metadata, so that a whole-object replace ({@code kubectl replace}, Argo CD
 * {@code Replace=true}) of a manifest without them never yields a new identity or new devices.
 *
 * <p>It acts only when the stamp as a whole is gone ({@code spec.identity.stampedFor} unset) and
 * the metadata was made for this very guest: a single property removed on purpose (as
 * {@code kubectl vguest devices reset} does) is resolved afresh instead. It fills only unset
 * fields; what the spec says always wins.
 */
public final class StampRestorer {

  private static final ObjectMapper COPIER = new ObjectMapper();

  private StampRestorer() {}

  /** The guest with restored values, and the JSON pointers restored (empty when nothing was). */
  public record Restored(VirtualGuest guest, List<String> restored) {}

  public static Restored restore(VirtualGuest original, GuestMetadata recorded) {
    String self = GuestStamper.namespaceOf(original) + "/" + original.getMetadata().getName();
    GuestIdentity stamp = original.getSpec().identity;
    if (recorded == null || recorded.identity() == null || (stamp != null && stamp.stampedFor != null)
        || !self.equals(recorded.identity().stampedFor())) {
      return new Restored(original, List.of());
    }
    VirtualGuest guest = COPIER.convertValue(original, VirtualGuest.class);
    var spec = guest.getSpec();
    GuestMetadata.Identity identity = recorded.identity();
    List<String> restored = new ArrayList<>();

    if (spec.firmware == null) {
      spec.firmware = new Firmware();
    }
    if (spec.firmware.serialPolicy == null && identity.serialPolicy() != null) {
      spec.firmware.serialPolicy = SerialPolicy.fromValue(identity.serialPolicy());
      restored.add("/spec/firmware/serialPolicy");
    }
    if (spec.firmware.uuid == null && identity.uuid() != null) {
      spec.firmware.uuid = identity.uuid();
      restored.add("/spec/firmware/uuid");
    }
    if (spec.firmware.serial == null && identity.serial() != null
        && spec.firmware.serialPolicy == SerialPolicy.UNIQUE) {
      spec.firmware.serial = identity.serial();
      restored.add("/spec/firmware/serial");
    }

    FirmwareStamp.restore(spec.firmware, recorded.firmware(), restored);

    if (spec.identity == null) {
      spec.identity = new GuestIdentity();
    }
    spec.identity.stampedFor = identity.stampedFor();
    restored.add("/spec/identity/stampedFor");
    Map<String, String> serials = new TreeMap<>(spec.identity.diskSerials == null ? Map.of()
        : spec.identity.diskSerials);
    for (Disk disk : spec.disks == null ? List.<Disk>of() : spec.disks) {
      String recordedSerial = identity.diskSerials().get(disk.name);
      if (recordedSerial != null && disk.serial == null && !serials.containsKey(disk.name)) {
        serials.put(disk.name, recordedSerial);
        restored.add("/spec/identity/diskSerials/" + disk.name);
      }
    }
    spec.identity.diskSerials = serials.isEmpty() ? spec.identity.diskSerials : serials;
    Map<String, String> macs = new TreeMap<>(spec.identity.macAddresses == null ? Map.of()
        : spec.identity.macAddresses);
    for (NetworkInterface nic : spec.interfaces == null ? List.<NetworkInterface>of() : spec.interfaces) {
      String recordedMac = identity.macAddresses().get(nic.name);
      if (recordedMac != null && nic.macAddress == null && !macs.containsKey(nic.name)) {
        macs.put(nic.name, recordedMac);
        restored.add("/spec/identity/macAddresses/" + nic.name);
      }
    }
    spec.identity.macAddresses = macs.isEmpty() ? spec.identity.macAddresses : macs;
    Map<String, String> wwns = new TreeMap<>(spec.identity.diskWwns == null ? Map.of() : spec.identity.diskWwns);
    for (Disk disk : spec.disks == null ? List.<Disk>of() : spec.disks) {
      String recordedWwn = identity.diskWwns().get(disk.name);
      if (recordedWwn != null && disk.wwn == null && !wwns.containsKey(disk.name)) {
        wwns.put(disk.name, recordedWwn);
        restored.add("/spec/identity/diskWwns/" + disk.name);
      }
    }
    spec.identity.diskWwns = wwns.isEmpty() ? spec.identity.diskWwns : wwns;
    // A generation ID made for another restore count than the spec declares is made afresh instead.
    if (spec.identity.generationId == null && identity.generationId() != null
        && java.util.Objects.equals(identity.generationIdFor(), IdentityStamps.restoreGeneration(spec.identity))) {
      spec.identity.generationId = identity.generationId();
      spec.identity.generationIdFor = identity.generationIdFor();
      restored.add("/spec/identity/generationId");
    }

    DeviceChoices devices = recorded.devices();
    if (devices != null) {
      if (spec.devices == null) {
        spec.devices = new Devices();
      }
      DeviceChoices own = spec.devices.toChoices(spec.machineType);
      List<String> unset = own.unset();
      DeviceChoices merged = own.orElse(devices);
      for (String property : unset) {
        if (merged.asMap().containsKey(property)) {
          restored.add(property.equals("machineType") ? "/spec/machineType" : "/spec/devices/" + property);
        }
      }
      spec.machineType = merged.machineType();
      spec.devices.setFrom(merged);
    }
    // The pinned machine type, while the spec still asks for what it was resolved from.
    if (spec.identity.machineType == null && identity.machineType() != null
        && java.util.Objects.equals(identity.machineTypeFor(), spec.machineType)) {
      spec.identity.machineType = identity.machineType();
      spec.identity.machineTypeFor = identity.machineTypeFor();
      restored.add("/spec/identity/machineType");
    }
    return new Restored(guest, List.copyOf(restored));
  }
}
