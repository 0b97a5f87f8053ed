package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.domain.VirtType;
import io.vguest.identity.SerialPolicy;
import io.vguest.operator.AgentConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The agent's configuration as flags give it (the environment variables are the flags' defaults). */
class OperatorCommandTest {

  private static AgentConfig parse(String... args) {
    OperatorCommand command = new OperatorCommand();
    new CommandLine(command).parseArgs(args);
    return command.config();
  }

  private static String refusal(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setErr(new PrintWriter(err));
    cli.setOut(new PrintWriter(new StringWriter()));
    String[] all = new String[args.length + 1];
    all[0] = "operator";
    System.arraycopy(args, 0, all, 1, args.length);
    assertEquals(2, cli.execute(all), "usage error exit code");
    return err.toString();
  }

  @Test
  void flagsBecomeTheAgentConfig() {
    AgentConfig config = parse("--node-name", "node-7", "--identity-seed", "s3cret", "--virt-type", "kvm",
        "--allowed-pools", "default, images", "--default-serial-policy", "host", "--resync-period", "30s",
        "--shutdown-grace", "3m", "--watch-filter", "client", "--expose-chassis-serial", "true");
    assertEquals("node-7", config.nodeName());
    assertEquals(VirtType.KVM, config.settings().virtType());
    assertEquals(Set.of("default", "images"), config.settings().allowedPools());
    assertEquals(SerialPolicy.HOST, config.settings().defaultSerialPolicy());
    assertEquals(Duration.ofSeconds(30), config.resyncPeriod());
    assertEquals(Duration.ofMinutes(3), config.shutdownGrace());
    assertEquals(AgentConfig.WatchFilter.CLIENT, config.watchFilter());
    assertTrue(config.settings().exposeChassisSerial());
  }

  @Test
  void poolGrantsGiveSomePoolsToSomeNamespacesOnly() {
    AgentConfig defaults = parse("--node-name", "n", "--identity-seed", "s");
    assertEquals(Set.of("default"), defaults.settings().pools().poolsFor("any-namespace"));
    assertEquals(java.util.Map.of(), defaults.settings().poolGrants());
    AgentConfig config = parse("--node-name", "n", "--identity-seed", "s", "--allowed-pools", "",
        "--pool-grants", "tenant-a=team-a; shared=team-a,team-b");
    assertEquals(Set.of("shared", "tenant-a"), config.settings().pools().poolsFor("team-a"));
    assertEquals(Set.of("shared"), config.settings().pools().poolsFor("team-b"));
    assertEquals(Set.of(), config.settings().pools().poolsFor("team-c"));
    assertTrue(refusal("--node-name", "n", "--identity-seed", "s", "--pool-grants", "tenant-a")
        .contains("--pool-grants: \"tenant-a\" is not allowed (\"tenant-a\" is not POOL=NAMESPACE[,NAMESPACE...]"));
  }

  @Test
  void consoleLogDirectoryIsUnsetByDefaultSoConsolesArePtys() {
    assertNull(parse("--node-name", "n", "--identity-seed", "s").settings().consoleLogDir());
    assertNull(parse("--node-name", "n", "--identity-seed", "s", "--console-log-dir", " ").settings().consoleLogDir());
  }

  @Test
  void consoleLogDirectoryGoesIntoTheGuestSettings() {
    assertEquals("/var/log/vguest/console", parse("--node-name", "n", "--identity-seed", "s", "--console-log-dir",
        "/var/log/vguest/console/").settings().consoleLogDir());
  }

  @Test
  void relativeConsoleLogDirectoryIsRefused() {
    String err = refusal("--node-name", "n", "--identity-seed", "s", "--console-log-dir", "logs/console");
    assertTrue(err.contains("--console-log-dir: \"logs/console\" is not an absolute path"), err);
  }

  @Test
  void theLeaseNamesThePodAndAHashOfTheMachineId(@TempDir Path dir) throws Exception {
    Path machineId = dir.resolve("machine-id");
    Files.writeString(machineId, "0123456789abcdef0123456789abcdef\n");
    AgentConfig config = parse("--node-name", "node-7", "--identity-seed", "s", "--pod-name", "vguest-x7k2p",
        "--machine-id", machineId.toString());
    AgentConfig again = parse("--node-name", "node-7", "--identity-seed", "s", "--pod-name", "vguest-q9z4m",
        "--machine-id", machineId.toString());

    assertEquals("vguest-x7k2p", config.instance().name());
    assertTrue(config.instance().holderIdentity().startsWith("vguest-x7k2p@"));
    assertFalse(config.instance().host().contains("0123456789abcdef"), "the machine-id itself is not shown");
    assertTrue(again.instance().sameHost(config.instance().holderIdentity()), "another pod on the same host");
    assertFalse(again.instance().sameHost("vguest-x7k2p@another-host"));
    assertFalse(again.instance().sameHost("node-7"), "a holder without a host");
  }

  @Test
  void withoutAMachineIdTheHostIdIsRandom(@TempDir Path dir) {
    String missing = dir.resolve("machine-id").toString();
    AgentConfig one = parse("--node-name", "n", "--identity-seed", "s", "--pod-name", "p", "--machine-id", missing);
    AgentConfig two = parse("--node-name", "n", "--identity-seed", "s", "--pod-name", "p", "--machine-id", missing);
    assertFalse(one.instance().sameHost(two.instance().holderIdentity()));
  }

  @Test
  void missingNodeNameNamesTheVariable() {
    String err = refusal("--identity-seed", "s");
    assertTrue(err.contains("--node-name (or NODE_NAME) is required"), err);
  }

  @Test
  void missingSeedIsRefused() {
    String err = refusal("--node-name", "n");
    assertTrue(err.contains("VGUEST_IDENTITY_SEED"), err);
  }

  @Test
  void badValuesNameTheOptionAndTheAllowedValues() {
    String err = refusal("--node-name", "n", "--identity-seed", "s", "--virt-type", "xen");
    assertTrue(err.contains("--virt-type: \"xen\""), err);
    assertTrue(err.contains("qemu") && err.contains("kvm"), err);
    err = refusal("--node-name", "n", "--identity-seed", "s", "--resync-period", "soon");
    assertTrue(err.contains("--resync-period: \"soon\" is not a duration"), err);
  }
}
