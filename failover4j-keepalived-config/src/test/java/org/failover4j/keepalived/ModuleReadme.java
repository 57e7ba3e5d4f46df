package org.failover4j.keepalived;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the table of keepalived's samples and their outcomes from the module README. */
final class ModuleReadme {

  private static final Pattern ROW =
      Pattern.compile(
          "^\\| `(keepalived\\.conf[^`]*)` \\| (accepted, \\d+ instances|refused at `([^`]+)`) \\|");

  private ModuleReadme() {}

  static Map<String, String> sampleOutcomes() throws IOException {
    Map<String, String> outcomes = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.find()) {
        outcomes.put(m.group(1), m.group(3) == null ? m.group(2) : "refused at " + m.group(3));
      }
    }
    return outcomes;
  }
}
