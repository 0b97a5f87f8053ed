package io.vguest.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.vguest.domain.VirtType;
import io.vguest.identity.HostSerialSource;
import io.vguest.guest.GuestSettings;
import io.vguest.guest.GuestSettings.SmbiosDefaults;
import io.vguest.guest.OperatorVersion;
import io.vguest.guest.PoolGrants;
import io.vguest.identity.MachineId;
import io.vguest.identity.SerialPolicy;
import io.vguest.libvirt.LibvirtHypervisor;
import io.vguest.operator.AgentConfig;
import io.vguest.operator.AgentConfig.Instance;
import io.vguest.operator.AgentConfig.WatchFilter;
import io.vguest.operator.AgentHttp;
import io.vguest.operator.GuestWriter;
import io.vguest.operator.NodeAgent;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Runs the node agent: the DaemonSet process that keeps one node's libvirt domains equal to the
 * VirtualGuests naming the node. Every option can also be given as an environment variable.
 */
@Command(name = "operator", mixinStandardHelpOptions = true,
    description = {"Run the node agent for one node (the DaemonSet's process).",
        "Every option falls back to the environment variable named in its description."})
public final class OperatorCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(OperatorCommand.class);

  @Spec
  CommandSpec command;

  @Option(names = "--node-name", defaultValue = "${env:NODE_NAME}", paramLabel = "NODE",
      description = "Kubernetes node this agent runs guests for (env NODE_NAME; required).")
  String nodeName;

  @Option(names = "--libvirt", defaultValue = "${env:VGUEST_LIBVIRT_URI:-qemu:///system}", paramLabel = "URI",
      description = "libvirt connection URI (env VGUEST_LIBVIRT_URI; default: ${DEFAULT-VALUE}).")
  String libvirtUri;

  @Option(names = "--virt-type", defaultValue = "${env:VGUEST_VIRT_TYPE:-qemu}", paramLabel = "TYPE",
      description = "Domain type: qemu (software emulation) or kvm (hardware virtualisation) "
          + "(env VGUEST_VIRT_TYPE; default: ${DEFAULT-VALUE}).")
  String virtType;

  @Option(names = "--allowed-pools", defaultValue = "${env:VGUEST_ALLOWED_POOLS:-default}", paramLabel = "POOLS",
      description = "Comma-separated storage pools guests of every namespace may use; empty: none "
          + "(env VGUEST_ALLOWED_POOLS; default: ${DEFAULT-VALUE}).")
  String allowedPools;

  @Option(names = "--pool-grants", defaultValue = "${env:VGUEST_POOL_GRANTS:-}", paramLabel = "GRANTS",
      description = "Storage pools only some namespaces may use: POOL=NAMESPACE[,NAMESPACE...] entries separated by "
          + "';', e.g. tenant-a=team-a;shared=team-a,team-b (env VGUEST_POOL_GRANTS; default: none).")
  String poolGrants;

  @Option(names = "--identity-seed", defaultValue = "${env:VGUEST_IDENTITY_SEED}", paramLabel = "SEED",
      description = "Cluster identity seed generated serials, uuids and MACs derive from; keep it for disaster "
          + "recovery (env VGUEST_IDENTITY_SEED; required).")
  String identitySeed;

  @Option(names = "--default-serial-policy", defaultValue = "${env:VGUEST_DEFAULT_SERIAL_POLICY:-unique}",
      paramLabel = "POLICY", description = "Serial policy of guests and profiles that set none: unique, host or none "
          + "(env VGUEST_DEFAULT_SERIAL_POLICY; default: ${DEFAULT-VALUE}).")
  String defaultSerialPolicy;

  @Option(names = "--host-serial-source", defaultValue = "${env:VGUEST_HOST_SERIAL_SOURCE:-auto}", paramLabel = "SOURCE",
      description = "Where the node's serial comes from: os (machine-id), hardware (libvirt's host uuid) or auto "
          + "(env VGUEST_HOST_SERIAL_SOURCE; default: ${DEFAULT-VALUE}).")
  String hostSerialSource;

  @Option(names = "--machine-id", defaultValue = "${env:VGUEST_MACHINE_ID_FILE:-/etc/machine-id}", paramLabel = "FILE",
      description = "The node's machine-id file (env VGUEST_MACHINE_ID_FILE; default: ${DEFAULT-VALUE}).")
  Path machineId;

  @Option(names = "--expose-chassis-serial", defaultValue = "${env:VGUEST_EXPOSE_CHASSIS_SERIAL:-false}",
      paramLabel = "BOOL", arity = "1", description = "Put the node's serial into the chassis serial of unique-policy guests "
          + "(env VGUEST_EXPOSE_CHASSIS_SERIAL; default: ${DEFAULT-VALUE}).")
  boolean exposeChassisSerial;

  @Option(names = "--expose-host-id", defaultValue = "${env:VGUEST_EXPOSE_HOST_ID:-true}", paramLabel = "BOOL", arity = "1",
      description = "Give guests an opaque per-namespace host id in their OEM strings "
          + "(env VGUEST_EXPOSE_HOST_ID; default: ${DEFAULT-VALUE}).")
  boolean exposeHostId;

  @Option(names = "--smbios-manufacturer", defaultValue = "${env:VGUEST_SMBIOS_MANUFACTURER:-vguest}",
      description = "SMBIOS system manufacturer (env VGUEST_SMBIOS_MANUFACTURER; default: ${DEFAULT-VALUE}).")
  String smbiosManufacturer;

  @Option(names = "--smbios-product", defaultValue = "${env:VGUEST_SMBIOS_PRODUCT:-vguest virtual machine}",
      description = "SMBIOS system product (env VGUEST_SMBIOS_PRODUCT; default: ${DEFAULT-VALUE}).")
  String smbiosProduct;

  @Option(names = "--smbios-family", defaultValue = "${env:VGUEST_SMBIOS_FAMILY:-vguest}",
      description = "SMBIOS system family (env VGUEST_SMBIOS_FAMILY; default: ${DEFAULT-VALUE}).")
  String smbiosFamily;

  @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE:-vguest-system}", paramLabel = "NS",
      description = "Namespace of the agents' heartbeat Leases (env POD_NAMESPACE; default: ${DEFAULT-VALUE}).")
  String leaseNamespace;

  @Option(names = "--pod-name", defaultValue = "${env:POD_NAME}", paramLabel = "NAME",
      description = "Name of this agent in its node's Lease, with an id of its host (env POD_NAME; default: the "
          + "host name).")
  String podName;

  @Option(names = "--http-port", defaultValue = "${env:VGUEST_HTTP_PORT:-8080}", paramLabel = "PORT",
      description = "Port of /metrics, /healthz and /readyz; 0 turns it off (env VGUEST_HTTP_PORT; default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--log-format", defaultValue = "${env:VGUEST_LOG_FORMAT:-text}", paramLabel = "FORMAT",
      description = "Log format: text or json (env VGUEST_LOG_FORMAT; default: ${DEFAULT-VALUE}).")
  String logFormat;

  @Option(names = "--resync-period", defaultValue = "${env:VGUEST_RESYNC_PERIOD:-10m}", paramLabel = "DURATION",
      description = "How often every guest is reconciled without an event, e.g. 10m, 30s "
          + "(env VGUEST_RESYNC_PERIOD; default: ${DEFAULT-VALUE}).")
  String resyncPeriod;

  @Option(names = "--shutdown-grace", defaultValue = "${env:VGUEST_SHUTDOWN_GRACE:-2m}", paramLabel = "DURATION",
      description = "How long a graceful shutdown may take before the domain is forced off "
          + "(env VGUEST_SHUTDOWN_GRACE; default: ${DEFAULT-VALUE}).")
  String shutdownGrace;

  @Option(names = "--watch-filter", defaultValue = "${env:VGUEST_WATCH_FILTER:-auto}", paramLabel = "WHERE",
      description = "Where guests of other nodes are filtered out: server (CRD selectable fields, Kubernetes 1.31+), "
          + "client, or auto (env VGUEST_WATCH_FILTER; default: ${DEFAULT-VALUE}).")
  String watchFilter;

  @Option(names = "--console-log-dir", defaultValue = "${env:VGUEST_CONSOLE_LOG_DIR}", paramLabel = "DIR",
      description = "Absolute directory on the node where each guest's serial console is written to "
          + "<namespace>_<name>.log (by QEMU, so the directory must exist on the node, not in the agent's container); "
          + "unset: a pty console, no file (env VGUEST_CONSOLE_LOG_DIR; default: unset).")
  String consoleLogDir;

  @Option(names = "--swtpm-state-dir", defaultValue = "${env:VGUEST_SWTPM_STATE_DIR:-/var/lib/libvirt/swtpm}",
      paramLabel = "DIR",
      description = "The node's swtpm state directory as the agent sees it (a hostPath mount in the DaemonSet): "
          + "libvirt keeps each guest's TPM state there only on the node, so the agent saves it into a volume of "
          + "the guest's pool when the guest stops or leaves and restores it before a define (env "
          + "VGUEST_SWTPM_STATE_DIR; default: ${DEFAULT-VALUE}).")
  Path swtpmStateDir;

  @Override
  public Integer call() throws Exception {
    AgentConfig config = config();
    LogFormat.configure(logFormat);
    LOG.info("vguest agent {} starting: node={} libvirt={} virtType={} allowedPools={} poolGrants={} "
            + "defaultSerialPolicy={} "
            + "hostSerialSource={} machineId={} exposeChassisSerial={} exposeHostId={} leaseNamespace={} "
            + "leaseHolder={} httpPort={} resync={} shutdownGrace={} watchFilter={} consoleLogDir={} "
            + "identitySeed=<{} characters>",
        OperatorVersion.get(), config.nodeName(), libvirtUri, config.settings().virtType().xml(),
        new TreeSet<>(config.settings().allowedPools()), config.settings().pools().grantsText().isEmpty() ? "none"
            : config.settings().pools().grantsText(), config.settings().defaultSerialPolicy().value(),
        config.hostSerialSource(), config.machineIdFile(), config.settings().exposeChassisSerial(),
        config.settings().exposeHostId(), config.leaseNamespace(), config.instance().holderIdentity(), httpPort,
        config.resyncPeriod(), config.shutdownGrace(), watchFilter,
        config.settings().consoleLogDir() == null ? "none" : config.settings().consoleLogDir(), identitySeed.length());
    if (MachineId.toUuid(readQuietly(config.machineIdFile())).isEmpty()) {
      LOG.warn("{} holds no machine-id: this agent's host id in its node's Lease is random, so a restarted agent "
          + "waits until the lease of its previous process expires ({}) before it acts", config.machineIdFile(),
          config.leaseDuration());
    }
    Config kube = new ConfigBuilder(Config.autoConfigure(null))
        .withUserAgent(GuestWriter.FIELD_MANAGER + "/" + OperatorVersion.get()).build();
    CountDownLatch stopped = new CountDownLatch(1);
    try (KubernetesClient client = new KubernetesClientBuilder().withConfig(kube).build();
        LibvirtHypervisor hypervisor = new LibvirtHypervisor(libvirtUri);
        NodeAgent agent = NodeAgent.start(client, config, hypervisor);
        AgentHttp http = httpPort == 0 ? null : AgentHttp.start(httpPort, agent)) {
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "vguest-shutdown"));
      stopped.await();
      LOG.info("vguest agent on node {} stopping", config.nodeName());
    }
    return 0;
  }

  AgentConfig config() {
    if (nodeName == null || nodeName.isBlank()) {
      throw new ParameterException(command.commandLine(), "--node-name (or NODE_NAME) is required");
    }
    if (identitySeed == null || identitySeed.isBlank()) {
      throw new ParameterException(command.commandLine(),
          "--identity-seed (or VGUEST_IDENTITY_SEED) is required: generated identity derives from it");
    }
    Set<String> pools = Arrays.stream(allowedPools.split(",")).map(String::trim).filter(p -> !p.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
    GuestSettings settings = new GuestSettings(identitySeed, parse("--virt-type", virtType, VirtType::fromValue),
        parse("--default-serial-policy", defaultSerialPolicy, SerialPolicy::fromValue),
        new SmbiosDefaults(smbiosManufacturer, smbiosProduct, OperatorVersion.get(), smbiosFamily),
        exposeChassisSerial, exposeHostId, pools, parse("--pool-grants", poolGrants, PoolGrants::parseGrants),
        OperatorVersion.get(), consoleLogDir());
    HostSerialSource source = parse("--host-serial-source", hostSerialSource,
        v -> HostSerialSource.valueOf(v.toUpperCase(Locale.ROOT)));
    WatchFilter filter = parse("--watch-filter", watchFilter, v -> WatchFilter.valueOf(v.toUpperCase(Locale.ROOT)));
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      throw new ParameterException(command.commandLine(), "--log-format: \"" + logFormat + "\" is not one of text, json");
    }
    Instance instance = Instance.onHost(podName == null || podName.isBlank() ? hostName() : podName.strip(),
        readQuietly(machineId));
    return new AgentConfig(nodeName, settings, source, machineId, leaseNamespace, Duration.ofSeconds(40), instance,
        duration("--resync-period", resyncPeriod), duration("--shutdown-grace", shutdownGrace), filter,
        Clock.systemUTC(), swtpmStateDir);
  }

  /** The console log directory, or null for pty consoles; libvirt needs an absolute path. */
  private String consoleLogDir() {
    if (consoleLogDir == null || consoleLogDir.isBlank()) {
      return null;
    }
    String dir = consoleLogDir.strip();
    if (!dir.startsWith("/")) {
      throw new ParameterException(command.commandLine(), "--console-log-dir: \"" + dir
          + "\" is not an absolute path; libvirt writes the console files on the node, give e.g. /var/log/vguest/console");
    }
    return dir.length() > 1 && dir.endsWith("/") ? dir.substring(0, dir.length() - 1) : dir;
  }

  /** The machine-id file's content, or null when it cannot be read. */
  private static String readQuietly(Path file) {
    try {
      return file == null ? null : Files.readString(file);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The host name, for an agent run outside Kubernetes (no POD_NAME). */
  private static String hostName() {
    String env = System.getenv("HOSTNAME");
    if (env != null && !env.isBlank()) {
      return env.strip();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "vguest-agent";
    }
  }

  private <T> T parse(String option, String value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), option + ": \"" + value + "\" is not allowed ("
          + e.getMessage() + ")");
    }
  }

  /** Durations as Kubernetes writes them: 90s, 10m, 1h. */
  Duration duration(String option, String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      return switch (v.charAt(v.length() - 1)) {
        case 's' -> Duration.ofSeconds(n);
        case 'm' -> Duration.ofMinutes(n);
        case 'h' -> Duration.ofHours(n);
        default -> throw new NumberFormatException();
      };
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new ParameterException(command.commandLine(), option + ": \"" + value
          + "\" is not a duration; write it like 30s, 10m or 1h");
    }
  }
}
