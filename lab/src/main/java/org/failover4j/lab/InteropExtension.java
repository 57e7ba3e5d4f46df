package org.failover4j.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * Gates {@link Interop} tests on root and the peer programs, and hands out a {@link Lab} per test.
 */
public final class InteropExtension
    implements ExecutionCondition, BeforeEachCallback, ParameterResolver {

  /** The system property that turns a skip into a failure when set to {@value #REQUIRED}. */
  public static final String PROPERTY = "failover4j.interop";

  /** The value of {@link #PROPERTY} that makes interop tests mandatory. */
  public static final String REQUIRED = "required";

  /** The default value of {@link #PROPERTY}: run interop tests where they can run, else skip. */
  public static final String OPTIONAL = "optional";

  /** The value of {@link #PROPERTY} that skips every interop test, even as root. */
  public static final String SKIP = "skip";

  /** Every value {@link #PROPERTY} accepts; any other is refused, never silently ignored. */
  public static final List<String> VALUES = List.of(OPTIONAL, REQUIRED, SKIP);

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(InteropExtension.class);

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    if (mode().equals(SKIP)) {
      return ConditionEvaluationResult.disabled(
          "interop tests skipped by -D" + PROPERTY + "=" + SKIP);
    }
    Optional<String> missing = missing(context);
    if (missing.isEmpty()) {
      return ConditionEvaluationResult.enabled("root and peers present");
    }
    if (required()) {
      // Let it run: beforeEach fails it with the reason, so CI cannot pass by skipping.
      return ConditionEvaluationResult.enabled("interop required");
    }
    String message =
        "INTEROP TEST SKIPPED: "
            + context.getDisplayName()
            + ": "
            + missing.get()
            + " (run as root with the peers installed; -D"
            + PROPERTY
            + "="
            + REQUIRED
            + " makes this a failure)";
    System.err.println("\n*** " + message + " ***\n");
    return ConditionEvaluationResult.disabled(message);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    missing(context)
        .ifPresent(
            reason -> {
              throw new AssertionError(
                  "interop test cannot run but " + PROPERTY + "=" + REQUIRED + ": " + reason);
            });
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Lab.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (GuestKernelExtension.runsInGuest(context.getRequiredTestClass())) {
      return null; // the test body runs in the guest, which makes its own lab there
    }
    String label = context.getRequiredTestClass().getSimpleName() + "-" + context.getDisplayName();
    Lab lab = Lab.create(label.replaceAll("\\(.*\\)", ""));
    // Closed by JUnit when the test's store is closed, after the test and its callbacks.
    context.getStore(NAMESPACE).put(lab, (ExtensionContext.Store.CloseableResource) lab::close);
    return lab;
  }

  static boolean required() {
    return mode().equals(REQUIRED);
  }

  /**
   * {@return the value of {@link #PROPERTY}, {@value #OPTIONAL} when unset}
   *
   * @throws IllegalArgumentException for a value other than those in {@link #VALUES}: a typo must
   *     not quietly turn CI's required interop tests into skips
   */
  static String mode() {
    String value = System.getProperty(PROPERTY, OPTIONAL);
    if (!VALUES.contains(value)) {
      throw new IllegalArgumentException(
          "-D"
              + PROPERTY
              + "="
              + value
              + " is not one of "
              + String.join(", ", VALUES)
              + " (to leave interop tests out of a run, -DexcludedGroups=interop also works)");
    }
    return value;
  }

  private static Optional<String> missing(ExtensionContext context) {
    List<String> problems = new ArrayList<>();
    if (!isRoot()) {
      problems.add("not running as root");
    }
    List<String> absent = new ArrayList<>();
    for (String program : peers(context)) {
      if (!Shell.onPath(program)) {
        absent.add(program);
      }
    }
    if (!absent.isEmpty()) {
      problems.add("missing " + String.join(", ", absent));
    }
    if (context.getTestClass().filter(c -> c.isAnnotationPresent(GuestKernel.class)).isPresent()) {
      UmlGuest.missing().ifPresent(problems::add);
    }
    return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
  }

  private static Set<String> peers(ExtensionContext context) {
    Set<String> programs = new LinkedHashSet<>(List.of("ip"));
    context
        .getTestClass()
        .flatMap(c -> AnnotationSupport.findAnnotation(c, Interop.class))
        .ifPresent(a -> programs.addAll(List.of(a.peers())));
    context
        .getTestMethod()
        .flatMap(m -> AnnotationSupport.findAnnotation(m, Interop.class))
        .ifPresent(a -> programs.addAll(List.of(a.peers())));
    return programs;
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }
}
