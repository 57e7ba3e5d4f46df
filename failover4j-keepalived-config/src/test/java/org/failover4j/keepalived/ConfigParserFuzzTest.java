package org.failover4j.keepalived;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.file.Path;

/**
 * Any text as a keepalived.conf, with a second file it may include: the reader ends in a
 * configuration or a {@link KeepalivedConfigException}, never another exception, and never hangs
 * (definitions and includes are bounded).
 */
class ConfigParserFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void readsAnyText(FuzzedDataProvider data) {
    String other = data.consumeString(2000);
    String main = data.consumeRemainingAsString();
    MemoryFiles files =
        new MemoryFiles().put("/etc/k/main.conf", main).put("/etc/k/conf.d/other.conf", other);
    try {
      KeepalivedConfig.read(Path.of("/etc/k/main.conf"))
          .configId("lb1")
          .checkHost(false)
          .build(files);
    } catch (KeepalivedConfigException expected) {
      if (expected.file() == null || expected.keyword() == null || expected.line() < 0) {
        throw new AssertionError("error without its place: " + expected.getMessage());
      }
    }
  }
}
