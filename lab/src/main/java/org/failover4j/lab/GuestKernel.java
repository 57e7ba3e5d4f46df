package org.failover4j.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class inside a User-Mode Linux guest (Debian's {@code user-mode-linux}, a Linux 6.1
 * kernel with ESP, AH and IPVS as modules) booted on the host's own files: for what the host's
 * kernel cannot do. Put it beside {@link Interop}, whose rules apply (skipped loudly without root,
 * {@code linux.uml} or {@code modprobe}; failed under {@code -Dfailover4j.interop=required}).
 *
 * <p>The host boots one guest per class, at its first test; the guest loads {@link #modules()},
 * runs the class's tests in a JVM with the host's test class path, and writes each result to {@code
 * target/kernel-lab/<class>/} on the host, where the host turns them into its own test results. The
 * guest console stays there as {@code console.log}. Inside the guest the tests run as ordinary
 * {@code @Interop} tests: a {@link Lab} parameter gets namespaces of the guest's kernel. Set {@code
 * -Dfailover4j.guest.methods=REGEX} to run only the matching methods in the guest.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(GuestKernelExtension.class)
public @interface GuestKernel {

  /**
   * Kernel modules the guest loads with {@code modprobe} before the tests, such as {@code ip_vs}.
   */
  String[] modules() default {};

  /**
   * Seconds the whole class may take in the guest, boot included; then the guest is killed and
   * every test it did not finish fails.
   */
  int timeoutSeconds() default 300;

  /** The guest's memory in MiB. */
  int memoryMegabytes() default 2000;
}
