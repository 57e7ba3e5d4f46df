package org.failover4j.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.TestAbortedException;

/**
 * Runs a {@link GuestKernel} class's tests in a User-Mode Linux guest and reports each one's
 * outcome on the host as that test's own. Inside the guest (system property {@value #IN_GUEST}) it
 * lets the tests run as they are.
 */
public final class GuestKernelExtension implements InvocationInterceptor {

  /** Set to {@code true} in the guest's JVM. */
  public static final String IN_GUEST = "failover4j.guest";

  /** A regular expression: only the test methods whose name matches run in the guest. */
  public static final String METHODS = "failover4j.guest.methods";

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(GuestKernelExtension.class);

  /** True in the JVM a guest runs. */
  public static boolean inGuest() {
    return Boolean.getBoolean(IN_GUEST);
  }

  /** True when {@code testClass} runs in a guest and this JVM is the host's. */
  static boolean runsInGuest(Class<?> testClass) {
    return !inGuest() && AnnotationSupport.isAnnotated(testClass, GuestKernel.class);
  }

  @Override
  public void interceptTestMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    if (inGuest()) {
      invocation.proceed();
      return;
    }
    invocation.skip();
    Class<?> testClass = context.getRequiredTestClass();
    ExtensionContext classContext = context.getParent().orElseThrow();
    GuestRun run =
        classContext
            .getStore(NAMESPACE)
            .getOrComputeIfAbsent(testClass, c -> GuestRun.boot(testClass), GuestRun.class);
    run.report(context.getUniqueId(), classContext.getUniqueId());
  }

  // The class's set-up and tear-down methods belong to its tests: they run in the guest only.

  @Override
  public void interceptBeforeAllMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceedInGuestOnly(invocation);
  }

  @Override
  public void interceptAfterAllMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceedInGuestOnly(invocation);
  }

  @Override
  public void interceptBeforeEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceedInGuestOnly(invocation);
  }

  @Override
  public void interceptAfterEachMethod(
      Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> invocationContext,
      ExtensionContext context)
      throws Throwable {
    proceedInGuestOnly(invocation);
  }

  private static void proceedInGuestOnly(Invocation<Void> invocation) throws Throwable {
    if (inGuest()) {
      invocation.proceed();
    } else {
      invocation.skip();
    }
  }

  /** One guest's run of a whole test class, shared by the class's test methods. */
  private record GuestRun(UmlGuest.Outcome outcome, Properties results, Path dir) {

    static GuestRun boot(Class<?> testClass) {
      GuestKernel settings = AnnotationSupport.findAnnotation(testClass, GuestKernel.class).get();
      Path base = Path.of("target").toFile().isDirectory() ? Path.of("target") : tmp();
      Path dir = base.toAbsolutePath().resolve("kernel-lab").resolve(testClass.getSimpleName());
      Path resultsFile = dir.resolve("results.properties");
      try {
        deleteRecursively(dir);
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("@" + writeJvmArguments(dir, testClass, resultsFile));
        UmlGuest.Outcome outcome =
            UmlGuest.run(
                dir,
                Path.of("").toAbsolutePath(),
                List.of(settings.modules()),
                command,
                Duration.ofSeconds(settings.timeoutSeconds()),
                settings.memoryMegabytes());
        GuestRun run = new GuestRun(outcome, UmlGuest.readProperties(resultsFile), dir);
        run.echoConsole(testClass);
        return run;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new LabException("interrupted while the guest ran " + testClass.getName(), e);
      }
    }

    /** The guest JVM's arguments, in a file: the class path is long. */
    private static String writeJvmArguments(Path dir, Class<?> testClass, Path resultsFile)
        throws IOException {
      List<String> args = new ArrayList<>();
      args.add("-XX:+UseSerialGC");
      args.add("-Xmx512m");
      args.add("-Xss2m");
      args.add("-Djava.io.tmpdir=/tmp");
      args.add("-D" + IN_GUEST + "=true");
      for (Map.Entry<Object, Object> e : System.getProperties().entrySet()) {
        String key = e.getKey().toString();
        if (key.startsWith("failover4j.") && !key.equals(IN_GUEST) && !key.equals(METHODS)) {
          args.add("-D" + key + "=" + e.getValue());
        }
      }
      args.add("-cp");
      args.add(System.getProperty("java.class.path"));
      args.add(GuestLauncher.class.getName());
      args.add(resultsFile.toString());
      args.add(testClass.getName());
      String methods = System.getProperty(METHODS);
      if (methods != null) {
        args.add(methods);
      }
      Path file = dir.resolve("jvm.args");
      // One argument per line, quoted: the @file syntax of the java launcher.
      Files.write(
          file,
          args.stream()
              .map(a -> "\"" + a.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
              .toList());
      return file.toString();
    }

    void echoConsole(Class<?> testClass) {
      String text = outcome.consoleText();
      int from = text.indexOf(UmlGuest.COMMAND_STARTS);
      System.out.printf(
          "%n=== kernel lab: %s in a User-Mode Linux guest, %.1f s%s, console %s ===%n%s%n",
          testClass.getSimpleName(),
          outcome.took().toNanos() / 1e9,
          outcome.timedOut() ? " (timed out: killed)" : "",
          outcome.console(),
          from < 0 ? outcome.consoleTail(40) : text.substring(from));
    }

    /** Turns the guest's outcome of test {@code id} into this test's: passes, fails or aborts. */
    void report(String id, String classId) {
      String status = results.getProperty(id + GuestLauncher.STATUS);
      String message = results.getProperty(id + GuestLauncher.MESSAGE, "");
      String trace = results.getProperty(id + GuestLauncher.TRACE, "");
      String where = "(in the guest kernel; console " + outcome.console() + ")";
      if (status == null) {
        String classFailure = results.getProperty(classId + GuestLauncher.TRACE);
        throw new AssertionError(
            "the guest reported nothing for this test "
                + where
                + ": "
                + (outcome.timedOut()
                    ? "it was killed after " + outcome.took().toSeconds() + " s"
                    : "it halted with status " + outcome.exitStatus())
                + (classFailure != null ? "\nthe class failed in the guest:\n" + classFailure : "")
                + "\nlast lines of the console:\n"
                + outcome.consoleTail(40));
      }
      switch (status) {
        case "SUCCESSFUL" -> {}
        case "ABORTED", "SKIPPED" -> throw new TestAbortedException(message + " " + where);
        default -> throw new AssertionError(message + " " + where + "\nguest stack:\n" + trace);
      }
    }

    private static void deleteRecursively(Path dir) throws IOException {
      if (!Files.exists(dir)) {
        return;
      }
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }

    private static Path tmp() {
      return Path.of(System.getProperty("java.io.tmpdir"), "failover4j-lab");
    }
  }
}
