package org.failover4j.lab;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** The gate itself: a test whose peer is missing is skipped, or fails when interop is required. */
class InteropExtensionTest {

  private final String saved = System.getProperty(InteropExtension.PROPERTY);

  @AfterEach
  void restoreProperty() {
    if (saved == null) {
      System.clearProperty(InteropExtension.PROPERTY);
    } else {
      System.setProperty(InteropExtension.PROPERTY, saved);
    }
  }

  @Test
  void aMissingPeerSkipsTheTestByDefault() {
    System.setProperty(InteropExtension.PROPERTY, "optional");
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(NeedsAMissingPeer.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.skipped(1).started(0));
  }

  @Test
  void aMissingPeerFailsTheTestWhenInteropIsRequired() {
    System.setProperty(InteropExtension.PROPERTY, InteropExtension.REQUIRED);
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(NeedsAMissingPeer.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.started(1).failed(1));
  }

  @Test
  void skipSkipsEvenATestThatCouldRun() {
    System.setProperty(InteropExtension.PROPERTY, InteropExtension.SKIP);
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(NeedsNothing.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.skipped(1).started(0));
  }

  @Test
  void anUndocumentedValueFailsLoudlyInsteadOfBeingIgnored() {
    System.setProperty(InteropExtension.PROPERTY, "skipp");
    EngineTestKit.engine("junit-jupiter")
        .selectors(selectClass(NeedsAMissingPeer.class))
        .execute()
        .testEvents()
        .assertStatistics(stats -> stats.skipped(0).failed(1))
        .failed()
        .assertThatEvents()
        .haveExactly(
            1,
            org.junit.platform.testkit.engine.EventConditions.finishedWithFailure(
                org.junit.platform.testkit.engine.TestExecutionResultConditions.message(
                    m ->
                        m.contains(
                            "failover4j.interop=skipp is not one of optional, required, skip"))));
  }

  /** Run only through the test kit above (surefire skips nested classes). */
  static class NeedsAMissingPeer {
    @Test
    @Interop(peers = "no-such-peer-f4j")
    void needsAPeerNobodyHas() {}
  }

  /** Run only through the test kit above; needs nothing but root and ip, which CI has. */
  static class NeedsNothing {
    @Test
    @Interop
    void needsNoPeer() {}
  }
}
