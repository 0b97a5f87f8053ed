package io.vguest.libvirt;

import java.util.Objects;
import java.util.Optional;

/**
 * What vguest needs to know about one libvirt domain.
 *
 * @param name domain name
 * @param uuid domain uuid, lower case with dashes
 * @param state current state
 * @param persistent whether the domain has a persistent config (false for a transient domain)
 * @param vguestMetadataXml the vguest metadata element (namespace {@link Hypervisor#VGUEST_NAMESPACE})
 *     of the persistent config, as libvirt returns it (without the namespace prefix); empty for a
 *     domain vguest did not define
 */
public record DomainView(
    String name,
    String uuid,
    DomainState state,
    boolean persistent,
    Optional<String> vguestMetadataXml) {

  public DomainView {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(vguestMetadataXml, "vguestMetadataXml");
  }

  /** Whether vguest defined this domain (it carries vguest metadata). */
  public boolean managedByVguest() {
    return vguestMetadataXml.isPresent();
  }
}
