package io.vguest.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The modules of an unpacked kernel package (which ships no modules.dep; depmod writes it at
 * install time): finds each module's file and reads its dependencies from the module's own
 * {@code .modinfo} strings, so no kmod tools are needed.
 */
final class KernelModules {

  private final Path root;
  private final Map<String, Path> files = new TreeMap<>();
  private final Set<String> builtin = new LinkedHashSet<>();

  /** @param modulesDir the {@code lib/modules/<version>} directory */
  KernelModules(Path modulesDir) {
    this.root = modulesDir;
    try (Stream<Path> walk = Files.walk(modulesDir.resolve("kernel"))) {
      walk.filter(p -> p.getFileName().toString().endsWith(".ko")).forEach(p -> files.put(nameOf(p), p));
      Path builtinList = modulesDir.resolve("modules.builtin");
      if (Files.exists(builtinList)) {
        for (String line : Files.readAllLines(builtinList)) {
          builtin.add(normalize(Path.of(line).getFileName().toString().replaceAll("\\.ko$", "")));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Module names use '_' and '-' interchangeably; the kernel itself writes '_'. */
  static String normalize(String name) {
    return name.replace('-', '_');
  }

  private static String nameOf(Path file) {
    return normalize(file.getFileName().toString().replaceAll("\\.ko$", ""));
  }

  /**
   * The modules needed to load {@code wanted}, dependencies first (an order {@code insmod} can
   * follow). Built-in modules are left out; a wanted module that exists neither way is an error.
   */
  List<String> loadOrder(List<String> wanted) {
    List<String> order = new ArrayList<>();
    Set<String> visiting = new LinkedHashSet<>();
    for (String module : wanted) {
      String name = normalize(module);
      if (!files.containsKey(name) && !builtin.contains(name)) {
        throw new IllegalArgumentException("kernel module " + module + " is neither a file under " + root
            + " nor built in");
      }
      visit(name, order, visiting);
    }
    return order;
  }

  /** The module's file relative to the modules directory, e.g. kernel/drivers/block/virtio_blk.ko. */
  Path relativeFile(String module) {
    return root.relativize(files.get(normalize(module)));
  }

  Path file(String module) {
    return files.get(normalize(module));
  }

  private void visit(String name, List<String> order, Set<String> visiting) {
    if (order.contains(name) || builtin.contains(name) && !files.containsKey(name)) {
      return;
    }
    if (!visiting.add(name)) {
      throw new IllegalStateException("dependency cycle through kernel module " + name);
    }
    for (String dependency : dependencies(name)) {
      visit(dependency, order, visiting);
    }
    visiting.remove(name);
    order.add(name);
  }

  /** The {@code depends=} entry of the module's .modinfo section. */
  List<String> dependencies(String module) {
    Path file = files.get(module);
    if (file == null) {
      return List.of();
    }
    try {
      return dependsField(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Finds the NUL-delimited {@code depends=a,b} string in a module's bytes. */
  static List<String> dependsField(byte[] module) {
    byte[] key = "\0depends=".getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = 0; i + key.length <= module.length; i++) {
      for (int j = 0; j < key.length; j++) {
        if (module[i + j] != key[j]) {
          continue outer;
        }
      }
      int start = i + key.length;
      int end = start;
      while (end < module.length && module[end] != 0) {
        end++;
      }
      String value = new String(module, start, end - start, StandardCharsets.US_ASCII);
      List<String> names = new ArrayList<>();
      for (String part : value.split(",")) {
        if (!part.isBlank()) {
          names.add(normalize(part.strip()));
        }
      }
      return names;
    }
    return List.of();
  }
}
