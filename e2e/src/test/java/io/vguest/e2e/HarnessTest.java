package io.vguest.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vguest.api.v1alpha1.VirtualGuest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The suite's own building blocks that need neither root nor a daemon. */
class HarnessTest {

  @Test
  void cpioEntriesAreNewcWithAlignedNamesAndData() {
    byte[] archive = new Cpio().file("bin/hello", 0755, "hi\n".getBytes(StandardCharsets.UTF_8))
        .symlink("bin/sh", "busybox").charDevice("dev/console", 0600, 5, 1).finish();
    String text = new String(archive, StandardCharsets.ISO_8859_1);

    assertEquals(0, archive.length % 4);
    assertTrue(text.startsWith("070701"), "newc magic");
    // parent directory first, then the file; every header starts on a 4-byte boundary
    List<String> names = List.of("bin", "bin/hello", "bin/sh", "dev", "dev/console", "TRAILER!!!");
    int from = 0;
    for (String name : names) {
      int at = text.indexOf(name + "\0", from);
      assertTrue(at > 0, name);
      int header = at - 110;
      assertEquals(0, header % 4, name + " header alignment");
      assertEquals("070701", text.substring(header, header + 6), name);
      from = at;
    }
    int console = text.indexOf("dev/console\0") - 110;
    assertEquals("00002180", text.substring(console + 14, console + 22), "character device, mode 0600");
    assertEquals("00000005", text.substring(console + 6 + 9 * 8, console + 6 + 10 * 8), "rdev major");
  }

  @Test
  void moduleDependenciesComeFromTheModinfoStrings() {
    byte[] module = "\u007fELF...\0license=GPL\0depends=virtio,virtio_ring,crc-t10dif\0retpoline=Y\0"
        .getBytes(StandardCharsets.US_ASCII);
    assertEquals(List.of("virtio", "virtio_ring", "crc_t10dif"), KernelModules.dependsField(module));
    assertEquals(List.of(), KernelModules.dependsField("\0depends=\0".getBytes(StandardCharsets.US_ASCII)));
    assertEquals(List.of(), KernelModules.dependsField("no modinfo".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void editsAreMergePatchesOfWhatChanged() throws Exception {
    var before = E2eCluster.YAML.readTree("""
        nodeName: a
        runStrategy: Always
        firmware: {serial: S-1, uuid: U-1}
        devices: {diskBus: virtio, vifModel: virtio}
        disks: [{name: root}, {name: data}]
        """);
    var after = E2eCluster.YAML.readTree("""
        nodeName: b
        runStrategy: Always
        firmware: {serial: S-1, uuid: U-1}
        devices: {diskBus: scsi}
        disks: [{name: root}]
        """);
    assertEquals(E2eCluster.YAML.readTree("""
        nodeName: b
        devices: {diskBus: scsi, vifModel: null}
        disks: [{name: root}]
        """), E2eCluster.mergeDiff(before, after));
  }

  @Test
  void convergedMeansTheCurrentGenerationOnItsNodeInTheStateItsRunStrategyAsksFor() throws Exception {
    String guest = """
        apiVersion: vguest.io/v1alpha1
        kind: VirtualGuest
        metadata: {name: g, namespace: e2e, generation: 3}
        spec: {nodeName: b, runStrategy: %s}
        status: {observedGeneration: %d, node: %s, state: %s}
        """;
    assertTrue(E2eCluster.converged(guest(guest.formatted("Always", 3, "b", "Running"))));
    assertTrue(E2eCluster.converged(guest(guest.formatted("Halted", 3, "b", "Stopped"))));
    assertTrue(E2eCluster.converged(guest(guest.formatted("Manual", 3, "b", "Stopped"))));
    assertFalse(E2eCluster.converged(guest(guest.formatted("Always", 2, "b", "Running"))), "older generation");
    assertFalse(E2eCluster.converged(guest(guest.formatted("Halted", 3, "b", "Running"))), "still shutting down");
    assertFalse(E2eCluster.converged(guest(guest.formatted("Halted", 3, "a", "Stopped"))), "not moved yet");
  }

  private static VirtualGuest guest(String yaml) throws Exception {
    return E2eCluster.YAML.readValue(yaml, VirtualGuest.class);
  }

  @Test
  void agentCountersAreSummedFromThePrometheusText() {
    String metrics = """
        # HELP vguest_reconciles_total Guest reconciles by outcome
        # TYPE vguest_reconciles_total counter
        vguest_reconciles_total{outcome="done"} 7.0
        vguest_reconciles_total{outcome="retry"} 2.0
        vguest_reconciles_total_other{outcome="done"} 100.0
        """;
    assertEquals(7.0, AgentProcess.counter(metrics, "vguest_reconciles_total", "outcome=\"done\""));
    assertEquals(9.0, AgentProcess.counter(metrics, "vguest_reconciles_total", ""));
  }

  @Test
  void agentsRunWithEveryNodeSettingAsAFlag() throws Exception {
    Path dir = Files.createTempDirectory("e2e-harness");
    try {
      E2eNode node = new E2eNode("b", new LibvirtDaemon("b", dir.resolve("b"), dir.resolve("cache")), true);
      List<String> command = AgentProcess.command(Path.of("/x/vguest.jar"), node, "e2e", "client", 8081);
      String line = String.join(" ", command);
      assertTrue(line.contains("-jar /x/vguest.jar operator --node-name b --libvirt qemu:///system?socket="), line);
      for (String flag : List.of("--allowed-pools e2e", "--identity-seed " + E2eEnvironment.SEED,
          "--expose-chassis-serial true", "--console-log-dir " + node.consoleDir, "--lease-namespace e2e",
          "--watch-filter client", "--http-port 8081", "--machine-id " + node.machineIdFile)) {
        assertTrue(line.contains(flag), flag + " in " + line);
      }
    } finally {
      LibvirtDaemon.deleteTree(dir);
    }
  }

  /**
   * The real-cluster mode's own steps, against the mock server standing in for a cluster that
   * already has the CRDs (the mock never reports a CRD Established, so installing is not tried
   * here): a namespace of its own, finalizers the stopped agents left dropped, the namespace
   * removed, the CRDs it did not install kept.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void clusterModeUsesANamespaceOfItsOwnAndLeavesTheCrdsItFound() throws Exception {
    Path dir = Files.createTempDirectory("e2e-harness");
    Path crds = KubeApi.repoRoot().resolve("crds");
    try (KubeApi cluster = KubeApi.mock(crds, dir.resolve("kubeconfig"))) {
      KubeApi run = KubeApi.cluster(dir.resolve("kubeconfig"), crds);
      assertTrue(run.namespace.matches("vguest-e2e-[0-9a-f]{6}"), run.namespace);
      assertTrue(cluster.client.namespaces().withName(run.namespace).get() != null, "namespace created");
      VirtualGuest left = guest("""
          apiVersion: vguest.io/v1alpha1
          kind: VirtualGuest
          metadata: {name: g, namespace: %s, finalizers: [vguest.io/domain]}
          spec: {nodeName: a}
          """.formatted(run.namespace));
      cluster.client.resource(left).create();

      run.close();

      List<String> finalizers = cluster.client.resources(VirtualGuest.class).inNamespace(run.namespace).withName("g")
          .get().getMetadata().getFinalizers();
      assertTrue(finalizers == null || finalizers.isEmpty(), "finalizer dropped: " + finalizers);
      assertTrue(cluster.client.namespaces().withName(run.namespace).get() == null, "namespace removed");
      for (String crd : List.of("virtualguests.vguest.io", "guestdeviceprofiles.vguest.io")) {
        assertTrue(cluster.client.apiextensions().v1().customResourceDefinitions().withName(crd).get() != null, crd);
      }
    } finally {
      LibvirtDaemon.deleteTree(dir);
    }
  }

  @Test
  void mockKubeconfigNamesTheServer() throws Exception {
    var config = io.fabric8.kubernetes.client.Config.fromKubeconfig(KubeApi.kubeconfig("http://localhost:4711/"));
    assertEquals("http://localhost:4711/", config.getMasterUrl());
    assertEquals(Guests.NAMESPACE, config.getNamespace());
  }

  @Test
  void guestModuleListNamesModulesOnly() {
    List<String> modules = GuestImage.moduleList(new String(GuestImage.resource("guest/modules.txt"),
        StandardCharsets.UTF_8));
    assertTrue(modules.containsAll(List.of("virtio_blk", "virtio_scsi", "ahci", "e1000e", "button", "evdev")),
        modules.toString());
    assertTrue(modules.stream().noneMatch(m -> m.contains(" ") || m.startsWith("#")), modules.toString());
  }

  @Test
  void nodeMachineIdsAreDistinctAndWellFormed() {
    assertTrue(E2eNode.machineId("a").matches("[0-9a-f]{32}"), E2eNode.machineId("a"));
    assertTrue(!E2eNode.machineId("a").equals(E2eNode.machineId("b")));
  }
}
