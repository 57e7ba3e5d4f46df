package org.failover4j.keepalived;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A script a keepalived.conf names ({@code script}, {@code notify_master}, ...): its command line
 * split as keepalived splits it, and the user it runs as. It runs as a process of its own, never
 * through a shell, with standard input, output and error on /dev/null, as keepalived runs it.
 *
 * @param argv the program (resolved on PATH, as keepalived resolves it) and its arguments
 * @param user the user it runs as
 */
record ScriptCommand(List<String> argv, ScriptUser user) {

  private static final String DEFAULT_PATH =
      "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /**
   * Splits {@code text} as keepalived's alloc_strvec_quoted_escaped() does: white space separates
   * words; single and double quotes group; a backslash escapes ({@code \n}, {@code \t}, {@code
   * \xHH}, octal, ...).
   *
   * @throws IllegalArgumentException with the reason when a quote is not closed
   */
  static List<String> split(String text) {
    List<String> words = new ArrayList<>();
    int p = 0;
    int n = text.length();
    while (p < n) {
      while (p < n && " \t\f\n\r\u000b".indexOf(text.charAt(p)) >= 0) {
        p++;
      }
      if (p >= n) {
        break;
      }
      StringBuilder word = new StringBuilder();
      char quote = 0;
      while (p < n) {
        char c = text.charAt(p);
        if (c == '\\') {
          p++;
          if (p >= n) {
            throw new IllegalArgumentException("escape character at the end of " + text);
          }
          p = escape(text, p, word);
        } else if (quote != 0) {
          if (c == quote) {
            quote = 0;
          } else {
            word.append(c);
          }
          p++;
        } else if (c == '"' || c == '\'') {
          quote = c;
          p++;
        } else if (" \t\f\n\r\u000b".indexOf(c) >= 0) {
          break;
        } else {
          word.append(c);
          p++;
        }
      }
      if (quote != 0) {
        throw new IllegalArgumentException("missing terminating " + quote + " in " + text);
      }
      words.add(word.toString());
    }
    return words;
  }

  /** Appends the character escaped at {@code p} (just after the backslash); returns the next. */
  private static int escape(String text, int p, StringBuilder word) {
    char c = text.charAt(p);
    int n = text.length();
    if (c == 'x' && p + 1 < n && Character.digit(text.charAt(p + 1), 16) >= 0) {
      int value = 0;
      p++;
      while (p < n && Character.digit(text.charAt(p), 16) >= 0) {
        value = ((value << 4) | Character.digit(text.charAt(p), 16)) & 0xff;
        p++;
      }
      word.append((char) value);
      return p;
    }
    if (c == 'c' && p + 1 < n) {
      word.append((char) (text.charAt(p + 1) & 0x1f));
      return p + 2;
    }
    if (c >= '0' && c <= '7') {
      int value = c - '0';
      p++;
      for (int i = 0; i < 2 && p < n && text.charAt(p) >= '0' && text.charAt(p) <= '7'; i++) {
        value = ((value << 3) + text.charAt(p) - '0') & 0xff;
        p++;
      }
      word.append((char) value);
      return p;
    }
    Map<Character, Character> named =
        Map.of(
            'a', '\u0007', 'b', '\b', 'E', '\u001b', 'f', '\f', 'n', '\n', 'r', '\r', 't', '\t',
            'v', '\u000b');
    word.append(named.getOrDefault(c, c));
    return p + 1;
  }

  /** {@return the program, found on PATH when it names no directory, or null when not found} */
  static Path resolve(String program) {
    if (program.contains("/")) {
      return Path.of(program);
    }
    String path = System.getenv("PATH");
    for (String dir : (path == null || path.isEmpty() ? DEFAULT_PATH : path).split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * keepalived's check_security(): why a script run as root could be changed by someone else (a
   * component of its real path not owned by root, or writable by a group other than root or by
   * everyone, a directory with the sticky bit excepted), or null when it cannot.
   */
  static String insecurity(Path script) throws IOException {
    Path real = script.toRealPath();
    Path walked = real.getRoot();
    List<Path> components = new ArrayList<>();
    components.add(walked);
    for (Path part : real) {
      walked = walked.resolve(part);
      components.add(walked);
    }
    for (Path component : components) {
      PosixFileAttributes a =
          Files.readAttributes(component, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      int uid = (Integer) Files.getAttribute(component, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      int gid = (Integer) Files.getAttribute(component, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      int mode = (Integer) Files.getAttribute(component, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      boolean sticky = (mode & 01000) != 0;
      Set<PosixFilePermission> p = a.permissions();
      boolean checked = a.isRegularFile() || (a.isDirectory() && !sticky);
      if (uid != 0) {
        return component + " is not owned by root";
      }
      if (checked
          && ((gid != 0 && p.contains(PosixFilePermission.GROUP_WRITE))
              || p.contains(PosixFilePermission.OTHERS_WRITE))) {
        return component + " is writable by users other than root";
      }
    }
    return null;
  }

  /**
   * A process builder for this script with {@code extra} arguments appended, run as {@link #user}
   * (through setpriv when that is not the current user).
   */
  ProcessBuilder process(List<String> extra) {
    List<String> command = new ArrayList<>();
    if (!user.isCurrent()) {
      command.add("setpriv");
      command.add("--reuid=" + user.uid());
      command.add("--regid=" + user.gid());
      command.add("--init-groups");
      command.add("--");
    }
    command.addAll(argv);
    command.addAll(extra);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    return builder;
  }

  @Override
  public String toString() {
    return String.join(" ", argv) + " (as " + user.name() + ")";
  }
}
