package io.vguest.reconcile;

import io.vguest.libvirt.DomainState;
import java.util.Objects;

/**
 * Where a guest belongs, as one node sees it: a pure decision over plain facts, taken before any
 * libvirt call or API write. The node agent reads the facts ({@link Facts}), asks
 * {@link #decide}, and acts on the {@link Decision}; a guest leaving this node is then asked
 * {@link #departure} once its domain here was looked up.
 *
 * <p>The node that holds a guest is the one its claim annotation names, else the one its status
 * names (a guest claimed before claims were written, or whose annotation a whole-object replace
 * removed). A guest moves to its spec.nodeName only once the holder released it, unless an admin
 * evacuates it from a holder whose heartbeat expired.
 */
public final class Placement {

  private Placement() {}

  /** What the node agent does with a guest. */
  public enum Decision {
    /** The guest lives here and no other node holds it: validate, stamp, sync, status. */
    SYNC_HERE,
    /** The guest moves here from a node whose heartbeat expired, as an admin asked: sync it here. */
    EVACUATE_HERE,
    /** The guest moves here; another node holds it: report that and wait for its release. */
    WAIT_FOR_PREVIOUS_NODE,
    /** As {@link #WAIT_FOR_PREVIOUS_NODE}, and the admin's evacuation is refused: the holder is alive. */
    EVACUATION_REFUSED,
    /** The guest lives elsewhere now and this node holds it: stop holding it ({@link #departure}). */
    MOVE_AWAY,
    /** The guest is being deleted and this node holds its domain: undefine, then drop the finalizer. */
    DELETE_HERE,
    /** Nothing for this node to do: another node's guest, or a deletion another node handles. */
    IGNORE
  }

  /** What is known of the holder's heartbeat, read only when an admin evacuates the guest from it. */
  public enum Heartbeat {
    /** Not read: no evacuation asks for it. */
    NOT_READ,
    /** Renewed and still valid: the holder's agent is alive. */
    LIVE,
    /** Expired. */
    EXPIRED,
    /** The holder has no heartbeat Lease at all. */
    MISSING;

    boolean gone() {
      return this == EXPIRED || this == MISSING;
    }
  }

  /**
   * The facts of one guest that decide its placement.
   *
   * @param thisNode the name of the node deciding
   * @param specNode the guest's spec.nodeName (where it should live)
   * @param statusNode the guest's status.node (where a node last reported its domain), or null
   * @param claim the claim annotation ({@code vguest.io/claimed-by}), or null
   * @param evacuateFrom the evacuation annotation ({@code vguest.io/evacuate-from}), or null
   * @param deleting whether the guest has a deletion timestamp
   * @param finalizer whether the guest still carries the agent's finalizer
   * @param holderHeartbeat the holder's heartbeat; read only when {@link #heartbeatNeeded}
   */
  public record Facts(String thisNode, String specNode, String statusNode, String claim, String evacuateFrom,
      boolean deleting, boolean finalizer, Heartbeat holderHeartbeat) {

    public Facts {
      Objects.requireNonNull(thisNode, "thisNode");
      Objects.requireNonNull(holderHeartbeat, "holderHeartbeat");
    }

    /** The node that holds the guest: its claim, else its status.node; null when none does. */
    public String holder() {
      return Placement.holder(claim, statusNode);
    }

    /** Whether spec.nodeName names this node. */
    public boolean home() {
      return thisNode.equals(specNode);
    }

    /** Whether the decision depends on the holder's heartbeat: an admin evacuates the guest from its holder. */
    public boolean heartbeatNeeded() {
      String holder = holder();
      return home() && holder != null && !holder.equals(thisNode) && holder.equals(evacuateFrom);
    }

    /** The same facts with the holder's heartbeat as read. */
    public Facts withHeartbeat(Heartbeat heartbeat) {
      return new Facts(thisNode, specNode, statusNode, claim, evacuateFrom, deleting, finalizer, heartbeat);
    }
  }

  /** The node that holds a guest: the one its claim names, else the one its status names; null when none does. */
  public static String holder(String claim, String statusNode) {
    return claim != null && !claim.isBlank() ? claim : statusNode;
  }

  /** Where the guest belongs and what this node does about it. */
  public static Decision decide(Facts facts) {
    String me = facts.thisNode();
    String holder = facts.holder();
    boolean home = facts.home();
    if (facts.deleting()) {
      if (!facts.finalizer()) {
        return Decision.IGNORE;
      }
      boolean holds = me.equals(holder) || (home && holder == null);
      boolean evacuated = facts.heartbeatNeeded() && facts.holderHeartbeat().gone();
      return holds || evacuated ? Decision.DELETE_HERE : Decision.IGNORE;
    }
    if (home && (holder == null || holder.equals(me))) {
      return Decision.SYNC_HERE;
    }
    if (home) {
      if (!facts.heartbeatNeeded()) {
        return Decision.WAIT_FOR_PREVIOUS_NODE;
      }
      return switch (facts.holderHeartbeat()) {
        case LIVE -> Decision.EVACUATION_REFUSED;
        case EXPIRED, MISSING -> Decision.EVACUATE_HERE;
        case NOT_READ -> throw new IllegalArgumentException("the holder's heartbeat decides an evacuation: read it");
      };
    }
    return me.equals(holder) ? Decision.MOVE_AWAY : Decision.IGNORE;
  }

  /** What a node that holds a guest which moves away does with its domain. */
  public enum Departure {
    /** The domain runs and the guest is not halted: it keeps running here until it stops. */
    KEEP_RUNNING,
    /** No domain here, or a stopped one, or a halted guest: undefine it and release the claim. */
    RELEASE
  }

  /**
   * @param domainHere the state of this node's vguest domain of the guest, or null when there is none
   * @param halted whether the guest's runStrategy is Halted (it is stopped before it moves)
   */
  public static Departure departure(DomainState domainHere, boolean halted) {
    return domainHere != null && domainHere != DomainState.STOPPED && !halted ? Departure.KEEP_RUNNING
        : Departure.RELEASE;
  }
}
