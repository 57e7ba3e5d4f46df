package org.failover4j.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code --flag value} and {@code --switch} arguments (also {@code --flag=value}) against
 * the flags a command declares; an unknown flag, a missing value or a stray word is a {@link
 * UsageException} naming it.
 */
final class CommandLine {

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  private CommandLine() {}

  /**
   * Parses {@code args}: {@code valued} flags take a value, {@code switches} do not; words that are
   * not flags are positional.
   */
  static CommandLine parse(List<String> args, Set<String> valued, Set<String> switches)
      throws UsageException {
    CommandLine line = new CommandLine();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("--")) {
        line.positional.add(arg);
        continue;
      }
      String flag = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        flag = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (switches.contains(flag)) {
        if (value != null) {
          throw new UsageException(flag + " takes no value");
        }
        line.values.computeIfAbsent(flag, k -> new ArrayList<>()).add("true");
      } else if (valued.contains(flag)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(flag + " needs a value");
          }
          value = args.get(++i);
        }
        line.values.computeIfAbsent(flag, k -> new ArrayList<>()).add(value);
      } else {
        throw new UsageException("unknown option " + flag);
      }
    }
    return line;
  }

  /** True when the switch was given. */
  boolean has(String flag) {
    return values.containsKey(flag);
  }

  /** The flag's value, or {@code fallback} when absent; given twice is an error. */
  String value(String flag, String fallback) throws UsageException {
    List<String> all = values.get(flag);
    if (all == null) {
      return fallback;
    }
    if (all.size() > 1) {
      throw new UsageException(flag + " given more than once");
    }
    return all.get(0);
  }

  /** The flag's value; absent is an error. */
  String required(String flag) throws UsageException {
    String value = value(flag, null);
    if (value == null) {
      throw new UsageException(flag + " is required");
    }
    return value;
  }

  /** Every value of a repeatable flag, in order. */
  List<String> all(String flag) {
    return values.getOrDefault(flag, List.of());
  }

  /** The value as an int in {@code min..max}, or {@code fallback} when absent. */
  int intValue(String flag, int fallback, int min, int max) throws UsageException {
    String text = value(flag, null);
    if (text == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(text);
      if (n < min || n > max) {
        throw new UsageException(flag + " must be in " + min + ".." + max + ", was " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " must be a number, was '" + text + "'");
    }
  }

  /** The value as a duration like {@code 100ms}, {@code 1s}, {@code 2.5s}, {@code 1m}. */
  Duration duration(String flag, Duration fallback) throws UsageException {
    String text = value(flag, null);
    return text == null ? fallback : parseDuration(flag, text);
  }

  static Duration parseDuration(String flag, String text) throws UsageException {
    Matcher m = DURATION.matcher(text);
    if (!m.matches()) {
      throw new UsageException(
          flag + " must be a duration like 100ms, 1s or 1m, was '" + text + "'");
    }
    double amount = Double.parseDouble(m.group(1));
    long millis =
        switch (m.group(2)) {
          case "ms" -> Math.round(amount);
          case "s" -> Math.round(amount * 1_000);
          default -> Math.round(amount * 60_000);
        };
    return Duration.ofMillis(millis);
  }

  /** The value as an IP literal (host names are refused), or {@code fallback} when absent. */
  InetAddress address(String flag, InetAddress fallback) throws UsageException {
    String text = value(flag, null);
    return text == null ? fallback : parseAddress(flag, text);
  }

  static InetAddress parseAddress(String flag, String text) throws UsageException {
    if (!text.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
      throw new UsageException(flag + " must be an IP address, was '" + text + "'");
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      throw new UsageException(flag + " must be an IP address, was '" + text + "'");
    }
  }

  /** Fails unless every argument was a flag. */
  void requireNoPositional() throws UsageException {
    if (!positional.isEmpty()) {
      throw new UsageException("unexpected argument '" + positional.get(0) + "'");
    }
  }

  /** Words that are not flags. */
  List<String> positional() {
    return positional;
  }
}
