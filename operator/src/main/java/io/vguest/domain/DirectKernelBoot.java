package io.vguest.domain;

import java.util.Objects;

/**
 * Direct kernel boot with the volumes already resolved to their paths on the node (libvirt's
 * {@code <kernel>} and {@code <initrd>} take paths, not pool volumes).
 *
 * @param kernel path of the kernel image on the node
 * @param initrd path of the initial ramdisk on the node, or null for none
 * @param cmdline kernel command line, or null for none
 */
public record DirectKernelBoot(String kernel, String initrd, String cmdline) {

  public DirectKernelBoot {
    Objects.requireNonNull(kernel, "kernel");
  }
}
