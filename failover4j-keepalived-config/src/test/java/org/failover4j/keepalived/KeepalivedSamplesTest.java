package org.failover4j.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * keepalived's own sample configurations ({@code doc/samples/keepalived.conf.*} of keepalived
 * 2.2.7, GPL-2.0 and therefore not copied here): each one is accepted or refused naming its file, a
 * line of it and the keyword there, and the outcome of each is the one the module README lists.
 * They are read from Debian's keepalived package, or from {@code -Dkeepalived.samples=DIR} (or
 * {@code KEEPALIVED_SAMPLES}), such as {@code git -C keepalived archive v2.2.7 doc/samples | tar
 * -x}.
 */
class KeepalivedSamplesTest {

  /** The outcome per sample: "accepted" or the keyword it is refused at (the module README). */
  @Test
  void everySampleIsAcceptedOrRefusedAtAKeywordOfItsOwn() throws IOException {
    Path dir = samples();
    Map<String, String> outcomes = new TreeMap<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path sample :
          files
              .filter(p -> p.getFileName().toString().startsWith("keepalived.conf"))
              .sorted()
              .toList()) {
        outcomes.put(sample.getFileName().toString(), outcome(sample));
      }
    }
    outcomes.forEach((k, v) -> System.out.println(k + " -> " + v));
    assertTrue(outcomes.size() >= 20, "samples found: " + outcomes.keySet());
    Map<String, String> expected = ModuleReadme.sampleOutcomes();
    assertEquals(expected, outcomes);
  }

  /** Debian's keepalived package installs keepalived 2.2.7's samples here. */
  static final Path DEBIAN_SAMPLES = Path.of("/usr/share/doc/keepalived/samples");

  /**
   * Where the samples are: {@code -Dkeepalived.samples}, {@code KEEPALIVED_SAMPLES}, or Debian's
   * copy. Missing, the test skips loudly, or fails when interop tests are required (CI installs
   * keepalived, so the samples are there).
   */
  private static Path samples() {
    String given = System.getProperty("keepalived.samples", System.getenv("KEEPALIVED_SAMPLES"));
    Path dir = given != null ? Path.of(given) : DEBIAN_SAMPLES;
    if (Files.isDirectory(dir)) {
      return dir;
    }
    String why =
        "KEEPALIVED SAMPLES MISSING: no "
            + dir
            + " (apt-get install keepalived, or -Dkeepalived.samples=DIR)";
    if ("required".equals(System.getProperty("failover4j.interop"))) {
      fail(why);
    }
    System.err.println(why + "; test skipped");
    assumeTrue(false, why);
    return dir;
  }

  /** "accepted (N instances)" or "refused at KEYWORD", checking the error points into the file. */
  static String outcome(Path sample) throws IOException {
    try {
      KeepalivedConfig config =
          KeepalivedConfig.read(sample).configId("failover4j-test").checkHost(false).build();
      return "accepted, " + config.instances().size() + " instances";
    } catch (KeepalivedConfigException e) {
      assertEquals(sample.toAbsolutePath().normalize(), e.file(), e.getMessage());
      String line = Files.readAllLines(e.file()).get(e.line() - 1);
      assertTrue(
          line.contains(e.keyword()), e.getMessage() + " but line " + e.line() + " is " + line);
      System.out.println(e.getMessage());
      return "refused at " + e.keyword();
    }
  }
}
