package io.vguest.e2e;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.vguest.api.v1alpha1.GuestDeviceProfile;
import io.vguest.api.v1alpha1.RunStrategy;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The Kubernetes side of the suite, kept as small as possible: an in-memory store of guests and
 * profiles with the API server's habits that matter here (a generation bumped by spec changes, a
 * uid and creation time per object, client-side apply as a JSON merge patch that keeps stamped
 * values) and the two nodes. Each operation ends with the agents' reaction: the node named in the
 * spec reconciles the guest, any other node that holds its domain lets it go first.
 *
 * <p>When the node agent is merged, this becomes the fabric8 mock server in CRUD mode with one
 * {@code NodeAgent} per node; the scenarios keep calling the same methods.
 */
final class E2eCluster {

  static final YAMLMapper YAML = YAMLMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final Map<String, E2eNode> nodes = new LinkedHashMap<>();
  private final Map<String, VirtualGuest> guests = new ConcurrentHashMap<>();
  private final Map<String, GuestDeviceProfile> profiles = new ConcurrentHashMap<>();
  /** One lock per guest: the agents handle one guest at a time, different guests at once. */
  private final Map<String, Object> locks = new ConcurrentHashMap<>();

  E2eCluster(E2eNode... nodes) {
    for (E2eNode node : nodes) {
      this.nodes.put(node.name, node);
    }
  }

  E2eNode node(String name) {
    return Objects.requireNonNull(nodes.get(name), "no node " + name);
  }

  /** Creates or updates a profile from its manifest. */
  void applyProfile(String yaml) {
    GuestDeviceProfile profile = read(yaml, GuestDeviceProfile.class);
    profiles.put(key(profile.getMetadata().getNamespace(), profile.getMetadata().getName()), profile);
  }

  /**
   * Like {@code kubectl apply -f}: creates the guest, or merge-patches its spec with the manifest
   * (lists replaced whole, stamped fields the manifest does not name kept). Then the agents react.
   */
  VirtualGuest apply(String yaml) {
    VirtualGuest manifest = read(yaml, VirtualGuest.class);
    String key = key(manifest.getMetadata().getNamespace(), manifest.getMetadata().getName());
    synchronized (lock(key)) {
      return apply(key, manifest);
    }
  }

  private VirtualGuest apply(String key, VirtualGuest manifest) {
    VirtualGuest existing = guests.get(key);
    VirtualGuest stored;
    if (existing == null) {
      stored = manifest;
      stored.getMetadata().setUid(UUID.randomUUID().toString());
      stored.getMetadata().setGeneration(1L);
      stored.getMetadata().setCreationTimestamp(Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    } else {
      JsonNode patched = mergePatch(YAML.valueToTree(existing.getSpec()), YAML.valueToTree(manifest.getSpec()));
      stored = copy(existing);
      stored.setSpec(YAML.convertValue(patched, VirtualGuestSpec.class));
      bumpIfChanged(existing, stored);
    }
    guests.put(key, stored);
    return reconcile(key);
  }

  /** Edits the spec (like {@code kubectl edit}), then the agents react. */
  VirtualGuest edit(VirtualGuest guest, Consumer<VirtualGuestSpec> change) {
    String key = key(guest);
    synchronized (lock(key)) {
      VirtualGuest existing = get(key);
      VirtualGuest edited = copy(existing);
      change.accept(edited.getSpec());
      bumpIfChanged(existing, edited);
      guests.put(key, edited);
      return reconcile(key);
    }
  }

  VirtualGuest stop(VirtualGuest guest) {
    return edit(guest, spec -> spec.runStrategy = RunStrategy.Halted);
  }

  VirtualGuest start(VirtualGuest guest) {
    return edit(guest, spec -> spec.runStrategy = RunStrategy.Always);
  }

  /** Changes spec.nodeName: the old node stops and undefines the guest, then the new node defines it. */
  VirtualGuest move(VirtualGuest guest, String node) {
    return edit(guest, spec -> spec.nodeName = node);
  }

  /** Deletes the guest: its node shuts it down and undefines it (the agent's finalizer), then it is gone. */
  void delete(VirtualGuest guest) {
    String key = key(guest);
    synchronized (lock(key)) {
      VirtualGuest existing = get(key);
      for (E2eNode node : nodes.values()) {
        node.release(existing);
      }
      guests.remove(key);
    }
  }

  /** Runs the agents once more for the guest (a resync), e.g. after a daemon restart. */
  VirtualGuest resync(VirtualGuest guest) {
    String key = key(guest);
    synchronized (lock(key)) {
      return reconcile(key);
    }
  }

  private Object lock(String key) {
    return locks.computeIfAbsent(key, k -> new Object());
  }

  VirtualGuest get(VirtualGuest guest) {
    return get(key(guest));
  }

  boolean exists(VirtualGuest guest) {
    return guests.containsKey(key(guest));
  }

  private VirtualGuest get(String key) {
    VirtualGuest guest = guests.get(key);
    if (guest == null) {
      throw new IllegalArgumentException("no VirtualGuest " + key);
    }
    return copy(guest);
  }

  private VirtualGuest reconcile(String key) {
    VirtualGuest guest = get(key);
    String target = guest.getSpec().nodeName;
    for (E2eNode node : nodes.values()) {
      if (!node.name.equals(target) && node.release(guest) && guest.getStatus() != null) {
        guest.getStatus().node = null;
      }
    }
    E2eNode owner = nodes.get(target);
    if (owner == null) {
      guests.put(key, guest);
      return copy(guest);
    }
    VirtualGuest reconciled = owner.reconcile(guest, profileFor(guest));
    guests.put(key, reconciled);
    return copy(reconciled);
  }

  private GuestDeviceProfile profileFor(VirtualGuest guest) {
    String name = guest.getSpec().profile;
    return name == null ? null : profiles.get(key(guest.getMetadata().getNamespace(), name));
  }

  /** A spec change bumps the generation, as the API server does for custom resources. */
  private static void bumpIfChanged(VirtualGuest before, VirtualGuest after) {
    if (!YAML.valueToTree(before.getSpec()).equals(YAML.valueToTree(after.getSpec()))) {
      Long generation = before.getMetadata().getGeneration();
      after.getMetadata().setGeneration((generation == null ? 0 : generation) + 1);
    }
  }

  /** RFC 7386 JSON merge patch: objects merge, everything else (lists included) is replaced. */
  static JsonNode mergePatch(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch.deepCopy();
    }
    ObjectNode result = ((ObjectNode) target).deepCopy();
    for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else if (result.has(field.getKey())) {
        result.set(field.getKey(), mergePatch(result.get(field.getKey()), field.getValue()));
      } else {
        result.set(field.getKey(), field.getValue().deepCopy());
      }
    }
    return result;
  }

  static VirtualGuest copy(VirtualGuest guest) {
    return YAML.convertValue(guest, VirtualGuest.class);
  }

  private static <T> T read(String yaml, Class<T> type) {
    try {
      return YAML.readValue(yaml, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String key(VirtualGuest guest) {
    return key(guest.getMetadata().getNamespace(), guest.getMetadata().getName());
  }

  private static String key(String namespace, String name) {
    return (namespace == null ? "default" : namespace) + "/" + name;
  }
}
