package io.vguest.libvirt;

import io.vguest.domain.xml.HostCapabilities;
import io.vguest.libvirt.HypervisorException.Kind;
import java.util.Objects;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.Library;

/**
 * The host half of the {@link Hypervisor} port: libvirt's host and domain capabilities as XML (the
 * caller parses them) and the versions and identity of the node's libvirt and hypervisor.
 */
final class LibvirtHost {

  private final LibvirtConnection connection;

  LibvirtHost(LibvirtConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  String hostCapabilitiesXml() {
    return connection.call("read host capabilities", Connect::getCapabilities);
  }

  Optional<String> domainCapabilitiesXml(String machineType, String virtType) {
    return connection.call(
        "read domain capabilities",
        c -> {
          if (!NativeLibvirt.available(c)) {
            throw new HypervisorException(
                Kind.OTHER, "read domain capabilities: not reachable through this libvirt-java");
          }
          try {
            return Optional.of(NativeLibvirt.domainCapabilities(c, machineType, virtType));
          } catch (NativeLibvirt.NativeError e) {
            if (LibvirtErrors.is(e.error(), ErrorNumber.VIR_ERR_NO_SUPPORT)) {
              return Optional.empty();
            }
            throw e;
          }
        });
  }

  HostFacts hostFacts() {
    return connection.call(
        "read host facts",
        c ->
            new HostFacts(
                c.getURI(),
                version(Library.getVersion()),
                version(c.getLibVersion()),
                c.getType(),
                version(c.getVersion()),
                c.getHostName(),
                hostUuid(c.getCapabilities())));
  }

  /** libvirt's {@code major * 1,000,000 + minor * 1,000 + release} as {@code major.minor.release}. */
  static String version(long v) {
    if (v < 0) {
      return "unknown";
    }
    return (v / 1_000_000) + "." + (v / 1_000 % 1_000) + "." + (v % 1_000);
  }

  /** The {@code <host><uuid>} of a capabilities document, if present (read by the domain model). */
  static Optional<String> hostUuid(String capabilitiesXml) {
    String uuid;
    try {
      uuid = HostCapabilities.parse(capabilitiesXml).hostUuid();
    } catch (IllegalArgumentException unreadable) {
      return Optional.empty();
    }
    return uuid == null || uuid.isBlank() ? Optional.empty() : Optional.of(uuid);
  }
}
