package io.vguest.cli;

import io.vguest.guest.OperatorVersion;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code vguest} command line. Exit codes: 0 success, 1 invalid input or another failure (one
 * line on standard error says which), 2 usage error.
 */
@Command(name = "vguest", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Runs libvirt guests whose hardware identity never drifts.",
    subcommands = {ApplyCommand.class, OperatorCommand.class, RenderCommand.class, DevicesCommand.class,
        MachineTypesCommand.class})
public final class Main implements Runnable {

  public static final int INVALID = 1;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "Show log messages and, on a failure, its stack trace.")
  boolean debug;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    boolean debug = Arrays.asList(args).contains("--debug");
    String command = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse("");
    if (!command.equals("operator")) {
      CliLogging.forPeople(debug);
    }
    CommandLine cli = commandLine(debug);
    try {
      return cli.execute(args);
    } catch (Throwable failure) { // an Error (a native library that does not load) passes picocli by
      return CliFailure.report(cli.getErr(), failure, debug);
    }
  }

  /** The command line, with every failure of a command turned into one line on standard error. */
  static CommandLine commandLine(boolean debug) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((failure, command, parsed) -> CliFailure.report(command.getErr(), failure, debug));
    return cli;
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"vguest " + OperatorVersion.get()};
    }
  }
}
