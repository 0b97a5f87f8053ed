package io.vguest.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.api.v1alpha1.VirtualGuest;
import java.io.File;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code vguest devices}: show and change the device choices stamped into a VirtualGuest, as a
 * kubectl plugin ({@code kubectl vguest devices ...}) with the user's kubeconfig. Changes go into
 * the guest's spec; the node agent applies them when the guest is stopped.
 */
@Command(name = "devices", mixinStandardHelpOptions = true,
    description = {"Show and change the machine type, buses and models stamped into a VirtualGuest.",
        "Uses your kubeconfig (KUBECONFIG or ~/.kube/config) like kubectl; changes are applied by the node agent "
            + "when the guest is stopped."},
    subcommands = {DevicesShowCommand.class, DevicesSetCommand.class, DevicesResetCommand.class},
    modelTransformer = DevicesExit.Help.class)
public final class DevicesCommand implements Runnable {

  /** Field manager of every write, so {@code managedFields} shows who changed a device choice. */
  public static final String FIELD_MANAGER = "vguest-cli";

  private static final String QUIET_VERSION_NOTICE =
      "org.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils";

  @Spec
  CommandSpec command;

  @Option(names = {"-n", "--namespace"}, scope = ScopeType.INHERIT, paramLabel = "NAMESPACE",
      description = "Namespace of the guest (default: the namespace of the kubeconfig context, else default).")
  String namespace;

  @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "CONTEXT",
      description = "kubeconfig context to use (default: the current context).")
  String context;

  @Option(names = "--kubeconfig", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "kubeconfig file to use (default: KUBECONFIG, else ~/.kube/config).")
  File kubeconfig;

  private final Supplier<KubernetesClient> clients;

  /** Connects with the user's kubeconfig, as kubectl does. */
  public DevicesCommand() {
    this.clients = null;
  }

  /** Connects through the given clients (tests); each is closed after use. */
  DevicesCommand(Supplier<KubernetesClient> clients) {
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
    return connect(kubeconfig, context);
  }

  /** A client from the user's kubeconfig (or the given file) and context, as kubectl connects. */
  static KubernetesClient connect(File kubeconfig, String context) {
    // A command line user gets errors, not the client's notice that v1alpha1 is not a stable version.
    System.setProperty(QUIET_VERSION_NOTICE, "error");
    Config config = kubeconfig != null ? Config.fromKubeconfig(context, kubeconfig) : Config.autoConfigure(context);
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  String namespaceOf(KubernetesClient client) {
    return namespaceOf(namespace, client);
  }

  /** The namespace given, else the kubeconfig context's, else default. */
  static String namespaceOf(String namespace, KubernetesClient client) {
    if (namespace != null) {
      return namespace;
    }
    String configured = client.getNamespace();
    return configured == null || configured.isEmpty() ? "default" : configured;
  }

  /** The guest, or a {@link Failure} with exit code 8. */
  static VirtualGuest guest(KubernetesClient client, String namespace, String name) {
    VirtualGuest guest = client.resources(VirtualGuest.class).inNamespace(namespace).withName(name).get();
    if (guest == null) {
      throw new Failure(DevicesExit.GUEST_NOT_FOUND, "virtualguest \"" + name + "\" not found in namespace "
          + namespace);
    }
    if (!guest.unknownValues().isEmpty()) {
      throw new Failure(DevicesExit.ERROR, "virtualguest \"" + name + "\" holds values this version does not know ("
          + guest.unknownValues().stream().map(Object::toString).collect(java.util.stream.Collectors.joining("; "))
          + "); use a vguest command of the cluster's version");
    }
    return guest;
  }

  /** Runs one subcommand: a {@link Failure} or an API error becomes its exit code and one error line. */
  static Integer execute(CommandSpec command, Callable<DevicesExit> body) {
    PrintWriter err = command.commandLine().getErr();
    try {
      return body.call().code();
    } catch (Failure f) {
      err.println("error: " + f.getMessage());
      return f.exit.code();
    } catch (KubernetesClientException e) {
      err.println("error: " + apiMessage(e));
      return DevicesExit.ERROR.code();
    } catch (Exception e) {
      err.println("error: " + e);
      return DevicesExit.ERROR.code();
    } finally {
      command.commandLine().getOut().flush();
      err.flush();
    }
  }

  static String apiMessage(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e ? e.getMessage() : e.getMessage() + " (" + root + ")";
  }

  /** A check failed: the command stops with this exit code and message. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final DevicesExit exit;

    Failure(DevicesExit exit, String message) {
      super(message);
      this.exit = exit;
    }
  }

  /** For picocli's factory and tests: a command line for this command that prints to the given writers. */
  static CommandLine commandLine(DevicesCommand devices, PrintWriter out, PrintWriter err) {
    return new CommandLine(devices).setOut(out).setErr(err);
  }
}
