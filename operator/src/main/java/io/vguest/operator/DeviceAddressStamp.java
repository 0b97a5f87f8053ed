package io.vguest.operator;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.reconcile.StampPatch;
import io.vguest.reconcile.SyncResult;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stamps the device addresses libvirt gave a guest's devices at a define into the guest's spec
 * ({@code spec.deviceAddresses}), with the same guarded, add-only patch as every other stamp, so
 * that every later definition on any node renders them.
 */
final class DeviceAddressStamp {

  private static final Logger LOG = LoggerFactory.getLogger(DeviceAddressStamp.class);
  private static final com.fasterxml.jackson.databind.ObjectMapper COPIER =
      new com.fasterxml.jackson.databind.ObjectMapper();

  private DeviceAddressStamp() {}

  /**
   * The guest as stored after the addresses were stamped; the guest itself when there was nothing
   * to stamp, or when the write was refused (the next sync takes them from the domain's metadata
   * again and stamps them then).
   */
  static VirtualGuest write(VirtualGuest guest, SyncResult result, GuestWriter writer, GuestHandler.Written written) {
    if (result.definition() == null) {
      return guest;
    }
    Map<String, String> stamped = guest.getSpec().deviceAddresses == null ? Map.of() : guest.getSpec().deviceAddresses;
    Map<String, String> given = result.definition().deviceAddresses();
    if (stamped.keySet().containsAll(given.keySet())) {
      return guest;
    }
    VirtualGuest withAddresses = COPIER.convertValue(guest, VirtualGuest.class);
    Map<String, String> merged = new TreeMap<>(given);
    merged.putAll(stamped);
    withAddresses.getSpec().deviceAddresses = merged;
    String patch = StampPatch.between(guest, withAddresses, null);
    if (patch == null) {
      return guest;
    }
    try {
      VirtualGuest stored = written.apply(writer.stamp(guest, patch));
      LOG.info("{}/{}: stamped device addresses {}", guest.getMetadata().getNamespace(), guest.getMetadata().getName(),
          new TreeMap<>(merged).keySet().stream().filter(k -> !stamped.containsKey(k)).toList());
      return stored;
    } catch (KubernetesClientException e) {
      LOG.info("{}/{}: device addresses not stamped yet ({}); tried at the next sync", guest.getMetadata()
          .getNamespace(), guest.getMetadata().getName(), e.getMessage());
      return guest;
    }
  }
}
