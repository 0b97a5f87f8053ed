package io.vguest.libvirt;

import java.util.Objects;
import java.util.Optional;

/**
 * Facts about the node and its libvirt, for status, logs and support requests.
 *
 * @param uri the connection URI libvirt reports (e.g. {@code qemu:///system})
 * @param libraryVersion version of the libvirt library loaded in this process, e.g. {@code 9.0.0}
 * @param daemonVersion version of libvirt on the other end of the connection (the daemon; the
 *     library itself for in-process drivers)
 * @param hypervisorType hypervisor driver name, e.g. {@code QEMU} or {@code TEST}
 * @param hypervisorVersion hypervisor version, e.g. {@code 7.2.0} for QEMU 7.2
 * @param hostname the host name libvirt reports
 * @param hostUuid the host uuid from the capabilities ({@code <host><uuid>}); empty when the driver
 *     reports none (the test driver)
 */
public record HostFacts(
    String uri,
    String libraryVersion,
    String daemonVersion,
    String hypervisorType,
    String hypervisorVersion,
    String hostname,
    Optional<String> hostUuid) {

  public HostFacts {
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(libraryVersion, "libraryVersion");
    Objects.requireNonNull(daemonVersion, "daemonVersion");
    Objects.requireNonNull(hypervisorType, "hypervisorType");
    Objects.requireNonNull(hypervisorVersion, "hypervisorVersion");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(hostUuid, "hostUuid");
  }
}
