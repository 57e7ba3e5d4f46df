package org.failover4j.lab;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The JVM inside a {@link GuestKernel} guest: runs one test class with the JUnit Platform and
 * writes every test's outcome, keyed by its unique id, to a properties file the host reads.
 *
 * <p>Arguments: the results file, the test class, and optionally a regular expression the test
 * method names must match.
 */
public final class GuestLauncher {

  static final String STATUS = ".status";
  static final String MESSAGE = ".message";
  static final String TRACE = ".trace";
  static final String SECONDS = ".seconds";

  private GuestLauncher() {}

  /** Runs the class; exits 0 when every test passed, 1 otherwise. */
  public static void main(String[] args) throws IOException {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: GuestLauncher RESULTS_FILE TEST_CLASS [METHOD_REGEX]");
      System.exit(2);
    }
    Path resultsFile = Path.of(args[0]);
    Pattern methods = Pattern.compile(args.length == 3 ? args[2] : ".*");
    PostDiscoveryFilter byMethodName =
        descriptor ->
            descriptor.getSource().orElse(null) instanceof MethodSource source
                    && !methods.matcher(source.getMethodName()).matches()
                ? org.junit.platform.engine.FilterResult.excluded("not in " + methods)
                : org.junit.platform.engine.FilterResult.included("selected");
    LauncherDiscoveryRequest request =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectClass(args[1]))
            .filters(byMethodName)
            .build();
    Recorder recorder = new Recorder(resultsFile);
    Launcher launcher = LauncherFactory.create();
    launcher.execute(request, recorder);
    System.exit(recorder.allPassed ? 0 : 1);
  }

  /** Writes the results file again after every test, so a guest killed later keeps what it ran. */
  private static final class Recorder implements TestExecutionListener {
    private final Path file;
    private final Properties results = new Properties();
    private final java.util.Map<String, Long> started = new java.util.HashMap<>();
    private boolean allPassed = true;

    Recorder(Path file) {
      this.file = file;
    }

    @Override
    public void executionStarted(TestIdentifier test) {
      started.put(test.getUniqueId(), System.nanoTime());
      if (test.isTest()) {
        System.out.println("KERNEL-LAB: test started: " + test.getDisplayName());
      }
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
      if (test.isTest()) {
        record(test, "SKIPPED", reason, "");
      }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
      Throwable thrown = result.getThrowable().orElse(null);
      if (!test.isTest() && thrown == null) {
        return;
      }
      if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
        allPassed = false;
      }
      String message = thrown == null ? "" : String.valueOf(thrown);
      StringWriter trace = new StringWriter();
      if (thrown != null) {
        thrown.printStackTrace(new PrintWriter(trace));
        System.out.println("KERNEL-LAB: " + test.getDisplayName() + " " + result.getStatus());
        System.out.println(trace);
      }
      record(test, result.getStatus().name(), message, trace.toString());
    }

    private void record(TestIdentifier test, String status, String message, String trace) {
      String id = test.getUniqueId();
      Long since = started.get(id);
      results.setProperty(id + STATUS, status);
      results.setProperty(id + MESSAGE, message);
      results.setProperty(id + TRACE, trace);
      if (since != null) {
        results.setProperty(id + SECONDS, String.format("%.1f", (System.nanoTime() - since) / 1e9));
      }
      System.out.println(
          "KERNEL-LAB: test " + status + ": " + test.getDisplayName() + " " + message);
      try (OutputStream out = Files.newOutputStream(file)) {
        results.store(out, "failover4j kernel-lab results");
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
