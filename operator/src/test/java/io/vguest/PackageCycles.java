package io.vguest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the cycles of a package dependency graph ({@code from -> to -> where it shows}), for
 * {@link ArchitectureTest}.
 */
final class PackageCycles {

  private PackageCycles() {}

  /**
   * Every cycle of the graph, one per strongly connected component of more than one package (or a
   * package that uses itself), each as a path through that component starting at its
   * alphabetically first package.
   */
  static List<List<String>> of(Map<String, Map<String, String>> graph) {
    List<List<String>> found = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String start : new TreeSet<>(graph.keySet())) {
      if (seen.contains(start)) {
        continue;
      }
      Set<String> component = new TreeSet<>(reachable(graph, start));
      component.removeIf(p -> !reachable(graph, p).contains(start));
      seen.addAll(component);
      if (component.size() > 1 || graph.get(start).containsKey(start)) {
        found.add(pathBack(graph, start, component));
      }
    }
    return found;
  }

  private static Set<String> reachable(Map<String, Map<String, String>> graph, String from) {
    Set<String> reached = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>(graph.getOrDefault(from, Map.of()).keySet());
    while (!todo.isEmpty()) {
      String p = todo.pop();
      if (reached.add(p)) {
        todo.addAll(graph.getOrDefault(p, Map.of()).keySet());
      }
    }
    return reached;
  }

  /** A shortest round trip from {@code start} back to itself inside {@code component}. */
  private static List<String> pathBack(Map<String, Map<String, String>> graph, String start, Set<String> component) {
    Map<String, String> cameFrom = new HashMap<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String p = todo.removeFirst();
      for (String next : graph.getOrDefault(p, Map.of()).keySet()) {
        if (next.equals(start)) {
          List<String> path = new ArrayList<>();
          for (String at = p; at != null; at = cameFrom.get(at)) {
            path.add(0, at);
          }
          return path;
        }
        if (component.contains(next) && !cameFrom.containsKey(next)) {
          cameFrom.put(next, p);
          todo.addLast(next);
        }
      }
    }
    throw new IllegalStateException("no way back to " + start + " in " + component);
  }
}
