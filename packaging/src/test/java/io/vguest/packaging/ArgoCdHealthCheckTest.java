package io.vguest.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.vguest.reconcile.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the Argo CD health check of docs/argocd/virtualguest-health.lua the way Argo CD does: the
 * live object as the global {@code obj}, the returned table's status and message.
 */
class ArgoCdHealthCheckTest {

  /** The Argo CD health of a guest whose Ready condition is False with each reason. */
  static final Map<Reason, String> HEALTH_WHEN_NOT_READY = Map.ofEntries(
      Map.entry(Reason.Running, "Progressing"),    // runStrategy Halted: the agent shuts it down
      Map.entry(Reason.Stopped, "Progressing"),    // runStrategy Always: the agent starts it
      Map.entry(Reason.Stopping, "Progressing"),
      Map.entry(Reason.Defining, "Progressing"),
      Map.entry(Reason.NotStamped, "Progressing"),
      Map.entry(Reason.UpToDate, "Degraded"),      // not used with Ready=False
      Map.entry(Reason.DeprecatedByNode, "Degraded"), // MachineTypeDeprecated's reason, not used with Ready=False
      Map.entry(Reason.ChangesPending, "Suspended"),
      Map.entry(Reason.Paused, "Suspended"),
      Map.entry(Reason.Unknown, "Unknown"),
      Map.entry(Reason.Crashed, "Degraded"),
      Map.entry(Reason.Invalid, "Degraded"),
      Map.entry(Reason.HostSerialUnavailable, "Degraded"),
      Map.entry(Reason.ForeignDomain, "Degraded"),
      Map.entry(Reason.DomainRejected, "Degraded"),
      Map.entry(Reason.HypervisorUnavailable, "Degraded"),
      Map.entry(Reason.HypervisorError, "Degraded"),
      Map.entry(Reason.ProfileNotFound, "Degraded"),
      Map.entry(Reason.UnsupportedByNode, "Degraded"),
      Map.entry(Reason.MovePending, "Suspended"),      // waits for someone to stop the guest
      Map.entry(Reason.WaitingForPreviousNode, "Progressing"),
      Map.entry(Reason.Moved, "Progressing"),          // the new node defines it next
      Map.entry(Reason.Evacuated, "Progressing"),
      Map.entry(Reason.EvacuationRefused, "Degraded"),
      Map.entry(Reason.IdentityCopied, "Degraded"),
      Map.entry(Reason.DuplicateMacAddress, "Degraded"),
      Map.entry(Reason.VolumeNotFound, "Degraded"));

  record Health(String status, String message) {}

  static Health check(String guestYaml) throws IOException {
    String script = Files.readString(Repo.docs().resolve("argocd/virtualguest-health.lua"), StandardCharsets.UTF_8);
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(Manifests.YAML.readTree(guestYaml)));
    LuaValue result = globals.load(script, "virtualguest-health.lua").call();
    return new Health(result.get("status").tojstring(), result.get("message").tojstring());
  }

  /** JSON as Argo CD hands it to Lua: objects and arrays as tables (arrays from index 1). */
  static LuaValue toLua(JsonNode node) {
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      node.fields().forEachRemaining(e -> table.set(e.getKey(), toLua(e.getValue())));
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isIntegralNumber()) {
      return LuaValue.valueOf(node.asLong());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.asDouble());
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.asBoolean());
    }
    if (node.isNull()) {
      return LuaValue.NIL;
    }
    return LuaValue.valueOf(node.asText());
  }

  static String guest(long generation, String conditions) {
    return """
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: web-1, namespace: demo, generation: %d}
        spec: {nodeName: node-a}
        status:
          observedGeneration: %d
          conditions:
        %s""".formatted(generation, generation, conditions.indent(4));
  }

  static String ready(String status, String reason, String message, long observedGeneration) {
    return """
        - type: Synced
          status: "True"
          reason: UpToDate
          message: the domain matches
          observedGeneration: %d
        - type: Ready
          status: "%s"
          reason: %s
          message: "%s"
          observedGeneration: %d
        """.formatted(observedGeneration, status, reason, message, observedGeneration);
  }

  @Test
  void newGuestWithoutStatusIsProgressing() throws IOException {
    Health h = check("""
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: web-1, namespace: demo, generation: 1}
        spec: {nodeName: node-a}
        """);
    assertEquals(new Health("Progressing", "Waiting for the vguest node agent to report this guest"), h);
  }

  @Test
  void readyGuestIsHealthy() throws IOException {
    Health h = check(guest(3, ready("True", "Running", "domain demo_web-1 is running as runStrategy Always asks", 3)));
    assertEquals(new Health("Healthy", "domain demo_web-1 is running as runStrategy Always asks"), h);
  }

  @Test
  void readyForAnOlderGenerationIsProgressing() throws IOException {
    Health h = check(guest(4, ready("True", "Running", "running", 3)).replace("observedGeneration: 4",
        "observedGeneration: 3"));
    assertEquals(new Health("Progressing", "The node agent has not reported generation 4 yet"), h);
  }

  @Test
  void changeWaitingForAStopIsSuspendedWithTheAgentsMessage() throws IOException {
    String message = "the domain runs an older spec; stop the guest to apply: spec.devices.diskBus";
    assertEquals(new Health("Suspended", message), check(guest(2, ready("False", "ChangesPending", message, 2))));
  }

  @Test
  void everyReasonHasADeliberateHealth() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Reason reason : Reason.values()) {
      String expected = HEALTH_WHEN_NOT_READY.get(reason);
      assertTrue(expected != null, "decide the Argo CD health of Ready=False reason " + reason
          + " in docs/argocd/virtualguest-health.lua and in this test");
      Health h = check(guest(1, ready("False", reason.name(), "because", 1)));
      if (!h.status().equals(expected)) {
        wrong.add(reason + " -> " + h.status() + " (expected " + expected + ")");
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void reasonUnknownToTheCheckIsDegraded() throws IOException {
    assertEquals("Degraded", check(guest(1, ready("False", "SomethingNew", "x", 1))).status());
  }
}
