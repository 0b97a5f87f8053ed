package io.vguest.e2e;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the scenarios do to the cluster, as a user does it, and the wait for the agents' answer.
 * Every change goes through the Kubernetes API ({@link KubeApi}): apply creates a guest or
 * merge-patches its spec with the manifest (as client-side {@code kubectl apply} does, so stamped
 * values the manifest does not name stay), edits merge-patch what they changed, a move changes
 * {@code spec.nodeName}, a delete goes through the agent's finalizer. Then it waits, polling, until
 * the agents have converged: {@code status.observedGeneration} equals {@code metadata.generation},
 * the guest is on the node its spec names and in the state its run strategy asks for.
 */
final class E2eCluster {

  static final YAMLMapper YAML = YAMLMapper.builder()
      .serializationInclusion(JsonInclude.Include.NON_NULL).build();

  /** Generous: a graceful shutdown, a define and a boot's start on two busy cores take far less. */
  static final Duration CONVERGE_TIMEOUT = Duration.ofMinutes(5);

  private final KubeApi api;
  private final KubernetesClient client;
  private final Map<String, E2eNode> nodes = new LinkedHashMap<>();

  E2eCluster(KubeApi api, E2eNode... nodes) {
    this.api = api;
    this.client = api.client;
    for (E2eNode node : nodes) {
      this.nodes.put(node.name, node);
    }
  }

  E2eNode node(String name) {
    return Objects.requireNonNull(nodes.get(name), "no node " + name);
  }

  /** The namespace of this run's guests and profiles. */
  String namespace() {
    return api.namespace;
  }

  /** Creates or updates a profile from its manifest. */
  void applyProfile(String yaml) {
    apply(yaml, GuestDeviceProfile.class);
  }

  /**
   * Like {@code kubectl apply -f}: creates the guest, or merge-patches its spec with the manifest
   * (lists replaced whole, stamped fields the manifest does not name kept). Then waits for the
   * agents.
   */
  VirtualGuest apply(String yaml) {
    return awaitConverged(apply(yaml, VirtualGuest.class), "apply");
  }

  /** Edits the spec (like {@code kubectl edit}: a merge patch of what changed), then waits for the agents. */
  VirtualGuest edit(VirtualGuest guest, Consumer<VirtualGuestSpec> change) {
    VirtualGuest current = get(guest);
    JsonNode before = YAML.valueToTree(current.getSpec());
    change.accept(current.getSpec());
    JsonNode patch = JsonNodeFactory.instance.objectNode().set("spec", mergeDiff(before,
        YAML.valueToTree(current.getSpec())));
    VirtualGuest patched = guests().withName(guest.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
    return awaitConverged(patched, "edit " + patch);
  }

  VirtualGuest stop(VirtualGuest guest) {
    return edit(guest, spec -> spec.runStrategy = RunStrategy.Halted);
  }

  VirtualGuest start(VirtualGuest guest) {
    return edit(guest, spec -> spec.runStrategy = RunStrategy.Always);
  }

  /** Changes spec.nodeName: the old node undefines the stopped guest, then the new node defines it. */
  VirtualGuest move(VirtualGuest guest, String node) {
    return edit(guest, spec -> spec.nodeName = node);
  }

  /** Deletes the guest and waits until it is gone: its node's agent undefines the domain, then drops its finalizer. */
  void delete(VirtualGuest guest) {
    guests().withName(guest.getMetadata().getName()).delete();
    await("deletion of " + key(guest), () -> guests().withName(guest.getMetadata().getName()).get(),
        Objects::isNull);
  }

  VirtualGuest get(VirtualGuest guest) {
    VirtualGuest current = guests().withName(guest.getMetadata().getName()).get();
    if (current == null) {
      throw new IllegalArgumentException("no VirtualGuest " + key(guest));
    }
    return current;
  }

  boolean exists(VirtualGuest guest) {
    return guests().withName(guest.getMetadata().getName()).get() != null;
  }

  /**
   * Waits until the agents have handled the guest's current generation: status written for it,
   * the domain on the node the spec names, and in the state the run strategy asks for (Manual:
   * defined, running or not).
   */
  VirtualGuest awaitConverged(VirtualGuest guest, String after) {
    return await(after + " of " + key(guest), () -> get(guest), E2eCluster::converged);
  }

  static boolean converged(VirtualGuest guest) {
    var status = guest.getStatus();
    if (status == null || !Objects.equals(status.observedGeneration, guest.getMetadata().getGeneration())
        || !Objects.equals(status.node, guest.getSpec().nodeName)) {
      return false;
    }
    RunStrategy strategy = guest.getSpec().runStrategy == null ? RunStrategy.Always : guest.getSpec().runStrategy;
    return switch (strategy) {
      case Always -> "Running".equals(status.state);
      case Halted -> "Stopped".equals(status.state);
      case Manual -> "Running".equals(status.state) || "Stopped".equals(status.state);
    };
  }

  /**
   * Polls until {@code done} holds for what {@code read} returns; fails when an agent died or the
   * deadline passed, showing the last value (its status) and where the agents' logs are.
   */
  <T> T await(String what, Supplier<T> read, Predicate<T> done) {
    Instant deadline = Instant.now().plus(CONVERGE_TIMEOUT);
    T last = null;
    while (true) {
      nodes.values().forEach(n -> n.agent.assertAlive());
      last = read.get();
      if (done.test(last)) {
        return last;
      }
      if (Instant.now().isAfter(deadline)) {
        break;
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
    StringBuilder message = new StringBuilder("the agents did not converge within " + CONVERGE_TIMEOUT + " after "
        + what + "; last seen: " + (last instanceof HasMetadata object ? YAML.valueToTree(object).toPrettyString()
        : last));
    nodes.values().forEach(n -> message.append("\n").append(n.agent.tail()));
    throw new AssertionError(message.toString());
  }

  /** Creates the object of a manifest in this run's namespace, or merge-patches its spec when it exists. */
  private <T extends HasMetadata> T apply(String yaml, Class<T> type) {
    ObjectNode manifest = read(yaml);
    ((ObjectNode) manifest.get("metadata")).put("namespace", api.namespace);
    String name = manifest.get("metadata").get("name").asText();
    try {
      GenericKubernetesResource object = client.getKubernetesSerialization().unmarshal(manifest.toString(),
          GenericKubernetesResource.class);
      client.genericKubernetesResources(ResourceDefinitionContext.fromResourceType(type))
          .inNamespace(api.namespace).resource(object).create();
      return client.resources(type).inNamespace(api.namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw e;
      }
    }
    JsonNode patch = JsonNodeFactory.instance.objectNode().set("spec", manifest.get("spec"));
    return client.resources(type).inNamespace(api.namespace).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), patch.toString());
  }

  private NonNamespaceOperation<VirtualGuest, KubernetesResourceList<VirtualGuest>, Resource<VirtualGuest>> guests() {
    return client.resources(VirtualGuest.class).inNamespace(api.namespace);
  }

  /**
   * The RFC 7386 merge patch that turns {@code before} into {@code after}: changed and new fields,
   * {@code null} for removed ones; lists and other values whole.
   */
  static JsonNode mergeDiff(JsonNode before, JsonNode after) {
    if (!before.isObject() || !after.isObject()) {
      return after.deepCopy();
    }
    ObjectNode diff = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> field : after.properties()) {
      JsonNode old = before.get(field.getKey());
      if (old == null) {
        diff.set(field.getKey(), field.getValue().deepCopy());
      } else if (!old.equals(field.getValue())) {
        diff.set(field.getKey(), mergeDiff(old, field.getValue()));
      }
    }
    for (Map.Entry<String, JsonNode> field : before.properties()) {
      if (!after.has(field.getKey())) {
        diff.putNull(field.getKey());
      }
    }
    return diff;
  }

  private static ObjectNode read(String yaml) {
    try {
      return (ObjectNode) YAML.readTree(yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String key(VirtualGuest guest) {
    return api.namespace + "/" + guest.getMetadata().getName();
  }
}
