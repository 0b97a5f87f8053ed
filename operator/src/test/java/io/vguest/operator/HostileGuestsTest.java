package io.vguest.operator;

import static io.vguest.operator.AgentFixture.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.guest.BadManifestCorpusTest;
import io.vguest.guest.BadManifestCorpusTest.Case;
import io.vguest.guest.ManifestException;
import io.vguest.guest.ManifestReader;
import io.vguest.libvirt.DomainView;
import io.vguest.operator.AgentFixture.Node;
import io.vguest.reconcile.StatusBuilder;
import io.vguest.reconcile.SyncFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus (bad-manifests/) against a running node agent: every bad guest is
 * created in one batch together with valid guests on the same node. Each bad guest gets
 * {@code Ready=False} with reason {@code Invalid} and a message naming the field (what
 * {@code kubectl describe vg} shows), no domain is defined for any of them, and every valid guest
 * becomes Ready all the same.
 *
 * <p>Unknown enum values, which the API server's schema refuses, still reach an agent when the CRD
 * is newer than the agent (a value added in a later version, an agent rolled back): they are
 * created here as raw objects and must be refused the same way, without stopping the agent's
 * watch. Left out, and why: the other manifests the strict reader refuses (an unknown field, which
 * the API server prunes; a field given twice; a number beyond an int) never reach an agent; a guest
 * whose defect is its node name or object name is outside any agent's reach (no node has that
 * name; the API server refuses such object names).
 */
class HostileGuestsTest {

  static final String NAMESPACE = "hostile";
  static final YAMLMapper YAML = new YAMLMapper();

  static final String VALID = """
      apiVersion: vguest.io/v1alpha1
      kind: VirtualGuest
      metadata: {name: good-1, namespace: hostile}
      spec:
        nodeName: node-a
        displayName: "R&D <lab> 'ok'"
        resources: {cpus: 1, memory: 256Mi}
        disks:
          - name: root
            role: root
            source: {volume: {pool: default, name: good-root.qcow2}}
        interfaces:
          - name: eth0
            network: default
      """;

  @TempDir Path dir;
  AgentFixture cluster;
  Node a;

  /**
   * The corpus cases reach an agent only where the API server stores what its schema refuses (a
   * CRD older than the objects, or none): fabric8's mock server, which validates nothing. What the
   * real API server does with the corpus is {@link HostileCorpusRealApiTest}'s subject; the
   * profile test runs on the real server.
   */
  @BeforeEach
  void setUp(TestInfo test) throws Exception {
    boolean real = test.getTestMethod().map(m -> m.getName().equals("aProfileIsNeverTakenFromAnotherNamespace"))
        .orElse(false);
    cluster = real ? new AgentFixture(dir) : AgentFixture.mock(dir);
    cluster.namespaces(NAMESPACE, "other-ns");
    a = cluster.node("node-a").start(Duration.ofMinutes(10),
        AgentFixture.SETTINGS.withAllowedPools(BadManifestCorpusTest.ALLOWED_POOLS));
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  /** One corpus case as the agent sees it: the guest (and profile) to create, and what its status must name. */
  record Hostile(Case source, String name, List<HasMetadata> objects) {}

  @Test
  void everyHostileGuestIsRefusedNamingItsFieldAndTheValidOnesConverge() throws Exception {
    List<Hostile> hostile = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    List<String> outOfReach = new ArrayList<>();
    for (Case c : BadManifestCorpusTest.cases().toList()) {
      if (c.java().field().equals("spec.nodeName") || c.java().field().startsWith("metadata.name")) {
        outOfReach.add(c.toString());
        continue;
      }
      try {
        hostile.add(asAgentSeesIt(c, new ManifestReader().read(c.file())));
      } catch (ManifestException refusedByTheReader) {
        if (refusedByTheReader.detail().startsWith("Unsupported value")) {
          hostile.add(raw(c));
        } else {
          unreadable.add(c.toString());
        }
      }
    }
    assertTrue(hostile.size() >= 140, "only " + hostile.size() + " corpus cases reach the agent");

    List<String> valid = List.of("good-1", "good-2", "good-3", "good-4", "good-5");
    int next = 0;
    for (int i = 0; i < hostile.size(); i++) {
      if (i % 25 == 0 && next < valid.size()) {
        cluster.create(VALID.replace("good-1", valid.get(next++)));
      }
      hostile.get(i).objects().forEach(o -> cluster.client.resource(o).create());
    }
    while (next < valid.size()) {
      cluster.create(VALID.replace("good-1", valid.get(next++)));
    }

    for (String name : valid) {
      eventually(name + " Ready=True among the hostile guests", () -> "True".equals(ready(name).getStatus()));
    }
    Map<String, String> wrong = new LinkedHashMap<>();
    for (Hostile h : hostile) {
      Condition ready = eventually(h.name() + " refused", () -> ready(h.name()));
      String field = h.source().java().field();
      boolean namesField = ready.getMessage().contains(field + ": ")
          && h.source().java().fragments().stream().allMatch(ready.getMessage()::contains);
      if (!"False".equals(ready.getStatus()) || !"Invalid".equals(ready.getReason()) || !namesField) {
        wrong.put(h.source().toString(), ready.getReason() + ": " + ready.getMessage());
      }
    }
    assertEquals(Map.of(), wrong, "expected reason Invalid and a message naming the field");

    assertEquals(new TreeSet<>(valid.stream().map(n -> NAMESPACE + "_" + n).toList()),
        a.libvirt.listAll().stream().map(DomainView::name).collect(Collectors.toCollection(TreeSet::new)),
        "domains on the node: the valid guests' only");
    assertEquals(valid.size(), a.hypervisor.defines.get(), "one define per valid guest, none for the others");
    var json = cluster.client.getKubernetesSerialization();
    for (Hostile h : hostile) {
      GenericKubernetesResource created = (GenericKubernetesResource) json.unmarshal(json.asJson(
          h.objects().get(h.objects().size() - 1)), GenericKubernetesResource.class);
      GenericKubernetesResource stored = cluster.client.genericKubernetesResources(VirtualGuest.GROUP + "/"
          + VirtualGuest.VERSION, "VirtualGuest").inNamespace(NAMESPACE).withName(h.name()).get();
      assertEquals((Object) created.get("spec"), (Object) stored.get("spec"),
          h.source() + ": nothing is stamped into a refused guest");
      assertEquals(List.of(), stored.getMetadata().getFinalizers() == null ? List.of()
          : stored.getMetadata().getFinalizers(), h.source() + ": no finalizer, as nothing was defined");
    }
    // The rest of the corpus is refused before an agent could see it, or concerns no agent.
    assertEquals(BadManifestCorpusTest.cases().count(), hostile.size() + unreadable.size() + outOfReach.size());
    assertTrue(outOfReach.size() <= 6, "out of reach: " + outOfReach);
    assertTrue(unreadable.size() <= 4, "never reach an agent: " + unreadable);
  }

  @Test
  void aGuestWithAValueOnlyANewerCrdAllowsStopsNeitherTheAgentNorItsOtherGuests() throws Exception {
    a.stopAgent();
    Case unknownBus = BadManifestCorpusTest.cases().filter(c -> c.toString().equals("unknown-disk-bus.yaml"))
        .findFirst().orElseThrow();
    raw(unknownBus).objects().forEach(o -> cluster.client.resource(o).create()); // there when the agent lists
    a.start(Duration.ofMinutes(10), AgentFixture.SETTINGS.withAllowedPools(BadManifestCorpusTest.ALLOWED_POOLS));
    cluster.create(VALID);
    eventually("good-1 Ready=True", () -> "True".equals(ready("good-1").getStatus()));
    Condition refused = eventually("unknown-disk-bus refused", () -> ready("unknown-disk-bus"));
    assertEquals("Invalid", refused.getReason());
    assertTrue(refused.getMessage().startsWith("spec.devices.diskBus: Unsupported value: \"floppybus\": supported "
        + "values: virtio, scsi, sata, ide, usb, fdc (this agent does not know the value"), refused.getMessage());

    // and one arriving through the watch while the agent runs
    GenericKubernetesResource later = rawGuest(unknownBus, "arrives-later");
    cluster.client.resource(later).create();
    cluster.create(VALID.replace("good-1", "good-2"));
    eventually("good-2 Ready=True", () -> "True".equals(ready("good-2").getStatus()));
    assertEquals("Invalid", eventually("arrives-later refused", () -> ready("arrives-later")).getReason());
    assertEquals(List.of("hostile_good-1", "hostile_good-2"),
        a.libvirt.listAll().stream().map(DomainView::name).sorted().toList());
  }

  @Test
  void aProfileIsNeverTakenFromAnotherNamespace() {
    String profile = """
        apiVersion: vguest.io/v1alpha1
        kind: GuestDeviceProfile
        metadata: {name: shared, namespace: other-ns}
        spec: {diskBus: scsi, videoModel: qxl}
        """;
    cluster.client.resource(cluster.client.getKubernetesSerialization().unmarshal(profile, GuestDeviceProfile.class))
        .create();
    cluster.create(VALID.replace("name: good-1, namespace: hostile", "name: borrower, namespace: hostile")
        .replace("nodeName: node-a", "nodeName: node-a\n  profile: shared"));
    cluster.create(VALID.replace("name: good-1, namespace: hostile", "name: owner, namespace: other-ns")
        .replace("nodeName: node-a", "nodeName: node-a\n  profile: shared"));
    KubernetesClientException crosser = assertThrows(KubernetesClientException.class, () -> cluster.create(VALID
        .replace("name: good-1, namespace: hostile", "name: crosser, namespace: hostile")
        .replace("nodeName: node-a", "nodeName: node-a\n  profile: other-ns/shared")));
    assertEquals(422, crosser.getCode());
    assertTrue(crosser.getMessage().contains("spec.profile: Invalid value: \"other-ns/shared\""), crosser.getMessage());

    eventually("owner Ready with its own namespace's profile", () -> "True".equals(ready("other-ns", "owner").getStatus()));
    assertEquals("scsi", cluster.get("other-ns", "owner").getSpec().devices.diskBus.value());

    Condition borrower = eventually("borrower refused", () -> ready(NAMESPACE, "borrower"));
    assertEquals("ProfileNotFound", borrower.getReason());
    assertTrue(borrower.getMessage().startsWith("spec.profile: GuestDeviceProfile \"shared\" not found in namespace "
        + NAMESPACE), borrower.getMessage());
    assertNull(cluster.get(NAMESPACE, "borrower").getSpec().devices, "nothing resolved from the other namespace");

    assertEquals(List.of("other-ns_owner"), a.libvirt.listAll().stream().map(DomainView::name).toList());
  }

  private Condition ready(String name) {
    return ready(NAMESPACE, name);
  }

  private Condition ready(String namespace, String name) {
    VirtualGuest guest = cluster.get(namespace, name);
    return guest == null || guest.getStatus() == null ? null
        : StatusBuilder.condition(guest.getStatus(), StatusBuilder.READY);
  }

  /**
   * The case's guest renamed after its file, in the test's namespace, on node-a. A file that holds
   * only a profile gets a valid guest that uses it.
   */
  private static Hostile asAgentSeesIt(Case c, ManifestReader.Manifests read) {
    String name = name(c);
    List<HasMetadata> objects = new ArrayList<>();
    if (!read.profiles().isEmpty()) {
      GuestDeviceProfile profile = read.profiles().get(0);
      rename(profile, name);
      objects.add(profile);
    }
    VirtualGuest guest = read.guests().isEmpty() ? userOf(name) : read.guests().get(0);
    rename(guest, name);
    objects.add(guest);
    return new Hostile(c, name, objects);
  }

  /** A case the typed API cannot hold, created as the API server would store it. */
  private static Hostile raw(Case c) throws IOException {
    String name = name(c);
    JsonNode doc = YAML.readTree(c.file().toFile());
    if (doc.path("kind").asText().equals("GuestDeviceProfile")) {
      GenericKubernetesResource profile = generic(doc, name);
      VirtualGuest guest = userOf(name);
      rename(guest, name);
      return new Hostile(c, name, List.of(profile, guest));
    }
    return new Hostile(c, name, List.of(generic(doc, name)));
  }

  private static GenericKubernetesResource rawGuest(Case c, String name) throws IOException {
    return generic(YAML.readTree(c.file().toFile()), name);
  }

  private static GenericKubernetesResource generic(JsonNode doc, String name) {
    ObjectNode copy = doc.deepCopy();
    ObjectNode meta = (ObjectNode) copy.path("metadata");
    meta.put("name", name);
    meta.put("namespace", NAMESPACE);
    return YAML.convertValue(copy, GenericKubernetesResource.class);
  }

  private static VirtualGuest userOf(String profile) {
    return SyncFixtures.guest(VALID.replace("nodeName: node-a", "nodeName: node-a\n  profile: " + profile));
  }

  private static String name(Case c) {
    return c.file().getFileName().toString().replace(".yaml", "");
  }

  private static void rename(HasMetadata object, String name) {
    ObjectMeta meta = object.getMetadata() == null ? new ObjectMeta() : object.getMetadata();
    object.setMetadata(new ObjectMetaBuilder(meta).withName(name).withNamespace(NAMESPACE).build());
  }
}
