package io.vguest.cli;

import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.io.File;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code vguest machine-types}: the machine types of many guests at once, chosen by namespace and
 * label selector, like Nova's {@code nova-manage libvirt list_unset_machine_type} and
 * {@code update_machine_type}. Reads and writes VirtualGuests through the Kubernetes API only;
 * the node agents apply a new machine type when each guest next starts.
 */
@Command(name = "machine-types", mixinStandardHelpOptions = true,
    description = {"List the machine types of many guests, and change them for the stopped ones.",
        "Uses your kubeconfig (KUBECONFIG or ~/.kube/config) like kubectl; the node agent defines each changed "
            + "guest with its new machine type before it next starts."},
    subcommands = {MachineTypesListCommand.class, MachineTypesUpdateCommand.class},
    modelTransformer = MachineTypesCommand.Help.class)
public final class MachineTypesCommand implements Runnable {

  /** Adds the exit codes of {@code machine-types} (those of {@code devices}, as they apply to many guests) to the help. */
  public static final class Help implements CommandLine.IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
      codes.put("0", "success: every matching guest was listed, or changed or already had TYPE");
      codes.put("1", DevicesExit.ERROR.meaning());
      codes.put("2", "usage error: unknown option, update without -l, both -n and -A");
      codes.put("3", "a matching guest is not stopped (Running, Paused or Unknown): it was left as it is");
      codes.put("6", "TYPE is not a machine type or alias: no guest was changed");
      codes.put("7", "TYPE does not fit a guest's disks or devices (e.g. IDE on q35): it was left as it is");
      codes.put("8", "no VirtualGuest matches");
      codes.put("9", "the API server refused a guest's patch: it changed meanwhile (run the command again)");
      spec.usageMessage().exitCodeListHeading("%nExit codes (with several, the lowest):%n").exitCodeList(codes);
      return spec;
    }
  }

  @Spec
  CommandSpec command;

  @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
      description = "Namespace of the guests (default: the namespace of the kubeconfig context, else default).")
  String namespace;

  @Option(names = {"-A", "--all-namespaces"}, scope = ScopeType.INHERIT,
      description = "Guests of every namespace.")
  boolean allNamespaces;

  @Option(names = {"-l", "--selector"}, scope = ScopeType.INHERIT, paramLabel = "SELECTOR",
      description = "Label selector, as kubectl takes it (e.g. app=web,tier!=db or 'os in (win2019,win2022)').")
  String selector;

  @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "CONTEXT",
      description = "kubeconfig context to use (default: the current context).")
  String context;

  @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "kubeconfig file to use (default: KUBECONFIG, else ~/.kube/config).")
  File kubeconfig;

  private final Supplier<KubernetesClient> clients;

  /** Connects with the user's kubeconfig, as kubectl does. */
  public MachineTypesCommand() {
    this.clients = null;
  }

  /** Connects through the given clients (tests); each is closed after use. */
  MachineTypesCommand(Supplier<KubernetesClient> clients) {
    this.clients = clients;
  }

  @Override
  public void run() {
    command.commandLine().usage(command.commandLine().getOut());
  }

  KubernetesClient client() {
    if (clients != null) {
      return clients.get();
    }
    return DevicesCommand.connect(kubeconfig, context);
  }

  /** Where the guests are looked for, as the header of what is printed: "namespace demo" or "all namespaces". */
  String scope(KubernetesClient client) {
    return allNamespaces ? "all namespaces" : "namespace " + namespaceOf(client);
  }

  /** The matching guests, sorted by namespace and name. */
  List<VirtualGuest> guests(KubernetesClient client) {
    if (allNamespaces && namespace != null) {
      throw new DevicesCommand.Failure(DevicesExit.USAGE, "give either --namespace or --all-namespaces");
    }
    var options = new ListOptionsBuilder().withLabelSelector(selector == null || selector.isBlank() ? null
        : selector).build();
    var resources = client.resources(VirtualGuest.class);
    List<VirtualGuest> found = allNamespaces ? resources.inAnyNamespace().list(options).getItems()
        : resources.inNamespace(namespaceOf(client)).list(options).getItems();
    return found.stream().sorted(Comparator.comparing((VirtualGuest g) -> g.getMetadata().getNamespace())
        .thenComparing(g -> g.getMetadata().getName())).toList();
  }

  private String namespaceOf(KubernetesClient client) {
    return DevicesCommand.namespaceOf(namespace, client);
  }

  /** For tests: a command line for this command that prints to the given writers. */
  static CommandLine commandLine(MachineTypesCommand machineTypes, PrintWriter out, PrintWriter err) {
    return new CommandLine(machineTypes).setOut(out).setErr(err);
  }
}
