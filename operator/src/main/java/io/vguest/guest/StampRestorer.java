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
import io.vguest.identity.DeviceIdentities;
import io.vguest.identity.IdentityOwner;
import io.vguest.identity.SerialPolicy;
import java.util.ArrayList;
import java.util.List;

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
    String self = IdentityRenewal.self(original);
    GuestIdentity stamp = original.getSpec().identity;
    if (recorded == null || recorded.identity() == null
        || !IdentityOwner.restorable(self, stamp == null ? null : stamp.stampedFor, recorded.identity().stampedFor())) {
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
        && spec.firmware.serialPolicy != null && spec.firmware.serialPolicy.stampsSerial()) {
      spec.firmware.serial = identity.serial();
      restored.add("/spec/firmware/serial");
    }

    FirmwareStamp.restore(spec.firmware, recorded.firmware(), restored);

    if (spec.identity == null) {
      spec.identity = new GuestIdentity();
    }
    spec.identity.stampedFor = identity.stampedFor();
    restored.add("/spec/identity/stampedFor");
    List<Disk> disks = spec.disks == null ? List.of() : spec.disks;
    List<NetworkInterface> nics = spec.interfaces == null ? List.of() : spec.interfaces;
    spec.identity.diskSerials = DeviceIdentities.restore(spec.identity.diskSerials,
        disks.stream().filter(disk -> disk.serial == null).map(disk -> disk.name).toList(), identity.diskSerials(),
        "/spec/identity/diskSerials", restored);
    spec.identity.macAddresses = DeviceIdentities.restore(spec.identity.macAddresses,
        nics.stream().filter(nic -> nic.macAddress == null).map(nic -> nic.name).toList(), identity.macAddresses(),
        "/spec/identity/macAddresses", restored);
    spec.identity.diskWwns = DeviceIdentities.restore(spec.identity.diskWwns,
        disks.stream().filter(disk -> disk.wwn == null).map(disk -> disk.name).toList(), identity.diskWwns(),
        "/spec/identity/diskWwns", restored);
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
