package io.vguest.guest;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Quantity;
import io.vguest.api.v1alpha1.Disk;
import io.vguest.api.v1alpha1.DiskSource;
import io.vguest.api.v1alpha1.KernelBoot;
import io.vguest.api.v1alpha1.NetworkInterface;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import io.vguest.api.v1alpha1.VolumeSource;
import io.vguest.devices.DeviceChoices;
import io.vguest.devices.DeviceResolver;
import io.vguest.devices.DeviceRules;
import io.vguest.devices.DiskBus;
import io.vguest.devices.DiskRole;
import io.vguest.devices.OsFamily;
import io.vguest.devices.VifModel;
import io.vguest.domain.DiskDefinition;
import io.vguest.domain.DiskDefinition.VolumeRef;
import io.vguest.domain.DirectKernelBoot;
import io.vguest.domain.DiskTargets;
import io.vguest.domain.FirmwareDefinition;
import io.vguest.domain.GuestDefinition;
import io.vguest.domain.GuestDefinition.ClockOffset;
import io.vguest.domain.GuestMetadata;
import io.vguest.domain.InterfaceDefinition;
import io.vguest.domain.Smbios;
import io.vguest.identity.IdentityGenerator;
import io.vguest.identity.SerialPolicy;
import io.vguest.identity.SystemSerial;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds the complete {@link GuestDefinition} of a stamped guest on a node. Nothing is generated
 * here: a value the stamp should have provided and did not is reported, never invented, so an
 * identity can only come from the guest's own spec.
 */
public final class DefinitionBuilder {

  /** Version of the OEM string format; bumped when the format changes, old readers can tell. */
  public static final String OEM_PREFIX = "vguest:v1:";

  private final GuestSettings settings;
  private final NodeFacts node;
  private final IdentityGenerator hostIds;

  public DefinitionBuilder(GuestSettings settings, NodeFacts node) {
    this.settings = settings;
    this.node = node;
    this.hostIds = new IdentityGenerator(settings.identitySeed());
  }

  /** libvirt domain name: namespace and name joined by a character neither can contain. */
  public static String domainName(String namespace, String name) {
    return namespace + "_" + name;
  }

  /** Name of the volume vguest creates for a blank disk; unique per guest and disk, like the domain name. */
  public static String blankVolumeName(String namespace, String name, String disk) {
    return namespace + "_" + name + "_" + disk + ".qcow2";
  }

  /** Builds a guest that needs no volume paths (one with direct kernel boot reports them missing). */
  public GuestDefinition build(VirtualGuest guest) {
    return build(guest, VolumePaths.NONE);
  }

  /**
   * Builds the definition; {@code paths} resolves the kernel and initrd volumes of a direct kernel
   * boot to paths on the node.
   */
  public GuestDefinition build(VirtualGuest guest, VolumePaths paths) {
    VirtualGuestSpec spec = guest.getSpec();
    String namespace = GuestStamper.namespaceOf(guest);
    String name = guest.getMetadata().getName();
    List<String> problems = new ArrayList<>();

    String machineType = MachineTypePin.effective(spec, new DeviceResolver(node.machineAliases()));
    DeviceChoices devices = spec.devices == null ? DeviceChoices.NONE.withMachineType(machineType)
        : spec.devices.toChoices(machineType);
    for (String unset : devices.unset()) {
      problems.add((unset.equals("machineType") ? "spec.machineType" : "spec.devices." + unset)
          + ": not resolved yet; the guest must be stamped first");
    }
    String uuid = spec.firmware == null ? null : spec.firmware.uuid;
    if (uuid == null) {
      problems.add("spec.firmware.uuid: not stamped yet");
    }
    if (!problems.isEmpty()) {
      throw new InvalidGuestException("NotStamped", problems);
    }

    List<DiskDefinition> disks = disks(guest, namespace, name, devices, paths, problems);
    DiskDefinition rescue = rescue(spec, namespace, devices, problems);
    List<InterfaceDefinition> interfaces = interfaces(spec, devices.vifModel(), problems);
    List<String> missingVolumes = new ArrayList<>();
    DirectKernelBoot kernelBoot = kernelBoot(spec.kernelBoot, namespace, paths, problems, missingVolumes);
    Smbios smbios = smbios(spec, namespace, disks, spec.disks, interfaces, problems);
    FirmwareDefinition firmware = FirmwareDefinitions.build(spec, namespace, name, devices.machineType(),
        settings.allowedPools(), paths, node.nodeName(), problems);
    if (!problems.isEmpty()) {
      boolean hostSerial = problems.stream().anyMatch(p -> p.startsWith("spec.firmware.serialPolicy"));
      String reason = hostSerial && problems.size() == 1 ? "HostSerialUnavailable"
          : missingVolumes.size() == problems.size() ? "VolumeNotFound" : "Invalid";
      throw new InvalidGuestException(reason, problems);
    }

    String domainName = domainName(namespace, name);
    return new GuestDefinition(
        domainName,
        settings.virtType(),
        uuid.toLowerCase(Locale.ROOT),
        spec.resources.cpus,
        memoryKiB(spec.resources.memory),
        smbios,
        kernelBoot,
        GuestStamper.familyOf(spec) == OsFamily.WINDOWS ? ClockOffset.LOCALTIME : ClockOffset.UTC,
        disks,
        interfaces,
        devices,
        settings.consoleLogDir() == null ? null : settings.consoleLogDir() + "/" + domainName + ".log",
        firmware.equals(FirmwareDefinition.BIOS) ? metadata(guest, namespace, name, devices)
            : metadata(guest, namespace, name, devices).withFirmware(GuestMetadata.FirmwareState.of(firmware)),
        rescue,
        firmware);
  }

  /** The rescue disk while spec.rescue is set: a pool volume on the rescue bus, booted first. */
  private DiskDefinition rescue(VirtualGuestSpec spec, String namespace, DeviceChoices devices, List<String> problems) {
    if (spec.rescue == null) {
      return null;
    }
    if (spec.rescue.volume == null || spec.rescue.volume.pool == null || spec.rescue.volume.name == null) {
      problems.add("spec.rescue.volume: Required value: pool and name of the volume to boot from in rescue mode");
      return null;
    }
    problems.addAll(DeviceRules.checkDisk("spec.devices.rescueBus", DiskRole.DATA, devices.rescueBus(),
        devices.machineType(), Boolean.TRUE.equals(spec.rescue.readOnly)));
    VolumeRef ref = new VolumeRef(spec.rescue.volume.pool, spec.rescue.volume.name);
    refused("spec.rescue.volume.pool", "spec.rescue.volume.name", namespace, ref.pool(), ref.volume(), problems);
    return new DiskDefinition("rescue", DiskRole.DATA, devices.rescueBus(), ref, GuestDefinition.RESCUE_SERIAL, 1,
        Boolean.TRUE.equals(spec.rescue.readOnly), null);
  }

  private List<DiskDefinition> disks(VirtualGuest guest, String namespace, String name, DeviceChoices devices,
      VolumePaths paths, List<String> problems) {
    VirtualGuestSpec spec = guest.getSpec();
    boolean explicitBootOrder = spec.disks.stream().anyMatch(d -> d.bootOrder != null);
    Map<String, String> generated = spec.identity == null || spec.identity.diskSerials == null ? Map.of()
        : spec.identity.diskSerials;
    List<DiskDefinition> disks = new ArrayList<>();
    for (int i = 0; i < spec.disks.size(); i++) {
      Disk disk = spec.disks.get(i);
      String field = "spec.disks[" + i + "]";
      DiskBus bus = DeviceRules.busOf(disk.bus, disk.role, devices);
      problems.addAll(DeviceRules.checkDisk(field + ".bus", disk.role, bus, devices.machineType(),
          Boolean.TRUE.equals(disk.readOnly)));
      String serial = disk.serial != null ? disk.serial
          : disk.source != null && disk.source.external != null ? disk.source.external.volumeId
          : generated.get(disk.name);
      if (serial == null && GuestStamper.needsGeneratedSerial(disk)) {
        problems.add(field + ".serial: no serial stamped in spec.identity.diskSerials." + disk.name);
      }
      VolumeRef source = source(disk.source, namespace, name, disk.name, field, problems);
      Integer bootOrder = explicitBootOrder ? disk.bootOrder : disk.role == DiskRole.ROOT ? Integer.valueOf(1) : null;
      disks.add(new DiskDefinition(disk.name, disk.role, bus, source, serial, bootOrder,
          Boolean.TRUE.equals(disk.readOnly),
          disk.source != null && disk.source.blank != null ? paths.blankFormat(disk.source.blank.pool) : null,
          DiskWwns.of(disk, bus, spec.identity, field, problems)));
    }
    return disks;
  }

  private VolumeRef source(DiskSource source, String namespace, String name, String disk, String field,
      List<String> problems) {
    if (source == null) {
      return null;
    }
    VolumeRef ref;
    String named = null;
    if (source.volume != null) {
      ref = new VolumeRef(source.volume.pool, source.volume.name);
      named = ref.volume();
    } else if (source.external != null) {
      ref = new VolumeRef(source.external.pool, source.external.volumeId);
      named = ref.volume();
    } else {
      ref = new VolumeRef(source.blank.pool, blankVolumeName(namespace, name, disk));
    }
    refused(field + ".source", field + ".source", namespace, ref.pool(), named, problems);
    return ref;
  }

  /**
   * Checked again here, whatever validated the guest before: this is the last gate before libvirt.
   * The pool must be granted to the guest's namespace, and a volume vguest created for another
   * namespace's guest is never attached ({@code volume} null: a blank disk's own volume).
   */
  private boolean refused(String poolField, String volumeField, String namespace, String pool, String volume,
      List<String> problems) {
    int before = problems.size();
    PoolGrants pools = settings.pools();
    if (!pools.allows(namespace, pool)) {
      Set<String> allowed = pools.poolsFor(namespace);
      problems.add(poolField + ": pool \"" + pool + "\" is not allowed on this node"
          + (pools.byPool().isEmpty() ? "" : " for namespace " + namespace) + "; allowed pools: "
          + (allowed.isEmpty() ? "(none)" : String.join(", ", allowed)));
    }
    if (volume != null) {
      PoolGrants.ownerRefusal(namespace, volume).ifPresent(why -> problems.add(volumeField + ": " + why));
    }
    return problems.size() > before;
  }

  private DirectKernelBoot kernelBoot(KernelBoot boot, String namespace, VolumePaths paths, List<String> problems,
      List<String> missing) {
    if (boot == null) {
      return null;
    }
    String kernel = boot.kernel == null ? null
        : path("spec.kernelBoot.kernel", boot.kernel, namespace, paths, problems, missing);
    if (boot.kernel == null) {
      problems.add("spec.kernelBoot.kernel: Required value: the volume holding the kernel");
    }
    String initrd = boot.initrd == null ? null
        : path("spec.kernelBoot.initrd", boot.initrd, namespace, paths, problems, missing);
    String cmdline = boot.cmdline == null || boot.cmdline.isEmpty() ? null : boot.cmdline;
    return kernel == null ? null : new DirectKernelBoot(kernel, initrd, cmdline);
  }

  /** The volume's path on the node; checked against the allowed pools again, as disk sources are. */
  private String path(String field, VolumeSource volume, String namespace, VolumePaths paths, List<String> problems,
      List<String> missing) {
    if (refused(field + ".pool", field + ".name", namespace, volume.pool, volume.name, problems)) {
      return null;
    }
    Optional<String> path = paths.pathOf(volume.pool, volume.name);
    if (path.isEmpty()) {
      missing.add(field);
      problems.add(field + ": volume \"" + volume.name + "\" not found in pool \"" + volume.pool + "\" on node "
          + node.nodeName() + "; upload it to the pool or fix the name");
      return null;
    }
    return path.get();
  }

  private static List<InterfaceDefinition> interfaces(VirtualGuestSpec spec, VifModel defaultModel,
      List<String> problems) {
    Map<String, String> generated = spec.identity == null || spec.identity.macAddresses == null ? Map.of()
        : spec.identity.macAddresses;
    List<InterfaceDefinition> nics = new ArrayList<>();
    List<NetworkInterface> declared = spec.interfaces == null ? List.of() : spec.interfaces;
    for (int i = 0; i < declared.size(); i++) {
      NetworkInterface nic = declared.get(i);
      String mac = nic.macAddress != null ? nic.macAddress : generated.get(nic.name);
      if (mac == null) {
        problems.add("spec.interfaces[" + i + "].macAddress: no MAC stamped in spec.identity.macAddresses." + nic.name);
        continue;
      }
      InterfaceDefinition.Kind kind = nic.network != null ? InterfaceDefinition.Kind.NETWORK
          : nic.bridge != null ? InterfaceDefinition.Kind.BRIDGE : InterfaceDefinition.Kind.USER;
      String source = nic.network != null ? nic.network : nic.bridge;
      nics.add(new InterfaceDefinition(nic.name, kind, source, nic.model != null ? nic.model : defaultModel,
          mac.toLowerCase(Locale.ROOT)));
    }
    return nics;
  }

  private Smbios smbios(VirtualGuestSpec spec, String namespace, List<DiskDefinition> disks, List<Disk> declared,
      List<InterfaceDefinition> nics, List<String> problems) {
    SerialPolicy policy = spec.firmware.serialPolicy == null ? settings.defaultSerialPolicy()
        : spec.firmware.serialPolicy;
    SystemSerial serial = SystemSerial.choose(policy, spec.firmware.serial, node.hostSerial(), node.nodeName(),
        settings.exposeChassisSerial() && node.supportsChassisSerial());
    if (serial.problem() != null) {
      problems.add(serial.problem());
    }
    GuestSettings.SmbiosDefaults strings = settings.smbios();
    return new Smbios(strings.manufacturer(), strings.product(), strings.version(), serial.serial(), strings.family(),
        serial.chassisSerial(), oemStrings(namespace, disks, declared, nics, spec));
  }

  /**
   * One entry per tagged disk and NIC and the hashed host id, read in the guest with
   * {@code dmidecode -t 11}: {@code vguest:v1:disk:<tag>:<bus>:<serial as seen>},
   * {@code vguest:v1:nic:<tag>:<mac>}, {@code vguest:v1:hostid:<hex>}.
   */
  private List<String> oemStrings(String namespace, List<DiskDefinition> disks, List<Disk> declared,
      List<InterfaceDefinition> nics, VirtualGuestSpec spec) {
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < disks.size(); i++) {
      String tag = declared.get(i).tag;
      if (tag != null) {
        DiskDefinition disk = disks.get(i);
        String seen = DiskTargets.guestSerial(disk.serial(), disk.bus());
        entries.add(OEM_PREFIX + "disk:" + tag + ":" + disk.bus().value() + ":" + (seen == null ? "" : seen));
      }
    }
    List<NetworkInterface> declaredNics = spec.interfaces == null ? List.of() : spec.interfaces;
    for (int i = 0; i < nics.size() && i < declaredNics.size(); i++) {
      String tag = declaredNics.get(i).tag;
      if (tag != null) {
        entries.add(OEM_PREFIX + "nic:" + tag + ":" + nics.get(i).macAddress());
      }
    }
    if (settings.exposeHostId()) {
      entries.add(OEM_PREFIX + "hostid:" + hostIds.hostId(node.nodeName(), namespace));
    }
    return entries;
  }

  private GuestMetadata metadata(VirtualGuest guest, String namespace, String name, DeviceChoices devices) {
    VirtualGuestSpec spec = guest.getSpec();
    var meta = guest.getMetadata();
    OwnerReference controller = meta.getOwnerReferences() == null ? null : meta.getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController())).findFirst().orElse(null);
    GuestMetadata.Owner owner = controller == null ? null
        : new GuestMetadata.Owner(controller.getKind(), controller.getName(), controller.getUid());
    GuestMetadata.RootSource root = spec.disks.stream().filter(d -> d.role == DiskRole.ROOT).findFirst()
        .map(d -> rootSource(d.source, namespace, name, d.name)).orElse(null);
    var identity = spec.identity;
    return new GuestMetadata(
        settings.operatorVersion(),
        namespace,
        name,
        meta.getUid(),
        spec.displayName,
        spec.profile,
        meta.getCreationTimestamp(),
        owner,
        root,
        node.nodeName(),
        meta.getGeneration(),
        new GuestMetadata.Identity(
            spec.firmware.serialPolicy == null ? null : spec.firmware.serialPolicy.value(),
            spec.firmware.serial,
            spec.firmware.uuid,
            identity == null ? null : identity.stampedFor,
            new TreeMap<>(identity == null || identity.diskSerials == null ? Map.of() : identity.diskSerials),
            new TreeMap<>(identity == null || identity.macAddresses == null ? Map.of() : identity.macAddresses),
            identity == null ? null : identity.generationId,
            identity == null ? null : identity.generationIdFor,
            new TreeMap<>(identity == null || identity.diskWwns == null ? Map.of() : identity.diskWwns),
            identity == null ? null : identity.machineType,
            identity == null ? null : identity.machineTypeFor,
            new TreeMap<>(spec.deviceAddresses == null ? Map.of() : spec.deviceAddresses)),
        devices,
        null);
  }

  private static GuestMetadata.RootSource rootSource(DiskSource source, String namespace, String name, String disk) {
    if (source == null) {
      return null;
    }
    if (source.volume != null) {
      return new GuestMetadata.RootSource("volume", source.volume.pool, source.volume.name);
    }
    if (source.external != null) {
      return new GuestMetadata.RootSource("external", source.external.pool, source.external.volumeId);
    }
    return new GuestMetadata.RootSource("blank", source.blank.pool, blankVolumeName(namespace, name, disk));
  }

  /** Memory in KiB, rounded up; the validator has already bounded the quantity. */
  static long memoryKiB(Quantity memory) {
    BigDecimal bytes = Quantity.getAmountInBytes(memory);
    return bytes.divide(BigDecimal.valueOf(1024), 0, RoundingMode.CEILING).longValueExact();
  }
}
