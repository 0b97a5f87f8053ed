package io.vguest.guest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which namespaces may use which storage pools on a node, and which volumes belong to a namespace.
 *
 * <p>Two kinds of grant: pools every namespace may use ({@code --allowed-pools}, the setting vguest
 * always had) and pools only the namespaces listed for them may use ({@code --pool-grants}). On top
 * of both, a volume vguest created for a blank disk is named {@code <namespace>_<guest>_<disk>.qcow2};
 * such a name belongs to its namespace, and no guest of another namespace may attach it, whatever
 * the pool allows. A namespace is a DNS label (no {@code _}), so the part before the first {@code _}
 * of such a name is always the namespace vguest created it for.
 *
 * @param everyNamespace pools every namespace may use
 * @param byPool pools only some namespaces may use: pool → those namespaces
 */
public record PoolGrants(Set<String> everyNamespace, Map<String, Set<String>> byPool) {

  /** The shape of the volumes vguest creates for blank disks (see DefinitionBuilder#blankVolumeName). */
  private static final Pattern CREATED_VOLUME =
      Pattern.compile("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)_[a-z0-9]([-a-z0-9.]*[a-z0-9])?_[a-z0-9]([-a-z0-9]*[a-z0-9])?\\.qcow2$");
  private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.+-]*$");
  private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  public static final PoolGrants NONE = new PoolGrants(Set.of(), Map.of());

  public PoolGrants {
    everyNamespace = Collections.unmodifiableSortedSet(new TreeSet<>(everyNamespace));
    Map<String, Set<String>> copy = new TreeMap<>();
    byPool.forEach((pool, namespaces) -> copy.put(pool, Collections.unmodifiableSortedSet(new TreeSet<>(namespaces))));
    byPool = Collections.unmodifiableMap(copy);
  }

  public static PoolGrants everyNamespace(Set<String> pools) {
    return new PoolGrants(pools, Map.of());
  }

  /** These grants plus the pools of {@code more} (the namespaces of a pool in both are joined). */
  public PoolGrants withGrants(Map<String, Set<String>> more) {
    Map<String, Set<String>> joined = new TreeMap<>();
    byPool.forEach((pool, namespaces) -> joined.put(pool, new TreeSet<>(namespaces)));
    more.forEach((pool, namespaces) -> joined.computeIfAbsent(pool, p -> new TreeSet<>()).addAll(namespaces));
    return new PoolGrants(everyNamespace, joined);
  }

  /** The pools a guest of {@code namespace} may use, sorted. */
  public SortedSet<String> poolsFor(String namespace) {
    SortedSet<String> pools = new TreeSet<>(everyNamespace);
    byPool.forEach((pool, namespaces) -> {
      if (namespaces.contains(namespace)) {
        pools.add(pool);
      }
    });
    return pools;
  }

  public boolean allows(String namespace, String pool) {
    return everyNamespace.contains(pool) || byPool.getOrDefault(pool, Set.of()).contains(namespace);
  }

  /** Every pool some namespace may use (the pools an embedded test node must hold). */
  public SortedSet<String> allPools() {
    SortedSet<String> pools = new TreeSet<>(everyNamespace);
    pools.addAll(byPool.keySet());
    return pools;
  }

  /** Why a guest of {@code namespace} may not use {@code pool}, or empty when it may. */
  public Optional<String> refusal(String namespace, String pool) {
    if (allows(namespace, pool)) {
      return Optional.empty();
    }
    SortedSet<String> allowed = poolsFor(namespace);
    if (byPool.isEmpty()) {
      return Optional.of("this node allows only the pools " + quoted(allowed));
    }
    return Optional.of(allowed.isEmpty()
        ? "this node grants namespace " + namespace + " no storage pool (none is allowed to every namespace, and "
            + "no pool grant names it)"
        : "this node allows namespace " + namespace + " only the pools " + quoted(allowed));
  }

  /**
   * The namespace a volume belongs to because vguest created it for a guest there, judged by its
   * name; empty for any other name (an image the admin uploaded, an external volume).
   */
  public static Optional<String> createdFor(String volumeName) {
    if (volumeName == null) {
      return Optional.empty();
    }
    Matcher m = CREATED_VOLUME.matcher(volumeName);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Why a guest of {@code namespace} may not attach {@code volumeName}, or empty when it may. */
  public static Optional<String> ownerRefusal(String namespace, String volumeName) {
    return createdFor(volumeName).filter(owner -> !owner.equals(namespace)).map(owner -> "volume \"" + volumeName
        + "\" was created by vguest for a guest of namespace " + owner + "; a guest of namespace " + namespace
        + " may not attach it, whatever the pool allows (volumes named <namespace>_<guest>_<disk>.qcow2 belong to "
        + "that namespace)");
  }

  /**
   * Parses {@code --pool-grants}: {@code POOL=NAMESPACE[,NAMESPACE...]} entries separated by
   * {@code ;} or white space, e.g. {@code tenant-a=team-a;shared=team-a,team-b}.
   *
   * @throws IllegalArgumentException naming the bad entry and the expected form
   */
  public static Map<String, Set<String>> parseGrants(String text) {
    Map<String, Set<String>> grants = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return grants;
    }
    for (String entry : text.trim().split("[;\\s]+")) {
      if (entry.isEmpty()) {
        continue;
      }
      int eq = entry.indexOf('=');
      String pool = eq < 0 ? entry : entry.substring(0, eq).trim();
      if (eq < 0 || !NAME.matcher(pool).matches()) {
        throw new IllegalArgumentException("\"" + entry + "\" is not POOL=NAMESPACE[,NAMESPACE...], e.g. "
            + "tenant-a=team-a;shared=team-a,team-b");
      }
      Set<String> namespaces = grants.computeIfAbsent(pool, p -> new TreeSet<>());
      for (String ns : entry.substring(eq + 1).split(",")) {
        String namespace = ns.trim();
        if (!NAMESPACE.matcher(namespace).matches()) {
          throw new IllegalArgumentException("\"" + entry + "\": \"" + namespace + "\" is not a namespace name "
              + "(a DNS label); write POOL=NAMESPACE[,NAMESPACE...]");
        }
        namespaces.add(namespace);
      }
    }
    return grants;
  }

  /** The grants as {@code --pool-grants} takes them, e.g. {@code tenant-a=team-a;shared=team-a,team-b}. */
  public String grantsText() {
    StringBuilder text = new StringBuilder();
    byPool.forEach((pool, namespaces) -> text.append(text.length() == 0 ? "" : ";").append(pool).append('=')
        .append(String.join(",", namespaces)));
    return text.toString();
  }

  private static String quoted(Set<String> values) {
    StringBuilder s = new StringBuilder();
    values.forEach(v -> s.append(s.length() == 0 ? "" : ", ").append('"').append(v).append('"'));
    return values.isEmpty() ? "(none)" : s.toString();
  }
}
