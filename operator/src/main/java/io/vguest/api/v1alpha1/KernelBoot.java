package io.vguest.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * Direct kernel boot: the firmware loads a kernel (and initrd) from pool volumes instead of a boot
 * loader from a disk, like KubeVirt's {@code kernelBoot}. Disks stay attached as usual.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public class KernelBoot {

  @JsonPropertyDescription("Volume holding the kernel image (e.g. a vmlinuz), in a pool the node allows. Its path on "
      + "the node is looked up when the domain is defined. Changes apply at the next stop.")
  @Required
  public VolumeSource kernel;

  @JsonPropertyDescription("Volume holding the initial ramdisk, in a pool the node allows. Unset: no initrd. Changes "
      + "apply at the next stop.")
  public VolumeSource initrd;

  @JsonPropertyDescription("Kernel command line, e.g. \"console=ttyS0 root=/dev/vda1\". Printable text without control "
      + "characters, at most 2047 characters. Unset: empty. Changes apply at the next stop.")
  @Pattern(Patterns.KERNEL_CMDLINE)
  @Size(max = Patterns.KERNEL_CMDLINE_MAX)
  public String cmdline;
}
