package org.failover4j.benchmarks.lab;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line of {@link LabBench}: a bench name, then {@code --name value} and switches. */
record Options(String command, Map<String, String> values, Set<String> switches) {

  private static final Set<String> VALUED =
      Set.of(
          "--runs",
          "--instances",
          "--interval",
          "--seconds",
          "--warmups",
          "--warmup-seconds",
          "--only");
  private static final Set<String> SWITCHES =
      Set.of("--cold", "--warm", "--ipv4", "--ipv6", "--vmac");

  static Options parse(List<String> args) {
    if (args.isEmpty()) {
      throw new IllegalArgumentException("which bench: failover, scale or startup?");
    }
    Map<String, String> values = new HashMap<>();
    Set<String> switches = new HashSet<>();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (SWITCHES.contains(a)) {
        switches.add(a);
      } else if (VALUED.contains(a) && i + 1 < args.size()) {
        values.put(a, args.get(++i));
      } else {
        throw new IllegalArgumentException("unknown or incomplete option " + a);
      }
    }
    if (switches.contains("--cold") && switches.contains("--warm")) {
      throw new IllegalArgumentException("--cold and --warm exclude each other");
    }
    if (switches.contains("--ipv4") && switches.contains("--ipv6")) {
      throw new IllegalArgumentException("--ipv4 and --ipv6 exclude each other");
    }
    return new Options(args.get(0), values, switches);
  }

  boolean has(String name) {
    return switches.contains(name);
  }

  int intValue(String name, int fallback) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new IllegalArgumentException(name + " must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " wants a number, got " + v);
    }
  }

  /** The option's text, or {@code fallback} when it was not given. */
  String value(String name, String fallback) {
    return values.getOrDefault(name, fallback);
  }

  /** A duration written {@code 100ms} or {@code 1s}. */
  Duration duration(String name, String fallback) {
    String v = values.getOrDefault(name, fallback);
    try {
      if (v.endsWith("ms")) {
        return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
      }
      if (v.endsWith("s")) {
        return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException(name + " wants a duration such as 100ms or 1s, got " + v);
  }
}
