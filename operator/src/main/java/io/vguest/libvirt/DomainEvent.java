package io.vguest.libvirt;

import java.util.Objects;

/**
 * A domain lifecycle event.
 *
 * @param domainName name of the domain
 * @param uuid uuid of the domain, lower case with dashes
 * @param kind what happened
 * @param detail libvirt's detail for the event in upper case (e.g. {@code SHUTDOWN},
 *     {@code DESTROYED}, {@code BOOTED}), or {@code UNKNOWN}
 */
public record DomainEvent(String domainName, String uuid, Kind kind, String detail) {

  /** The kinds of lifecycle event libvirt reports. */
  public enum Kind {
    DEFINED,
    UNDEFINED,
    STARTED,
    SUSPENDED,
    RESUMED,
    STOPPED,
    SHUTDOWN,
    PMSUSPENDED,
    CRASHED,
    OTHER
  }

  public DomainEvent {
    Objects.requireNonNull(domainName, "domainName");
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }
}
