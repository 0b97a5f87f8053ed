package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.reconcile.StatusBuilder;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vguest apply} on its embedded libvirt test-driver node. */
class ApplyCommandTest {

  private static final Path EXAMPLES = Path.of(System.getProperty("vguest.repoRoot", ".."), "examples");

  private record Result(int exit, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Main());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Result(exit, out.toString(), err.toString());
  }

  @Test
  void printsTheStampedManifestWithTheStatusACusterWouldShow() throws Exception {
    Result result = run("apply", "-f", EXAMPLES.resolve("linux-guest.yaml").toString(),
        "-f", EXAMPLES.resolve("linux-profile.yaml").toString());
    assertEquals(0, result.exit(), result.err());
    VirtualGuest applied = new YAMLMapper().readValue(result.out(), VirtualGuest.class);
    assertEquals("demo/web-1", applied.getSpec().identity.stampedFor);
    assertEquals(applied.getSpec().firmware.serial, applied.getStatus().serial);
    assertEquals(applied.getSpec().firmware.uuid, applied.getStatus().uuid);
    assertEquals("Running", applied.getStatus().state);
    assertEquals("True", StatusBuilder.condition(applied.getStatus(), StatusBuilder.READY).getStatus());
    assertEquals(applied.getSpec().identity.diskSerials.get("root"), applied.getStatus().disks.get(0).serial);
    assertTrue(result.err().contains("[DEFINED, STARTED]"), result.err());
  }

  @Test
  void sameManifestGivesTheSameIdentityOnEveryRun() throws Exception {
    String file = EXAMPLES.resolve("linux-guest.yaml").toString();
    String profile = EXAMPLES.resolve("linux-profile.yaml").toString();
    VirtualGuest first = new YAMLMapper().readValue(run("apply", "-f", file, "-f", profile).out(), VirtualGuest.class);
    VirtualGuest second = new YAMLMapper().readValue(run("apply", "-f", file, "-f", profile).out(), VirtualGuest.class);
    assertEquals(first.getSpec().firmware.serial, second.getSpec().firmware.serial);
    assertEquals(first.getSpec().identity.diskSerials, second.getSpec().identity.diskSerials);
    assertEquals(first.getSpec().identity.macAddresses, second.getSpec().identity.macAddresses);
  }

  @Test
  void invalidGuestIsRefusedWithTheFieldNamedAndNothingDefined(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, Files.readString(EXAMPLES.resolve("linux-guest.yaml")).replace("pool: default",
        "pool: secret"));
    Result result = run("apply", "-f", bad.toString(), "-f", EXAMPLES.resolve("linux-profile.yaml").toString());
    assertEquals(Main.INVALID, result.exit());
    assertTrue(result.err().contains("spec.disks[0].source.volume.pool: Invalid value: \"secret\""), result.err());
    assertTrue(result.err().contains("[NONE]"), "nothing defined: " + result.err());
  }

  @Test
  void outputJsonIsAListOfTheStampedGuestsAndOtherFormatsAreAUsageError() throws Exception {
    String file = EXAMPLES.resolve("linux-guest.yaml").toString();
    String profile = EXAMPLES.resolve("linux-profile.yaml").toString();
    Result json = run("apply", "-o", "json", "-f", file, "-f", profile);
    assertEquals(0, json.exit(), json.err());
    var list = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertEquals("List", list.path("kind").asText());
    VirtualGuest applied = new com.fasterxml.jackson.databind.ObjectMapper()
        .treeToValue(list.path("items").get(0), VirtualGuest.class);
    assertEquals("demo/web-1", applied.getSpec().identity.stampedFor);

    Result xml = run("apply", "-o", "xml", "-f", file);
    assertEquals(2, xml.exit());
    assertTrue(xml.err().contains("--output: \"xml\" is not one of yaml, json"), xml.err());
  }

  @Test
  void poolGrantsLetOnlyTheNamedNamespacesUseAPool(@TempDir Path dir) throws Exception {
    Path guest = dir.resolve("guest.yaml");
    Files.writeString(guest, Files.readString(EXAMPLES.resolve("linux-guest.yaml")).replace("pool: default",
        "pool: tenant-a"));
    String profile = EXAMPLES.resolve("linux-profile.yaml").toString();
    Result granted = run("apply", "--pool-grant", "tenant-a=demo", "-f", guest.toString(), "-f", profile);
    assertEquals(0, granted.exit(), granted.err());
    Result other = run("apply", "--pool-grant", "tenant-a=team-a", "-f", guest.toString(), "-f", profile);
    assertEquals(Main.INVALID, other.exit());
    assertTrue(other.err().contains("spec.disks[0].source.volume.pool: Invalid value: \"tenant-a\": this node allows "
        + "namespace demo only the pools \"default\""), other.err());
  }
}
