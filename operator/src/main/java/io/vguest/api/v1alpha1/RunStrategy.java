package io.vguest.api.v1alpha1;

/** Whether the operator keeps a guest running (names as in KubeVirt's runStrategy). */
public enum RunStrategy {
  /** Started whenever it is found stopped. */
  Always,
  /** Shut down gracefully, then forced off after a timeout. */
  Halted,
  /** Power state is left to the user (virsh, the guest itself). */
  Manual
}
