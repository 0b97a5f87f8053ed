package io.vguest.operator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.vguest.api.v1alpha1.VirtualGuest;
import io.vguest.api.v1alpha1.VirtualGuestStatus;
import io.vguest.guest.GuestStamper.Stamp;
import io.vguest.reconcile.StampPatch;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write the agent makes to a VirtualGuest. All go out as JSON patches under the agent's own
 * field manager, whose name does not start with "kubectl" (Flux takes over the fields of managers
 * named so).
 */
public final class GuestWriter {

  private static final Logger LOG = LoggerFactory.getLogger(GuestWriter.class);

  /** The field manager of every write; never starts with "kubectl". */
  public static final String FIELD_MANAGER = "vguest-agent";

  /** Finalizer that keeps a guest until its domain is gone from its node. */
  public static final String FINALIZER = "vguest.io/domain";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PatchContext JSON_PATCH = new PatchContext.Builder().withPatchType(PatchType.JSON)
      .withFieldManager(FIELD_MANAGER).build();

  /**
   * Status writes carry no fieldManager parameter: the API server then names the manager after
   * the client's user agent, which the agent sets to {@value #FIELD_MANAGER}. (fabric8's mock API
   * server ignores status patches that carry query parameters.)
   */
  private static final PatchContext STATUS_PATCH = new PatchContext.Builder().withPatchType(PatchType.JSON).build();

  private final KubernetesClient client;
  private final AtomicLong writes = new AtomicLong();

  private final AgentMetrics metrics;

  public GuestWriter(KubernetesClient client, AgentMetrics metrics) {
    this.client = client;
    this.metrics = metrics;
  }

  /** Applies a stamp patch built by {@link StampPatch}; fails (422) if the guest changed since it was read. */
  public VirtualGuest stamp(VirtualGuest guest, String patch) {
    counted("stamp");
    return target(guest).patch(JSON_PATCH, patch);
  }

  /**
   * Writes what stamping filled in, the finalizer and this node's claim in one patch, guarded by
   * the guest's resourceVersion, before anything is defined. Returns the guest as stored, the
   * guest unchanged when nothing was missing, or null when the guest changed since it was read
   * (the patch was refused and is tried again on the newer guest).
   */
  VirtualGuest stampAndClaim(VirtualGuest guest, VirtualGuest base, Stamp stamp, String node,
      GuestHandler.Written written) {
    // Against the base, so values a clone or a declared restore renews are replaced ("add" of a member).
    String patch = StampPatch.between(base, stamp.guest(), FINALIZER,
        Map.of(GuestHandler.CLAIMED_BY, node));
    if (patch == null) {
      return guest;
    }
    VirtualGuest stored;
    try {
      stored = written.apply(stamp(guest, patch));
    } catch (KubernetesClientException e) {
      if (!changedSinceRead(guest, e)) {
        throw e;
      }
      return null;
    }
    String holder = GuestHandler.holder(guest);
    var annotations = guest.getMetadata().getAnnotations();
    String claimed = annotations != null && node.equals(annotations.get(GuestHandler.CLAIMED_BY)) ? null
        : "claimed for node " + node + (holder == null ? "" : " (held by node " + holder + " before)");
    if (stamp.changed()) {
      LOG.info("{}: stamped {}{}", GuestHandler.key(guest), stamp.filled(), claimed == null ? "" : "; " + claimed);
    } else if (claimed != null) {
      LOG.info("{}: {}", GuestHandler.key(guest), claimed);
    }
    return stored;
  }

  /** Replaces the whole status; the agent owns every status field. */
  public VirtualGuest writeStatus(VirtualGuest guest, VirtualGuestStatus status) {
    return writeStatus(guest, status, false);
  }

  /**
   * Replaces the whole status; with {@code guarded}, only if the guest is still at the
   * resourceVersion it was read at (else 422), for a status written by a node that does not hold
   * the guest.
   */
  public VirtualGuest writeStatus(VirtualGuest guest, VirtualGuestStatus status, boolean guarded) {
    ArrayNode patch = JSON.createArrayNode();
    if (guarded) {
      patch.addObject().put("op", "test").put("path", "/metadata/resourceVersion")
          .put("value", guest.getMetadata().getResourceVersion());
    }
    patch.addObject().put("op", "add").put("path", "/status").set("value", JSON.valueToTree(status));
    counted("status");
    return target(guest).subresource("status").patch(STATUS_PATCH, patch.toString());
  }

  /**
   * Gives up this node's claim on the guest: removes the claim annotation if it still names
   * {@code node}. Returns the guest as the server has it after, or the guest unchanged when the
   * claim does not name the node.
   */
  public VirtualGuest releaseClaim(VirtualGuest guest, String annotation, String node) {
    String patch = StampPatch.removeAnnotation(guest.getMetadata().getAnnotations(), annotation, node);
    if (patch == null) {
      return guest;
    }
    counted("claim");
    return target(guest).patch(JSON_PATCH, patch);
  }

  /** Removes the agent's finalizer, if present; returns the guest as the server has it after. */
  public VirtualGuest removeFinalizer(VirtualGuest guest) {
    String patch = StampPatch.removeFinalizer(guest.getMetadata().getFinalizers(), FINALIZER);
    if (patch == null) {
      return guest;
    }
    counted("finalizer");
    return target(guest).patch(JSON_PATCH, patch);
  }

  /** The guest as the API server has it now, or null when it is gone (after a guarded write was refused). */
  public VirtualGuest read(VirtualGuest guest) {
    return client.resources(VirtualGuest.class).inNamespace(guest.getMetadata().getNamespace())
        .withName(guest.getMetadata().getName()).get();
  }

  /**
   * The guest to patch, addressed through an object holding only its name and namespace: fabric8
   * reads a resource addressed by name from the server before every patch just to learn where to
   * send it, one GET per write; with an object it sends the patch alone.
   */
  /**
   * Whether a guarded write was refused because the guest changed since it was read (the API
   * server answers a failed resourceVersion test with 422, a stale update with 409): the write
   * is simply tried again on the newer guest, which the watch delivers. Any other refusal is an
   * error. A 422 is told apart from one for an invalid value by reading the guest's current
   * resourceVersion.
   */
  boolean changedSinceRead(VirtualGuest guest, KubernetesClientException e) {
    if (e.getCode() == 409) {
      LOG.debug("{}: changed since it was read; tried again", GuestHandler.key(guest));
      return true;
    }
    if (e.getCode() != 422) {
      return false;
    }
    VirtualGuest current = read(guest);
    String read = guest.getMetadata().getResourceVersion();
    if (current != null && Objects.equals(read, current.getMetadata().getResourceVersion())) {
      return false;
    }
    LOG.debug("{}: changed since it was read (resourceVersion {}, now {}); tried again", GuestHandler.key(guest), read,
        current == null ? "deleted" : current.getMetadata().getResourceVersion());
    return true;
  }


  private Resource<VirtualGuest> target(VirtualGuest guest) {
    VirtualGuest address = new VirtualGuest();
    address.setMetadata(new ObjectMetaBuilder().withName(guest.getMetadata().getName())
        .withNamespace(guest.getMetadata().getNamespace()).build());
    return client.resources(VirtualGuest.class).inNamespace(guest.getMetadata().getNamespace()).resource(address);
  }

  private void counted(String kind) {
    writes.incrementAndGet();
    metrics.apiWrite(kind);
  }

  /** How many writes this agent sent to the API server. */
  public long writes() {
    return writes.get();
  }
}
