package io.vguest.libvirt;

/** Fault injection into a real libvirt connection, for tests of other packages. */
public final class LibvirtFaults {

  private LibvirtFaults() {}

  /** Behaves as if the daemon went away: calls fail fast and the hypervisor reconnects in the background. */
  public static void dropConnection(LibvirtHypervisor hypervisor) {
    hypervisor.onConnectionLost();
  }
}
