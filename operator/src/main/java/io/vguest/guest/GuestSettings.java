package io.vguest.guest;

import io.vguest.domain.VirtType;
import io.vguest.identity.SerialPolicy;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Cluster- and agent-wide settings that shape how guests are resolved and rendered.
 *
 * @param identitySeed secret of the cluster from which generated identity is derived; a disaster
 *     recovery cluster configured with the same seed re-creates guests with the same identity
 * @param allowedPools libvirt storage pools guests of every namespace may use on this node
 * @param poolGrants storage pools only some namespaces may use: pool → those namespaces
 * @param exposeChassisSerial put the node's serial into the chassis serial of unique-policy guests
 * @param exposeHostId add an opaque per-namespace host id to the guests' OEM strings
 * @param consoleLogDir directory for serial console log files, or null for pty consoles
 */
public record GuestSettings(
    String identitySeed,
    VirtType virtType,
    SerialPolicy defaultSerialPolicy,
    SmbiosDefaults smbios,
    boolean exposeChassisSerial,
    boolean exposeHostId,
    Set<String> allowedPools,
    Map<String, Set<String>> poolGrants,
    String operatorVersion,
    String consoleLogDir) {

  /** SMBIOS system strings every guest gets. */
  public record SmbiosDefaults(String manufacturer, String product, String version, String family) {
    public static final SmbiosDefaults VGUEST = new SmbiosDefaults("vguest", "vguest virtual machine",
        OperatorVersion.get(), "vguest");
  }

  public GuestSettings {
    Objects.requireNonNull(identitySeed, "identitySeed");
    Objects.requireNonNull(virtType, "virtType");
    Objects.requireNonNull(defaultSerialPolicy, "defaultSerialPolicy");
    Objects.requireNonNull(smbios, "smbios");
    allowedPools = Set.copyOf(allowedPools);
    poolGrants = new PoolGrants(Set.of(), poolGrants == null ? Map.of() : poolGrants).byPool();
  }

  public static GuestSettings defaults(String identitySeed) {
    return new GuestSettings(identitySeed, VirtType.QEMU, SerialPolicy.UNIQUE, SmbiosDefaults.VGUEST, false, true,
        Set.of("default"), Map.of(), OperatorVersion.get(), null);
  }

  public GuestSettings withAllowedPools(Set<String> pools) {
    return new GuestSettings(identitySeed, virtType, defaultSerialPolicy, smbios, exposeChassisSerial, exposeHostId,
        pools, poolGrants, operatorVersion, consoleLogDir);
  }

  /** These settings with pools only the namespaces named for them may use (pool → namespaces). */
  public GuestSettings withPoolGrants(Map<String, Set<String>> grants) {
    return new GuestSettings(identitySeed, virtType, defaultSerialPolicy, smbios, exposeChassisSerial, exposeHostId,
        allowedPools, grants, operatorVersion, consoleLogDir);
  }

  /** Which namespaces may use which pools: the pools of every namespace plus the grants. */
  public PoolGrants pools() {
    return new PoolGrants(allowedPools, poolGrants);
  }

  public GuestSettings withVirtType(VirtType type) {
    return new GuestSettings(identitySeed, type, defaultSerialPolicy, smbios, exposeChassisSerial, exposeHostId,
        allowedPools, poolGrants, operatorVersion, consoleLogDir);
  }

  public GuestSettings withSeed(String seed) {
    return new GuestSettings(seed, virtType, defaultSerialPolicy, smbios, exposeChassisSerial, exposeHostId,
        allowedPools, poolGrants, operatorVersion, consoleLogDir);
  }

  public GuestSettings withChassisSerial(boolean expose) {
    return new GuestSettings(identitySeed, virtType, defaultSerialPolicy, smbios, expose, exposeHostId,
        allowedPools, poolGrants, operatorVersion, consoleLogDir);
  }
}
