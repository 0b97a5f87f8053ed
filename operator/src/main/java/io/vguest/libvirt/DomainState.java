package io.vguest.libvirt;

/** What a domain is doing, reduced to the states vguest acts on. */
public enum DomainState {
  /** Running or blocked on a resource. */
  RUNNING,
  /** Being shut down: the guest has been asked to power off and has not finished yet. */
  SHUTTING_DOWN,
  /** Shut off (defined, not running). */
  STOPPED,
  /** Paused by an admin or by libvirt, or suspended by the guest (S3/S4). */
  PAUSED,
  /** Crashed (only seen when on_crash is preserve). */
  CRASHED,
  /** No state or a state this version does not know. */
  OTHER
}
