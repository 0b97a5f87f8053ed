package io.vguest.cli;

import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.DomainRenderer;
import io.vguest.domain.VirtType;
import io.vguest.guest.DefinitionBuilder;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestStamper;
import io.vguest.guest.GuestValidator;
import io.vguest.guest.InvalidGuestException;
import io.vguest.guest.ManifestException;
import io.vguest.guest.ManifestReader;
import io.vguest.guest.PoolGrants;
import io.vguest.guest.NodeFacts;
import io.vguest.guest.Violation;
import io.vguest.guest.VolumePaths;
import io.vguest.libvirt.HypervisorException;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.reconcile.NodeFactsReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints the libvirt domain XML a guest manifest becomes, resolving defaults exactly as the node
 * agent does when it first sees the guest. Needs neither a cluster nor a libvirt daemon.
 */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = {"Print the libvirt domain XML of a VirtualGuest manifest.",
        "Resolves identity and devices as the node agent does when it first sees the guest."})
public final class RenderCommand implements Callable<Integer> {

  @Spec
  CommandSpec command;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "Manifest with a VirtualGuest and optionally its GuestDeviceProfile (repeatable; multi-document YAML allowed).")
  List<Path> files;

  @Option(names = "--check", description = "Only validate and resolve; print one line per guest, no XML.")
  boolean check;

  @Option(names = "--seed", defaultValue = "vguest-example-seed", paramLabel = "SEED",
      description = "Cluster identity seed generated identity is derived from (default: ${DEFAULT-VALUE}).")
  String seed;

  @Option(names = "--node", paramLabel = "NAME", description = "Node to render for (default: the guest's spec.nodeName).")
  String node;

  @Option(names = "--virt-type", defaultValue = "qemu", paramLabel = "TYPE",
      description = "libvirt domain type: qemu (software emulation) or kvm (default: ${DEFAULT-VALUE}).")
  String virtType;

  @Option(names = "--allowed-pool", paramLabel = "POOL",
      description = "Storage pool guests may use (repeatable; default: default).")
  List<String> allowedPools;

  @Option(names = "--pool-grant", paramLabel = "POOL=NAMESPACE[,NAMESPACE...]",
      description = "Storage pool only the named namespaces may use, e.g. tenant-a=team-a (repeatable).")
  List<String> poolGrants;

  @Option(names = "--host-serial", paramLabel = "SERIAL",
      description = "The node's serial, for serial policy host and the chassis serial.")
  String hostSerial;

  @Option(names = "--expose-chassis-serial", description = "Put the node's serial into the chassis serial of unique-policy guests.")
  boolean exposeChassisSerial;

  @Option(names = "--machine-alias", paramLabel = "ALIAS=TYPE",
      description = "Versioned machine type an alias resolves to on the node, e.g. q35=pc-q35-7.2 (repeatable). "
          + "Without it aliases stay as written; the node agent resolves them from libvirt's capabilities.")
  Map<String, String> machineAliases = new LinkedHashMap<>();

  @Option(names = "--libvirt", paramLabel = "URI",
      description = "Read the node's facts (machine type aliases, serial, libvirt version) from this libvirt, "
          + "e.g. qemu:///system, instead of the options above.")
  String libvirtUri;

  @Option(names = "--volume-dir", paramLabel = "POOL=DIR",
      description = "Directory of a directory pool on the node, to name the paths of kernelBoot volumes and of a UEFI "
          + "guest's NVRAM without --libvirt, e.g. default=/var/lib/libvirt/images (repeatable; pool default is "
          + "/var/lib/libvirt/images unless given). With --libvirt, libvirt names them.")
  Map<String, String> volumeDirs = new LinkedHashMap<>();

  @Option(names = "--machine-id", defaultValue = "/etc/machine-id", paramLabel = "FILE",
      description = "The node's machine-id file, read with --libvirt for serial policy host (default: ${DEFAULT-VALUE}).")
  Path machineIdFile;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    Set<String> pools = new TreeSet<>(allowedPools == null ? List.of("default") : allowedPools);
    GuestSettings settings;
    try {
      settings = GuestSettings.defaults(seed).withAllowedPools(pools).withVirtType(VirtType.fromValue(virtType))
          .withChassisSerial(exposeChassisSerial);
    } catch (IllegalArgumentException e) {
      err.println("error: --virt-type: " + e.getMessage());
      return 2;
    }
    try {
      settings = settings.withPoolGrants(PoolGrants.parseGrants(poolGrants == null ? "" : String.join(";", poolGrants)));
    } catch (IllegalArgumentException e) {
      err.println("error: --pool-grant: " + e.getMessage());
      return 2;
    }

    List<Sourced<VirtualGuest>> guests = new ArrayList<>();
    List<GuestDeviceProfile> profiles = new ArrayList<>();
    ManifestReader reader = new ManifestReader();
    try {
      for (Path file : files) {
        ManifestReader.Manifests manifests = reader.read(file);
        manifests.guests().forEach(g -> guests.add(new Sourced<>(file, g)));
        profiles.addAll(manifests.profiles());
      }
    } catch (ManifestException e) {
      err.println("error: " + e.getMessage());
      return Main.INVALID;
    }
    if (guests.isEmpty()) {
      err.println("error: no VirtualGuest in " + files);
      return Main.INVALID;
    }

    GuestValidator validator = GuestValidator.forPools(settings.pools());
    boolean failed = false;
    for (GuestDeviceProfile profile : profiles) {
      for (Violation violation : validator.validate(profile)) {
        err.println("error: GuestDeviceProfile " + profile.getMetadata().getName() + ": " + violation);
        failed = true;
      }
    }
    for (Sourced<VirtualGuest> sourced : guests) {
      VirtualGuest guest = sourced.value();
      String where = sourced.file() + ": ";
      List<Violation> violations = validator.validate(guest);
      if (!violations.isEmpty()) {
        violations.forEach(v -> err.println("error: " + where + v));
        failed = true;
        continue;
      }
      try {
        String xml = render(guest, profileFor(guest, profiles), settings);
        if (check) {
          out.println(where + namespaceOf(guest) + "/" + guest.getMetadata().getName() + ": valid");
        } else {
          out.print(xml);
        }
      } catch (InvalidGuestException e) {
        e.problems().forEach(p -> err.println("error: " + where + p));
        failed = true;
      }
    }
    out.flush();
    return failed ? Main.INVALID : 0;
  }

  private String render(VirtualGuest guest, GuestDeviceProfile profile, GuestSettings settings) {
    String nodeName = node != null ? node : guest.getSpec().nodeName;
    if (libvirtUri == null) {
      NodeFacts facts = new NodeFacts(nodeName, hostSerial,
          hostSerial == null ? 0 : NodeFacts.CHASSIS_SERIAL_MIN_VERSION, machineAliases);
      return render(guest, profile, settings, facts, new VolumePaths() {
        @Override
        public Optional<String> pathOf(String pool, String volume) {
          return pathInVolumeDir(pool, volume);
        }

        @Override
        public Optional<String> poolDirectory(String pool) {
          String dir = volumeDirs.get(pool);
          // Without --volume-dir, pool default is libvirt's default directory pool.
          return Optional.ofNullable(dir != null ? dir : "default".equals(pool) ? DEFAULT_POOL_DIR : null);
        }
      });
    }
    try (LibvirtHypervisor hypervisor = new LibvirtHypervisor(libvirtUri)) {
      if (!hypervisor.awaitConnected(Duration.ofSeconds(10))) {
        throw new InvalidGuestException("HypervisorUnavailable", List.of("--libvirt: cannot connect to " + libvirtUri));
      }
      NodeFacts facts = NodeFactsReader.read(hypervisor, nodeName, machineIdFile,
          DefinitionBuilder.HostSerialSource.AUTO);
      return render(guest, profile, settings, facts, VolumePaths.of(hypervisor::volumePath,
          pool -> blankFormatOrDefault(hypervisor, pool), hypervisor::poolDirectory));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InvalidGuestException("HypervisorUnavailable", List.of("--libvirt: interrupted"));
    }
  }

  /** A preview renders a blank disk in a pool this libvirt lacks as in a directory pool (the agent refuses it). */
  private static String blankFormatOrDefault(LibvirtHypervisor hypervisor, String pool) {
    try {
      return hypervisor.blankVolumeFormat(pool);
    } catch (HypervisorException unknownPool) {
      return VolumePaths.NONE.blankFormat(pool);
    }
  }

  private static String render(VirtualGuest guest, GuestDeviceProfile profile, GuestSettings settings,
      NodeFacts facts, VolumePaths paths) {
    VirtualGuest stamped = new GuestStamper(settings, facts).stamp(guest, profile).guest();
    return new DomainRenderer().render(new DefinitionBuilder(settings, facts).build(stamped, paths)).xml();
  }

  /** A volume's path in a directory pool given with --volume-dir (names are validated: no '/', no leading '.'). */
  /** Where libvirt's pool "default" keeps its volumes when created by libvirt's packages. */
  static final String DEFAULT_POOL_DIR = "/var/lib/libvirt/images";

  private Optional<String> pathInVolumeDir(String pool, String volume) {
    String dir = volumeDirs.get(pool);
    if (dir == null) {
      return Optional.empty();
    }
    return Optional.of(Path.of(dir).resolve(volume).toString());
  }

  private static GuestDeviceProfile profileFor(VirtualGuest guest, List<GuestDeviceProfile> profiles) {
    String name = guest.getSpec().profile;
    if (name == null) {
      return null;
    }
    return profiles.stream()
        .filter(p -> name.equals(p.getMetadata().getName()))
        .filter(p -> Objects.equals(namespaceOf(p.getMetadata().getNamespace()), namespaceOf(guest)))
        .findFirst()
        .orElseThrow(() -> new InvalidGuestException("ProfileNotFound", List.of("spec.profile: GuestDeviceProfile \""
            + name + "\" not found in namespace " + namespaceOf(guest) + "; pass its manifest with -f")));
  }

  private static String namespaceOf(VirtualGuest guest) {
    return namespaceOf(guest.getMetadata().getNamespace());
  }

  private static String namespaceOf(String namespace) {
    return namespace == null || namespace.isEmpty() ? "default" : namespace;
  }

  private record Sourced<T>(Path file, T value) {}
}
