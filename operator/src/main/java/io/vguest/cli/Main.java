package io.vguest.cli;

import io.vguest.guest.OperatorVersion;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vguest} command line. Exit codes: 0 success, 1 invalid input, 2 usage error. */
@Command(name = "vguest", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
    description = "Runs libvirt guests whose hardware identity never drifts.",
    subcommands = {ApplyCommand.class, OperatorCommand.class, RenderCommand.class, DevicesCommand.class})
public final class Main implements Runnable {

  public static final int INVALID = 1;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
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
