package io.vguest.libvirt;

import static io.vguest.libvirt.LibvirtHandles.free;

import io.vguest.libvirt.HypervisorException.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The domain half of the {@link Hypervisor} port: look up, list, define, undefine, start, shut
 * down, destroy and read a domain's XML and metadata. A domain that disappears between two libvirt
 * calls (undefined, or a transient one that stopped) counts as gone, not as a failure.
 */
final class LibvirtDomains {

  private static final Logger LOG = LoggerFactory.getLogger(LibvirtDomains.class);

  private static final long SHUTDOWN_POLL_MILLIS = 200;

  // virDomainXMLFlags, virDomainModificationImpact, virDomainMetadataType, virDomainUndefineFlags
  private static final int XML_INACTIVE = 2;
  private static final int AFFECT_CURRENT = 0;
  private static final int AFFECT_CONFIG = 2;
  private static final int METADATA_ELEMENT = 2;
  private static final int UNDEFINE_MANAGED_SAVE = 1;
  private static final int UNDEFINE_SNAPSHOTS_METADATA = 2;
  private static final int UNDEFINE_KEEP_NVRAM = 8;
  private static final int UNDEFINE_CHECKPOINTS_METADATA = 16;

  @FunctionalInterface
  private interface DomainCall<T> {
    T apply(Domain d) throws LibvirtException;
  }

  private final LibvirtConnection connection;

  LibvirtDomains(LibvirtConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  Optional<DomainView> lookup(String domainName) {
    Objects.requireNonNull(domainName, "domainName");
    return connection.call(
        "look up domain '" + domainName + "'",
        c -> {
          Domain d = lookupOrNull(c, domainName);
          if (d == null) {
            return Optional.empty();
          }
          try {
            return Optional.of(view(d));
          } catch (LibvirtException e) {
            if (LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_NO_DOMAIN)) {
              return Optional.empty(); // undefined between lookup and read
            }
            throw e;
          } finally {
            free(d);
          }
        });
  }

  List<DomainView> listAll() {
    return connection.call(
        "list domains",
        c -> {
          Domain[] all = c.listAllDomains(0);
          List<DomainView> views = new ArrayList<>(all.length);
          try {
            for (Domain d : all) {
              try {
                views.add(view(d));
              } catch (LibvirtException e) {
                if (!LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                  throw e;
                }
              }
            }
          } finally {
            for (Domain d : all) {
              free(d);
            }
          }
          return views;
        });
  }

  DomainView define(String domainXml) {
    Objects.requireNonNull(domainXml, "domainXml");
    return connection.call(
        "define domain",
        c -> {
          Domain d;
          if (NativeLibvirt.available(c)) {
            String uuid = NativeLibvirt.defineXml(c, domainXml, NativeLibvirt.VIR_DOMAIN_DEFINE_VALIDATE);
            d = c.domainLookupByUUIDString(uuid);
          } else {
            d = c.domainDefineXML(domainXml);
          }
          try {
            return view(d);
          } finally {
            free(d);
          }
        });
  }

  boolean undefine(String domainName) {
    return connection.call(
        "undefine domain '" + domainName + "'",
        c -> {
          Domain d = lookupOrNull(c, domainName);
          if (d == null) {
            return false;
          }
          try {
            if (d.isPersistent() != 1) {
              return false;
            }
            int flags = UNDEFINE_MANAGED_SAVE | UNDEFINE_SNAPSHOTS_METADATA | UNDEFINE_CHECKPOINTS_METADATA;
            if (d.getXMLDesc(XML_INACTIVE).contains("<nvram")) {
              // The variable store is the guest's own pool volume: it moves with the guest and is
              // deleted only with it. (Without a flag libvirt refuses to undefine a domain with NVRAM.)
              flags |= UNDEFINE_KEEP_NVRAM;
            }
            try {
              d.undefine(flags);
            } catch (LibvirtException e) {
              ErrorNumber code = LibvirtErrors.code(e.getError());
              if (code != ErrorNumber.VIR_ERR_INVALID_ARG && code != ErrorNumber.VIR_ERR_NO_SUPPORT) {
                throw e;
              }
              // a driver without these flags, e.g. the test driver refuses NVRAM (it keeps no files)
              d.undefine(0);
            }
            LOG.debug("undefined domain {} (flags {})", domainName, flags);
            return true;
          } finally {
            free(d);
          }
        });
  }

  void start(String domainName) {
    withDomain(
        "start domain '" + domainName + "'",
        domainName,
        d -> {
          if (d.isActive() != 1) {
            d.create();
          }
          return null;
        });
  }

  boolean shutdown(String domainName, Duration grace) {
    Objects.requireNonNull(grace, "grace");
    String what = "shut down domain '" + domainName + "'";
    Optional<DomainState> state = stateOf(domainName);
    if (state.isEmpty() || state.get() == DomainState.STOPPED) {
      return true;
    }
    if (state.get() == DomainState.PAUSED || state.get() == DomainState.CRASHED) {
      // a paused or crashed guest cannot react to the power button
      destroy(domainName);
      return false;
    }
    try {
      withDomain(
          what,
          domainName,
          d -> {
            d.shutdown();
            return null;
          });
    } catch (HypervisorException e) {
      if (e.kind() != Kind.INVALID_STATE && e.kind() != Kind.NOT_FOUND) {
        throw e;
      }
      // stopped in the meantime; the state check below decides
    }
    long deadline = System.nanoTime() + grace.toNanos();
    while (true) {
      Optional<DomainState> now = stateOf(domainName);
      if (now.isEmpty() || now.get() == DomainState.STOPPED) {
        LOG.debug("domain {} shut down gracefully", domainName);
        return true;
      }
      long remainingMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (remainingMillis <= 0) {
        break;
      }
      try {
        Thread.sleep(Math.min(SHUTDOWN_POLL_MILLIS, remainingMillis));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HypervisorException(Kind.OTHER, what + ": interrupted while waiting", null, e);
      }
    }
    LOG.info("domain {} did not shut down within {}; forcing it off", domainName, grace);
    destroy(domainName);
    return false;
  }

  void destroy(String domainName) {
    withDomain(
        "destroy domain '" + domainName + "'",
        domainName,
        d -> {
          if (d.isActive() != 1) {
            return null;
          }
          try {
            d.destroy();
          } catch (LibvirtException e) {
            if (!LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_OPERATION_INVALID)
                || d.isActive() == 1) {
              throw e;
            }
          }
          return null;
        });
  }

  String dumpXml(String domainName) {
    return withDomain("dump XML of domain '" + domainName + "'", domainName, d -> d.getXMLDesc(XML_INACTIVE));
  }

  Optional<String> metadata(String domainName, String namespaceUri) {
    Objects.requireNonNull(namespaceUri, "namespaceUri");
    return withDomain(
        "read metadata of domain '" + domainName + "'",
        domainName,
        d -> readMetadata(d, namespaceUri, d.isPersistent() == 1));
  }

  private <T> T withDomain(String what, String name, DomainCall<T> fn) {
    Objects.requireNonNull(name, "domainName");
    return connection.call(
        what,
        c -> {
          Domain d = c.domainLookupByName(name);
          try {
            return fn.apply(d);
          } finally {
            free(d);
          }
        });
  }

  private Optional<DomainState> stateOf(String domainName) {
    try {
      return Optional.of(
          withDomain("read state of domain '" + domainName + "'", domainName, d -> stateOf(d.getInfo())));
    } catch (HypervisorException e) {
      if (e.kind() == Kind.NOT_FOUND) {
        return Optional.empty(); // a transient domain disappears when it stops
      }
      throw e;
    }
  }

  private static Domain lookupOrNull(Connect c, String name) throws LibvirtException {
    try {
      return c.domainLookupByName(name);
    } catch (LibvirtException e) {
      if (LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_NO_DOMAIN)) {
        return null;
      }
      throw e;
    }
  }

  private static DomainView view(Domain d) throws LibvirtException {
    boolean persistent = d.isPersistent() == 1;
    return new DomainView(
        d.getName(),
        d.getUUIDString(),
        stateOf(d.getInfo()),
        persistent,
        readMetadata(d, Hypervisor.VGUEST_NAMESPACE, persistent));
  }

  private static Optional<String> readMetadata(Domain d, String namespaceUri, boolean persistent)
      throws LibvirtException {
    try {
      return Optional.ofNullable(
          d.getMetadata(METADATA_ELEMENT, namespaceUri, persistent ? AFFECT_CONFIG : AFFECT_CURRENT));
    } catch (LibvirtException e) {
      if (LibvirtErrors.is(e.getError(), ErrorNumber.VIR_ERR_NO_DOMAIN_METADATA)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static DomainState stateOf(DomainInfo info) {
    if (info == null || info.state == null) {
      return DomainState.OTHER;
    }
    switch (info.state) {
      case VIR_DOMAIN_RUNNING:
      case VIR_DOMAIN_BLOCKED:
        return DomainState.RUNNING;
      case VIR_DOMAIN_SHUTDOWN:
        return DomainState.SHUTTING_DOWN;
      case VIR_DOMAIN_SHUTOFF:
        return DomainState.STOPPED;
      case VIR_DOMAIN_PAUSED:
      case VIR_DOMAIN_PMSUSPENDED:
        return DomainState.PAUSED;
      case VIR_DOMAIN_CRASHED:
        return DomainState.CRASHED;
      default:
        return DomainState.OTHER;
    }
  }
}
