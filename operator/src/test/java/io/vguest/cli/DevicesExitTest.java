package io.vguest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The exit codes of {@code vguest devices} are documented where people look: README and --help. */
class DevicesExitTest {

  private static final Pattern ROW = Pattern.compile("^\\| (\\d+) \\| (.+) \\|$");

  static List<String> documented() throws IOException {
    Path readme = Path.of(System.getProperty("vguest.repoRoot", "..")).resolve("README.md");
    List<String> lines = Files.readAllLines(readme);
    int section = lines.indexOf("## `kubectl vguest devices`");
    assertTrue(section >= 0, "README has no section ## `kubectl vguest devices`");
    List<String> rows = new ArrayList<>();
    for (String line : lines.subList(section + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        rows.add(m.group(1) + " " + m.group(2));
      }
    }
    return rows;
  }

  @Test
  void readmeTableMatchesTheCode() throws IOException {
    List<String> code = new ArrayList<>();
    for (DevicesExit exit : DevicesExit.values()) {
      code.add(exit.code() + " " + exit.meaning());
    }
    assertEquals(code, documented());
  }

  @Test
  void codesAreDistinct() {
    Set<Integer> codes = new LinkedHashSet<>();
    for (DevicesExit exit : DevicesExit.values()) {
      assertTrue(codes.add(exit.code()), "exit code " + exit.code() + " used twice");
    }
  }

  @Test
  void everySubcommandListsTheCodesInItsHelp() {
    for (String sub : List.of("show", "set", "reset")) {
      StringWriter out = new StringWriter();
      int exit = DevicesCommand.commandLine(new DevicesCommand(), new PrintWriter(out), new PrintWriter(out))
          .execute(sub, "--help");
      assertEquals(0, exit);
      String help = out.toString();
      assertTrue(help.contains("Exit codes:"), help);
      for (DevicesExit e : DevicesExit.values()) {
        assertTrue(help.replaceAll("\\s+", " ").contains(e.meaning()), sub + " --help lacks exit " + e.code() + ":\n"
            + help);
      }
    }
  }
}
