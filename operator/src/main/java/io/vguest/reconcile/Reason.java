package io.vguest.reconcile;

/** Reasons of the guest's conditions, CamelCase as Kubernetes conventions ask. */
public enum Reason {
  /** The domain runs. */
  Running,
  /** The domain is shut off. */
  Stopped,
  /** The domain is paused or suspended. */
  Paused,
  /** The domain crashed. */
  Crashed,
  /** The domain is being shut down. */
  Stopping,
  /** The domain is not defined yet. */
  Defining,
  /** The domain is in a state this version does not know, or could not be read. */
  Unknown,
  /** The domain matches the spec. */
  UpToDate,
  /** The spec changed; the change waits for the guest to stop. */
  ChangesPending,
  /** The spec cannot be rendered as it stands (field, value and allowed values in the message). */
  Invalid,
  /** The guest names a GuestDeviceProfile that does not exist, and values are still unresolved. */
  ProfileNotFound,
  /** spec.nodeName names another node; the guest keeps running here until it is stopped. */
  MovePending,
  /** The guest moves here; another node (its claim annotation, and status.node) still holds it. */
  WaitingForPreviousNode,
  /** The domain moved away from this node. */
  Moved,
  /** An admin evacuated the guest from a node whose heartbeat expired. */
  Evacuated,
  /** A requested evacuation was refused because the node it names is alive. */
  EvacuationRefused,
  /** A device choice or machine type this node's hypervisor does not offer (property, value, what it offers). */
  UnsupportedByNode,
  /** Condition MachineTypeDeprecated: the node's QEMU marks the guest's machine type deprecated; it keeps running. */
  DeprecatedByNode,
  /** The spec carries an identity stamped for another guest (a copied manifest). */
  IdentityCopied,
  /** A MAC address of the guest is already used by another guest on this node. */
  DuplicateMacAddress,
  /** The spec still lacks stamped values. */
  NotStamped,
  /** Serial policy host on a node whose serial cannot be read. */
  HostSerialUnavailable,
  /** A volume the guest names (a kernel or initrd) does not exist in its pool on the node. */
  VolumeNotFound,
  /** A domain of the same name exists that vguest did not define; it is left alone. */
  ForeignDomain,
  /** libvirt rejected the domain (its XML, or a name or uuid already taken). */
  DomainRejected,
  /** No connection to libvirt right now; retried later. */
  HypervisorUnavailable,
  /** Another libvirt error. */
  HypervisorError;

  /** The reason a {@link io.vguest.guest.InvalidGuestException} names, Invalid when unknown. */
  public static Reason fromInvalid(String reason) {
    for (Reason r : values()) {
      if (r.name().equals(reason)) {
        return r;
      }
    }
    return Invalid;
  }
}
