package org.failover4j.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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
 * Point {@code -Dkeepalived.samples=DIR} (or {@code KEEPALIVED_SAMPLES}) at a copy, such as {@code
 * git -C keepalived archive v2.2.7 doc/samples | tar -x}; without it the test is skipped.
 */
class KeepalivedSamplesTest {

  /** The outcome per sample: "accepted" or the keyword it is refused at (the module README). */
  @Test
  void everySampleIsAcceptedOrRefusedAtAKeywordOfItsOwn() throws IOException {
    String dir = System.getProperty("keepalived.samples", System.getenv("KEEPALIVED_SAMPLES"));
    assumeTrue(dir != null, "set -Dkeepalived.samples=DIR to keepalived's doc/samples");
    Map<String, String> outcomes = new TreeMap<>();
    try (Stream<Path> files = Files.list(Path.of(dir))) {
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
