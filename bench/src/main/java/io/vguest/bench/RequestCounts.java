package io.vguest.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * API requests of one client, by verb and resource: {@code patch virtualguests/status},
 * {@code create events}, {@code list virtualguests}, {@code watch leases}.
 */
public final class RequestCounts {

  private final Map<String, Long> byKind = new TreeMap<>();

  /** Counts the requests whose user agent starts with {@code userAgent}. */
  public static RequestCounts of(List<ApiRequest> requests, String userAgent) {
    RequestCounts counts = new RequestCounts();
    for (ApiRequest r : requests) {
      String agent = r.userAgent();
      if (agent != null && agent.startsWith(userAgent)) {
        counts.byKind.merge(kind(r), 1L, Long::sum);
      }
    }
    return counts;
  }

  public RequestCounts plus(RequestCounts other) {
    RequestCounts sum = new RequestCounts();
    sum.byKind.putAll(byKind);
    other.byKind.forEach((k, v) -> sum.byKind.merge(k, v, Long::sum));
    return sum;
  }

  public Map<String, Long> byKind() {
    return byKind;
  }

  public long total() {
    return byKind.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Requests that change something (create, update, patch, delete). */
  public long writes() {
    return byKind.entrySet().stream().filter(e -> isWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  /** Writes to VirtualGuest objects (spec, metadata or status). */
  public long guestWrites() {
    return byKind.entrySet().stream().filter(e -> isWrite(e.getKey()) && e.getKey().contains(" virtualguests"))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** Reads (get, list, watch). */
  public long reads() {
    return total() - writes();
  }

  static boolean isWrite(String kind) {
    return !(kind.startsWith("get ") || kind.startsWith("list ") || kind.startsWith("watch "));
  }

  /** {@code <verb> <resource>[/<subresource>]}. */
  static String kind(ApiRequest request) {
    String full = request.path();
    int q = full.indexOf('?');
    String path = q < 0 ? full : full.substring(0, q);
    String query = q < 0 ? "" : full.substring(q + 1);
    String[] parts = path.replaceAll("^/+", "").split("/");
    // /api/v1/... or /apis/<group>/<version>/...
    int i = parts.length > 0 && parts[0].equals("api") ? 2 : 3;
    String resource;
    String name = null;
    String sub = null;
    if (parts.length > i + 1 && parts[i].equals("namespaces") && parts.length > i + 2) {
      resource = parts[i + 2];
      name = parts.length > i + 3 ? parts[i + 3] : null;
      sub = parts.length > i + 4 ? parts[i + 4] : null;
    } else {
      resource = parts.length > i ? parts[i] : path;
      name = parts.length > i + 1 ? parts[i + 1] : null;
      sub = parts.length > i + 2 ? parts[i + 2] : null;
    }
    String verb = switch (request.method()) {
      case "GET" -> query.contains("watch=true") || query.contains("watch=1") ? "watch" : name == null ? "list" : "get";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> "delete";
      default -> request.method().toLowerCase();
    };
    return verb + " " + resource + (sub == null ? "" : "/" + sub);
  }
}
