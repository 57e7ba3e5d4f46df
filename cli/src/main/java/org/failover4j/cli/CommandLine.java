package org.failover4j.cli;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
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

  /** Flags whose values are secrets: no message shows them, nor a stray word after them. */
  static final Set<String> SECRET_FLAGS = Set.of("--auth-pass", "--auth-ah", "--key", "--pass");

  private static final BigDecimal MAX_DURATION_MILLIS = BigDecimal.valueOf(86_400_000L);

  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m)");

  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();
  // The secret flag whose value the first stray word followed, or null.
  private String strayAfterSecret;

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
        if (line.positional.isEmpty()) {
          line.strayAfterSecret = secretBefore(args, i);
        }
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
          if (i + 1 >= args.size() || isFlag(args.get(i + 1), valued, switches)) {
            // "--vrid --auth-pass x" is a missing value, not a VRID of "--auth-pass".
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

  /**
   * The secret flag whose value the word at {@code i} follows ({@code --auth-pass my secret},
   * unquoted), or null: such a word is likely part of the secret, so no message may quote it.
   */
  private static String secretBefore(List<String> args, int i) {
    if (i < 1) {
      return null;
    }
    String previous = args.get(i - 1);
    int eq = previous.indexOf('=');
    if (eq > 0 && SECRET_FLAGS.contains(previous.substring(0, eq))) {
      return previous.substring(0, eq);
    }
    if (i >= 2 && SECRET_FLAGS.contains(args.get(i - 2)) && !previous.startsWith("--")) {
      return args.get(i - 2);
    }
    return null;
  }

  private static boolean isFlag(String arg, Set<String> valued, Set<String> switches) {
    int eq = arg.indexOf('=');
    String flag = eq > 0 ? arg.substring(0, eq) : arg;
    return valued.contains(flag) || switches.contains(flag);
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
    if (!text.matches("[+-]?\\d+")) {
      throw new UsageException(flag + " must be a number, was '" + text + "'");
    }
    BigInteger n = new BigInteger(text);
    if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
      throw new UsageException(flag + " must be in " + min + ".." + max + ", was " + n);
    }
    return n.intValueExact();
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
    BigDecimal millis =
        new BigDecimal(m.group(1))
            .multiply(
                switch (m.group(2)) {
                  case "ms" -> BigDecimal.ONE;
                  case "s" -> BigDecimal.valueOf(1_000);
                  default -> BigDecimal.valueOf(60_000);
                });
    if (millis.compareTo(MAX_DURATION_MILLIS) > 0) {
      // Far beyond any VRRP timer, and beyond what Duration.toNanos() can hold.
      throw new UsageException(flag + " must be at most a day (1440m), was '" + text + "'");
    }
    return Duration.ofMillis(millis.setScale(0, RoundingMode.HALF_UP).longValueExact());
  }

  /** The value as an IP literal (host names are refused), or {@code fallback} when absent. */
  InetAddress address(String flag, InetAddress fallback) throws UsageException {
    String text = value(flag, null);
    return text == null ? fallback : parseAddress(flag, text);
  }

  static InetAddress parseAddress(String flag, String text) throws UsageException {
    // Only full literals: InetAddress would read "10.1" as 10.0.0.1 and look "300.1.1.1" up in DNS.
    if (!(IPV4.matcher(text).matches() || text.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*"))) {
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
    if (strayAfterSecret != null) {
      throw new UsageException(
          "unexpected argument after the value of "
              + strayAfterSecret
              + " (not shown: quote a secret that holds spaces)");
    }
    if (!positional.isEmpty()) {
      throw new UsageException("unexpected argument '" + positional.get(0) + "'");
    }
  }

  /** Words that are not flags. */
  List<String> positional() {
    return positional;
  }
}
