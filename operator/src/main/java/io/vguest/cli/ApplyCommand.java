package io.vguest.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.domain.VirtType;
import io.vguest.guest.DefinitionBuilder.HostSerialSource;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.ManifestException;
import io.vguest.guest.ManifestReader;
import io.vguest.guest.PoolGrants;
import io.vguest.guest.NodeFacts;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.reconcile.NodeFactsReader;
import io.vguest.reconcile.GuestPipeline;
import io.vguest.reconcile.GuestPipeline.Prepared;
import io.vguest.reconcile.GuestSync;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * One reconcile of a manifest against a libvirt node, without Kubernetes: validate, stamp,
 * define or redefine, apply the run strategy, then print the stamped manifest and the status a
 * cluster would show. Shares every step with the node agent.
 */
@Command(name = "apply", mixinStandardHelpOptions = true,
    description = {"Reconcile a VirtualGuest manifest once against a libvirt node, without a cluster.",
        "Prints the stamped manifest (identity and devices filled in) with the status a cluster would show.",
        "Without --libvirt it uses libvirt's in-process test driver, with the allowed pools as empty pools."})
public final class ApplyCommand implements Callable<Integer> {

  @Spec
  CommandSpec command;

  @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE",
      description = "Manifest with VirtualGuests and their GuestDeviceProfiles (repeatable).")
  List<Path> files;

  @Option(names = "--libvirt", paramLabel = "URI",
      description = "libvirt to apply to, e.g. qemu:///system (default: an in-process test-driver node).")
  String libvirtUri;

  @Option(names = "--seed", defaultValue = "vguest-example-seed", paramLabel = "SEED",
      description = "Cluster identity seed generated identity is derived from (default: ${DEFAULT-VALUE}).")
  String seed;

  @Option(names = "--node", paramLabel = "NAME", description = "Node name to act as (default: the guest's spec.nodeName).")
  String node;

  @Option(names = "--virt-type", defaultValue = "qemu", paramLabel = "TYPE",
      description = "Domain type on a real node: qemu or kvm (default: ${DEFAULT-VALUE}; the test driver uses its own).")
  String virtType;

  @Option(names = "--allowed-pool", paramLabel = "POOL", description = "Storage pool guests may use (repeatable; default: default).")
  List<String> allowedPools;

  @Option(names = "--pool-grant", paramLabel = "POOL=NAMESPACE[,NAMESPACE...]",
      description = "Storage pool only the named namespaces may use, e.g. tenant-a=team-a (repeatable).")
  List<String> poolGrants;

  @Option(names = "--machine-id", defaultValue = "/etc/machine-id", paramLabel = "FILE",
      description = "The node's machine-id file, for serial policy host (default: ${DEFAULT-VALUE}).")
  Path machineIdFile;

  @Option(names = {"-o", "--output"}, defaultValue = "yaml", paramLabel = "FORMAT",
      description = "Format of the stamped manifests on standard output: yaml (one document per guest) or json "
          + "(a List of the guests) (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--shutdown-grace", defaultValue = "60", paramLabel = "SECONDS",
      description = "Seconds a graceful shutdown (runStrategy Halted) may take before the domain is forced off.")
  long shutdownGrace;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    if (!output.equals("yaml") && !output.equals("json")) {
      throw new ParameterException(command.commandLine(), "--output: \"" + output + "\" is not one of yaml, json");
    }
    Set<String> pools = new TreeSet<>(allowedPools == null ? List.of("default") : allowedPools);
    List<VirtualGuest> guests = new ArrayList<>();
    List<GuestDeviceProfile> profiles = new ArrayList<>();
    try {
      ManifestReader reader = new ManifestReader();
      for (Path file : files) {
        ManifestReader.Manifests manifests = reader.read(file);
        guests.addAll(manifests.guests());
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
    boolean embedded = libvirtUri == null;
    VirtType type = VirtType.fromValue(virtType);
    GuestSettings settings = GuestSettings.defaults(seed).withAllowedPools(pools).withVirtType(type)
        .withPoolGrants(PoolGrants.parseGrants(poolGrants == null ? "" : String.join(";", poolGrants)));
    Path scratch = embedded ? Files.createTempDirectory("vguest-apply") : null;
    String uri = embedded ? embeddedNode(scratch, settings.pools().allPools()) : libvirtUri;
    boolean failed = false;
    List<VirtualGuest> shownAll = new ArrayList<>();
    YAMLMapper yaml = YAMLMapper.builder().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .serializationInclusion(JsonInclude.Include.NON_EMPTY).build();
    try (LibvirtHypervisor hypervisor = new LibvirtHypervisor(uri)) {
      if (!hypervisor.awaitConnected(Duration.ofSeconds(10))) {
        err.println("error: --libvirt: cannot connect to " + uri);
        return Main.INVALID;
      }
      for (VirtualGuest guest : guests) {
        String nodeName = node != null ? node : guest.getSpec().nodeName;
        NodeFacts facts = NodeFactsReader.read(hypervisor, nodeName, machineIdFile, HostSerialSource.AUTO);
        if (guest.getMetadata().getGeneration() == null) {
          guest.getMetadata().setGeneration(1L);
        }
        GuestSync sync = new GuestSync(hypervisor, settings, facts, Duration.ofSeconds(shutdownGrace));
        Prepared prepared = new GuestPipeline(settings, facts).prepare(guest, profileFor(guest, profiles));
        SyncResult result;
        VirtualGuest shown;
        if (prepared.refused()) {
          result = sync.refuse(guest, prepared.refusal(), prepared.message());
          shown = guest;
        } else {
          shown = prepared.stamp().guest();
          result = sync.sync(shown);
        }
        shown.setStatus(result.status());
        if (output.equals("yaml")) {
          out.println("---");
          out.print(yaml.writeValueAsString(shown));
        } else {
          shownAll.add(shown);
        }
        Condition ready = StatusBuilder.condition(result.status(), StatusBuilder.READY);
        err.println(shown.getMetadata().getNamespace() + "/" + shown.getMetadata().getName() + ": "
            + result.actions() + ", Ready=" + ready.getStatus() + " (" + ready.getReason() + "): " + ready.getMessage());
        failed |= result.failure() != null;
      }
    } finally {
      if (scratch != null) {
        deleteTree(scratch);
      }
    }
    if (output.equals("json")) {
      Map<String, Object> list = new LinkedHashMap<>();
      list.put("apiVersion", "v1");
      list.put("kind", "List");
      list.put("items", shownAll);
      out.println(JSON.writeValueAsString(list));
    }
    out.flush();
    return failed ? Main.INVALID : 0;
  }

  private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .serializationInclusion(JsonInclude.Include.NON_EMPTY).build();

  /** A private test-driver node holding the allowed pools, so blank disks get real (in-memory) volumes. */
  private static String embeddedNode(Path dir, Set<String> pools) throws IOException {
    StringBuilder xml = new StringBuilder("<node>\n");
    int i = 0;
    for (String pool : pools) {
      xml.append("  <pool type='dir'><name>").append(pool).append("</name>")
          .append(String.format("<uuid>35bb2ad9-388a-cdfe-461a-%012x</uuid>", i++))
          .append("<capacity unit='GiB'>1000</capacity><allocation>0</allocation>")
          .append("<available unit='GiB'>1000</available><target><path>/var/lib/vguest/")
          .append(i).append("</path></target></pool>\n");
    }
    xml.append("</node>\n");
    Path file = dir.resolve("node.xml");
    Files.writeString(file, xml);
    return "test://" + file.toAbsolutePath();
  }

  private static GuestDeviceProfile profileFor(VirtualGuest guest, List<GuestDeviceProfile> profiles) {
    String name = guest.getSpec().profile;
    return name == null ? null : profiles.stream()
        .filter(p -> name.equals(p.getMetadata().getName()))
        .filter(p -> Objects.equals(ns(p.getMetadata().getNamespace()), ns(guest.getMetadata().getNamespace())))
        .findFirst().orElse(null);
  }

  private static String ns(String namespace) {
    return namespace == null || namespace.isEmpty() ? "default" : namespace;
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
