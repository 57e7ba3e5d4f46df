package org.failover4j.keepalived;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Turns keepalived.conf text into {@link Statement}s by the rules of keepalived's {@code
 * lib/parser.c} (2.2.x): {@code #} and {@code !} comments outside double quotes ({@code \#} and
 * {@code \!} escape them); {@code @ID} and {@code @^ID} line conditionals against the config id;
 * {@code $NAME=value} definitions (a trailing {@code \} continues one over several lines) used as
 * {@code $NAME} or {@code ${NAME}}, with keepalived's {@code $_PWD}, {@code $_INSTANCE}, {@code
 * $_RANDOM}, {@code $_HASH} and {@code $_BANG}; {@code include} (and {@code includer}, {@code
 * includem}, ...) with glob(3) patterns relative to the including file; braces split off into lines
 * of their own unless quoted; words split on white space, a {@code "quoted string"} being one word.
 *
 * <p>Where keepalived would silently cut or loop (a line over 1023 characters, a definition that
 * expands forever, an include that includes itself), this refuses with the file and line.
 */
final class ConfigParser {

  /** keepalived reads lines into a 1024-byte buffer (MAXBUF): anything longer it splits. */
  static final int MAX_LINE = 1023;

  /** Include nesting deeper than this is a loop, not a configuration. */
  static final int MAX_INCLUDE_DEPTH = 32;

  /** Lines read in all, across every include, before the input counts as runaway. */
  static final int MAX_LINES = 1_000_000;

  /** Definition substitutions on one line before it counts as expanding forever. */
  static final int MAX_SUBSTITUTIONS = 1000;

  /** The largest file read. */
  static final int MAX_FILE_BYTES = 16 << 20;

  private static final String WHITE = " \t\f\n\r\u000b";

  /** keepalived's marker between the lines of a multi-line definition. */
  private static final char LINE_END = '\n';

  private final SourceFiles files;
  private final String configId;
  private final String instanceName;
  private final Consumer<Notice> notices;
  private final Map<String, String> definitions = new LinkedHashMap<>();
  private final List<Logical> logical = new ArrayList<>();

  /** The multi-line definition whose next line is being read, or null. */
  private String collecting;

  private int linesRead;

  /** A line after comments, conditionals, definitions and includes, split at braces. */
  private record Logical(Path file, int line, List<String> words) {}

  /** A line still to expand: a brace split's rest or a multi-line definition's next line. */
  private record Pending(String text, Path file, int line) {}

  ConfigParser(SourceFiles files, String configId, String instanceName, Consumer<Notice> notices) {
    this.files = files;
    this.configId = configId;
    this.instanceName = instanceName == null ? "" : instanceName;
    this.notices = notices;
    definitions.put("_HASH", "#");
    definitions.put("_BANG", "!");
  }

  /**
   * Reads {@code file} and everything it includes.
   *
   * @return the top-level statements
   * @throws KeepalivedConfigException naming the file, line and keyword of the first error
   */
  List<Statement> parse(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    if (files.kind(absolute) != SourceFiles.Kind.CONFIG_FILE) {
      throw new KeepalivedConfigException(
          absolute,
          0,
          "file",
          files.kind(absolute) == SourceFiles.Kind.MISSING
              ? "not found"
              : "not a regular non-executable file");
    }
    currentDirectory = absolute.getParent() == null ? "/" : absolute.getParent().toString();
    readFile(absolute, null, 0, 0);
    return tree();
  }

  private void readFile(Path file, Path includedFrom, int includedAt, int depth) {
    String text;
    try {
      text = files.read(file, MAX_FILE_BYTES);
    } catch (IOException e) {
      throw new KeepalivedConfigException(
          includedFrom == null ? file : includedFrom,
          includedAt,
          includedFrom == null ? "file" : "include",
          "cannot read " + file + ": " + e.getMessage());
    }
    int lineNumber = 0;
    int start = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      String raw = end < 0 ? text.substring(start) : text.substring(start, end);
      start = end < 0 ? text.length() : end + 1;
      lineNumber++;
      if (++linesRead > MAX_LINES) {
        throw new KeepalivedConfigException(
            file, lineNumber, "include", "more than " + MAX_LINES + " lines in all");
      }
      raw = stripLineEnd(raw);
      if (raw.length() > MAX_LINE) {
        throw new KeepalivedConfigException(
            file,
            lineNumber,
            firstWord(raw),
            "line longer than " + MAX_LINE + " characters, which keepalived would split");
      }
      if (raw.isEmpty()) {
        collecting = null;
        continue;
      }
      String line = decomment(raw, file, lineNumber);
      if (line.isEmpty()) {
        continue;
      }
      if (collecting != null) {
        continueDefinition(line);
        continue;
      }
      Deque<Pending> work = new ArrayDeque<>();
      work.add(new Pending(line, file, lineNumber));
      while (!work.isEmpty()) {
        expand(work.removeFirst(), work, depth);
      }
    }
  }

  private static String stripLineEnd(String raw) {
    int len = raw.length();
    while (len > 0 && (raw.charAt(len - 1) == '\r' || raw.charAt(len - 1) == '\n')) {
      len--;
    }
    return raw.substring(0, len);
  }

  /** Adds one more line to the multi-line definition being read. */
  private void continueDefinition(String line) {
    String value = definitions.get(collecting);
    String part = line;
    boolean more = part.endsWith("\\");
    if (more) {
      part = stripTrailingBlanks(part.substring(0, part.length() - 1)) + LINE_END;
    }
    if (part.length() >= 2 || (!part.isEmpty() && !more)) {
      definitions.put(collecting, value + part);
    }
    if (!more) {
      collecting = null;
    }
  }

  /**
   * Applies conditionals and definitions to one line, follows it if it is an include, and splits it
   * at a brace; what follows the brace, and the further lines of a multi-line definition, go to the
   * front of {@code work}.
   */
  private void expand(Pending pending, Deque<Pending> work, int depth) {
    Path file = pending.file();
    int lineNumber = pending.line();
    // A multi-line definition that uses itself yields lines without end (keepalived loops).
    if (++linesRead > MAX_LINES || pending.text().length() > MAX_LINE) {
      throw new KeepalivedConfigException(
          file, lineNumber, firstWord(pending.text()), "definitions expand without end");
    }
    StringBuilder buf = new StringBuilder(pending.text());
    List<String> continuation = new ArrayList<>();
    for (int round = 0; ; round++) {
      if (round > MAX_SUBSTITUTIONS) {
        throw new KeepalivedConfigException(
            file, lineNumber, firstWord(buf), "definitions expand without end");
      }
      if (buf.length() > 0 && buf.charAt(0) == '@') {
        if (!keptByCondition(buf)) {
          return;
        }
      }
      if (buf.length() > 0 && buf.charAt(0) == '$' && define(buf.toString())) {
        return;
      }
      if (startsWith(buf, "~SEQ") || startsWith(buf, "~LST")) {
        throw new KeepalivedConfigException(
            file, lineNumber, buf.substring(0, 4), "not supported: write the lines out");
      }
      if (buf.length() > 0 && buf.charAt(0) == '~') {
        break;
      }
      if (buf.indexOf("$") < 0 || !substitute(buf, continuation, file, lineNumber)) {
        break;
      }
      String again = decomment(buf.toString(), file, lineNumber);
      buf.setLength(0);
      buf.append(again);
      if (!(again.startsWith("@") || again.contains("$"))) {
        break;
      }
    }
    for (int i = continuation.size() - 1; i >= 0; i--) {
      work.addFirst(new Pending(continuation.get(i), file, lineNumber));
    }
    String line = buf.toString();
    if (line.isEmpty()) {
      return;
    }
    if (isInclude(line)) {
      include(line, file, lineNumber, depth);
      return;
    }
    int brace = braceAt(line);
    if (brace >= 0) {
      int cut = brace == 0 ? 1 + spanBlanks(line, 1) : brace;
      String rest = stripTrailingBlanks(line.substring(cut));
      if (!rest.isEmpty()) {
        work.addFirst(new Pending(rest, file, lineNumber));
      }
      line = line.substring(0, brace == 0 ? 1 : brace);
    }
    line = stripTrailingBlanks(line);
    if (!line.isEmpty()) {
      logical.add(new Logical(file, lineNumber, words(line, file, lineNumber)));
    }
  }

  private static boolean startsWith(StringBuilder buf, String prefix) {
    return buf.length() >= prefix.length() && buf.substring(0, prefix.length()).equals(prefix);
  }

  /** An {@code @ID} or {@code @^ID} line: keeps it (without the prefix) or says to drop it. */
  private boolean keptByCondition(StringBuilder buf) {
    boolean reverse = buf.length() > 1 && buf.charAt(1) == '^';
    int from = reverse ? 2 : 1;
    int space = -1;
    for (int i = from; i < buf.length(); i++) {
      if (buf.charAt(i) == ' ' || buf.charAt(i) == '\t') {
        space = i;
        break;
      }
    }
    if (space < 0) {
      return false;
    }
    boolean matches = configId != null && buf.substring(from, space).equals(configId);
    if (matches == reverse) {
      return false;
    }
    int rest = space + spanBlanks(buf, space);
    buf.delete(0, rest);
    return true;
  }

  /** A {@code $NAME=value} line: records the definition and returns true. */
  private boolean define(String line) {
    if (line.length() < 2 || !isNameStart(line.charAt(1))) {
      return false;
    }
    int eq = 2;
    while (eq < line.length() && line.charAt(eq) != '=') {
      if (!isNameChar(line.charAt(eq))) {
        return false;
      }
      eq++;
    }
    if (eq >= line.length()) {
      return false;
    }
    String name = line.substring(1, eq);
    String value = line.substring(eq + 1 + spanBlanks(line, eq + 1));
    if (value.endsWith("\\")) {
      String first = stripTrailingBlanks(value.substring(0, value.length() - 1));
      definitions.put(name, first.isEmpty() ? "" : first + LINE_END);
      collecting = name;
    } else {
      definitions.put(name, value);
    }
    return true;
  }

  /**
   * Replaces every {@code $NAME} and {@code ${NAME}} of a known definition, rescanning what it put
   * in, as keepalived does. A multi-line definition at the end of the line puts its first line here
   * and its further lines into {@code continuation}.
   *
   * @return whether anything was replaced
   */
  private boolean substitute(
      StringBuilder buf, List<String> continuation, Path file, int lineNumber) {
    boolean replaced = false;
    int substitutions = 0;
    int at = buf.indexOf("$");
    while (at >= 0 && at + 1 < buf.length()) {
      Reference ref = reference(buf, at);
      if (ref == null) {
        at = buf.indexOf("$", at + 1);
        continue;
      }
      if (++substitutions > MAX_SUBSTITUTIONS) {
        throw new KeepalivedConfigException(
            file, lineNumber, firstWord(buf), "definitions expand without end");
      }
      replaced = true;
      String value = ref.value();
      if (ref.multiline()) {
        String[] parts = value.split(String.valueOf(LINE_END), -1);
        value = parts[0];
        continuation.clear();
        for (int i = 1; i < parts.length; i++) {
          continuation.add(parts[i]);
        }
      }
      buf.replace(at, ref.end(), value);
      if (buf.length() >= MAX_LINE + 1) {
        throw new KeepalivedConfigException(
            file, lineNumber, firstWord(buf), "definitions make the line longer than " + MAX_LINE);
      }
      if (value.stripLeading().startsWith("~")) {
        break;
      }
      at = buf.indexOf("$", at);
    }
    return replaced;
  }

  /** A use of a definition: its value and where its text ends. */
  private record Reference(String value, int end, boolean multiline) {}

  /** The definition used at {@code at} (a {@code $}), or null when none is. */
  private Reference reference(StringBuilder buf, int at) {
    int pos = at + 1;
    boolean braces = buf.charAt(pos) == '{';
    if (braces) {
      pos++;
    }
    if (pos >= buf.length() || !isNameStart(buf.charAt(pos))) {
      return null;
    }
    int nameEnd = pos + 1;
    while (nameEnd < buf.length() && isNameChar(buf.charAt(nameEnd))) {
      nameEnd++;
    }
    String name = buf.substring(pos, nameEnd);
    int end = nameEnd;
    String params = null;
    if (braces) {
      int p = nameEnd;
      while (p < buf.length() && (buf.charAt(p) == ' ' || Character.isDigit(buf.charAt(p)))) {
        p++;
      }
      if (p >= buf.length() || buf.charAt(p) != '}') {
        return null;
      }
      String between = buf.substring(nameEnd, p);
      if (!between.isEmpty()) {
        if (between.endsWith(" ")) {
          return null;
        }
        params = between.trim();
      }
      end = p + 1;
    } else if (end < buf.length() && " \t,)".indexOf(buf.charAt(end)) < 0) {
      return null;
    }
    boolean multiline = false;
    String value;
    if (definitions.containsKey(name)) {
      // A definition of the configuration's own, which also overrides a standard one.
      value = definitions.get(name);
      multiline = value.indexOf(LINE_END) >= 0;
      if (params != null || (multiline && end != buf.length())) {
        return null;
      }
    } else {
      value = standard(name, params);
      if (value == null) {
        return null;
      }
    }
    return new Reference(value, end, multiline);
  }

  /** keepalived's computed definitions: {@code _PWD}, {@code _INSTANCE}, {@code _RANDOM}. */
  private String standard(String name, String params) {
    return switch (name) {
      case "_PWD" -> params == null ? currentDirectory : null;
      case "_INSTANCE" -> params == null ? instanceName : null;
      case "_RANDOM" -> random(params);
      default -> null;
    };
  }

  /** The directory of the file being read: what keepalived's {@code $_PWD} gives. */
  private String currentDirectory = "";

  private static String random(String params) {
    long min = 0;
    long max = Integer.MAX_VALUE;
    if (params != null) {
      String[] p = params.trim().split("\\s+");
      try {
        if (p.length >= 1) {
          max = Long.parseLong(p[p.length == 1 ? 0 : 1]);
          min = p.length >= 2 ? Long.parseLong(p[0]) : 0;
        }
      } catch (NumberFormatException e) {
        return null;
      }
      if (p.length > 2 || max < min || max > Integer.MAX_VALUE) {
        return null;
      }
    }
    return Long.toString(min + ThreadLocalRandom.current().nextLong(max - min + 1));
  }

  private static boolean isNameStart(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  }

  private static boolean isNameChar(char c) {
    return (c < 128 && Character.isLetterOrDigit(c)) || c == '_';
  }

  /** keepalived's is_include(): {@code include} or {@code includeX} followed by white space. */
  private static boolean isInclude(String line) {
    if (!line.startsWith("include") || line.length() < 8) {
      return false;
    }
    if (Character.isWhitespace(line.charAt(7))) {
      return true;
    }
    return line.length() > 8
        && Character.isWhitespace(line.charAt(8))
        && "rmwba".indexOf(line.charAt(7)) >= 0;
  }

  private void include(String line, Path file, int lineNumber, int depth) {
    String keyword = firstWord(line);
    String pattern = line.substring(keyword.length() + 1);
    pattern = pattern.substring(spanBlanks(pattern, 0));
    if (pattern.isEmpty()) {
      throw new KeepalivedConfigException(file, lineNumber, keyword, "needs a file or pattern");
    }
    if (pattern.indexOf('\0') >= 0) {
      // No file name holds NUL; Path would throw InvalidPathException on it.
      throw new KeepalivedConfigException(
          file, lineNumber, keyword, "a file name cannot contain a NUL character");
    }
    if (depth + 1 > MAX_INCLUDE_DEPTH) {
      throw new KeepalivedConfigException(
          file,
          lineNumber,
          keyword,
          "includes nest deeper than " + MAX_INCLUDE_DEPTH + " (does a file include itself?)");
    }
    Path dir = file.getParent() == null ? Path.of("/") : file.getParent();
    List<Path> matches;
    try {
      matches = glob(dir, pattern);
    } catch (IOException | RuntimeException e) {
      throw new KeepalivedConfigException(
          file, lineNumber, keyword, "cannot expand " + pattern + ": " + e.getMessage());
    }
    if (matches.isEmpty()) {
      if (hasWildcard(pattern)) {
        notices.accept(new Notice(file, lineNumber, keyword, "no files match " + pattern));
        return;
      }
      throw new KeepalivedConfigException(
          file, lineNumber, keyword, "no such file: " + dir.resolve(pattern).normalize());
    }
    for (Path match : matches) {
      SourceFiles.Kind kind = files.kind(match);
      if (kind != SourceFiles.Kind.CONFIG_FILE) {
        notices.accept(
            new Notice(
                file,
                lineNumber,
                keyword,
                match
                    + (kind == SourceFiles.Kind.DIRECTORY
                        ? " is a directory: skipped, as keepalived skips it"
                        : " is not a regular non-executable file: skipped, as keepalived skips it")));
        continue;
      }
      String savedDirectory = currentDirectory;
      currentDirectory = match.getParent() == null ? "/" : match.getParent().toString();
      readFile(match, file, lineNumber, depth + 1);
      currentDirectory = savedDirectory;
    }
  }

  private static boolean hasWildcard(String pattern) {
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\') {
        i++;
      } else if (c == '*' || c == '?' || c == '[' || c == '{') {
        return true;
      }
    }
    return false;
  }

  /** glob(3) with GLOB_BRACE, one path component at a time; results sorted per component. */
  private List<Path> glob(Path dir, String pattern) throws IOException {
    List<Path> current = new ArrayList<>();
    current.add(pattern.startsWith("/") ? Path.of("/") : dir);
    String[] components = pattern.split("/+");
    for (String component : components) {
      if (component.isEmpty()) {
        continue;
      }
      List<Path> next = new ArrayList<>();
      for (Path base : current) {
        if (!hasWildcard(component)) {
          Path candidate = base.resolve(unescape(component)).normalize();
          if (files.kind(candidate) != SourceFiles.Kind.MISSING) {
            next.add(candidate);
          }
          continue;
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + component);
        for (Path child : files.children(base)) {
          String name = child.getFileName().toString();
          if (name.startsWith(".") && !component.startsWith(".")) {
            continue;
          }
          if (matcher.matches(Path.of(name))) {
            next.add(child.normalize());
          }
        }
      }
      current = next;
    }
    return current;
  }

  private static String unescape(String component) {
    return component.replaceAll("\\\\(.)", "$1");
  }

  /**
   * keepalived's decomment(): drops leading white space, a comment from an unquoted {@code #} or
   * {@code !}, the backslash of an unquoted {@code \#} or {@code \!}, and trailing white space; a
   * trailing backslash stays, as the mark of a continued definition.
   */
  static String decomment(String line, Path file, int lineNumber) {
    StringBuilder s = new StringBuilder(line.substring(spanBlanks(line, 0)));
    boolean quote = false;
    boolean continued = false;
    int skip = -1;
    int p = 0;
    while (p < s.length()) {
      char c = s.charAt(p);
      if (c == '"') {
        if (skip < 0) {
          quote = !quote;
        }
        p++;
      } else if (c == '\\') {
        if (p + 1 < s.length()) {
          char next = s.charAt(p + 1);
          if (!quote && (next == '#' || next == '!')) {
            s.deleteCharAt(p);
            p++;
          } else {
            p += 2;
          }
        } else {
          s.setLength(p);
          continued = true;
          break;
        }
      } else {
        if (!quote && skip < 0 && (c == '!' || c == '#')) {
          skip = p;
        }
        p++;
      }
    }
    if (quote) {
      throw new KeepalivedConfigException(file, lineNumber, firstWord(s), "unterminated quote");
    }
    if (skip >= 0) {
      s.setLength(skip);
    }
    String result = stripTrailingBlanks(s.toString());
    return continued ? result + "\\" : result;
  }

  /** The position of the first brace outside double quotes, or -1. */
  private static int braceAt(String line) {
    char first = line.charAt(0);
    if (first == '{' || first == '}') {
      return 0;
    }
    int p = 0;
    while (p < line.length()) {
      char c = line.charAt(p);
      if (c == '"') {
        int close = line.indexOf('"', p + 1);
        if (close < 0) {
          return -1;
        }
        p = close + 1;
      } else if (c == '{' || c == '}') {
        return p;
      } else {
        p++;
      }
    }
    return -1;
  }

  /** keepalived's alloc_strvec(): words split on white space, a quoted string one word. */
  static List<String> words(String line, Path file, int lineNumber) {
    List<String> words = new ArrayList<>();
    int p = 0;
    while (true) {
      while (p < line.length() && WHITE.indexOf(line.charAt(p)) >= 0) {
        p++;
      }
      if (p >= line.length()) {
        break;
      }
      if (line.charAt(p) == '"') {
        int close = line.indexOf('"', p + 1);
        if (close < 0) {
          throw new KeepalivedConfigException(
              file, lineNumber, words.isEmpty() ? "\"" : words.get(0), "unmatched quote");
        }
        words.add(line.substring(p + 1, close));
        p = close + 1;
      } else {
        int start = p;
        while (p < line.length() && WHITE.indexOf(line.charAt(p)) < 0 && line.charAt(p) != '"') {
          p++;
        }
        words.add(line.substring(start, p));
      }
    }
    return words;
  }

  /** Nests the logical lines into blocks at their braces. */
  private List<Statement> tree() {
    record Open(Node node, List<Node> outer) {}
    List<Node> top = new ArrayList<>();
    Deque<Open> stack = new ArrayDeque<>();
    List<Node> current = top;
    Node previous = null;
    for (Logical l : logical) {
      if (l.words().isEmpty()) {
        continue;
      }
      String first = l.words().get(0);
      if (l.words().size() == 1 && first.equals("{")) {
        if (previous == null || previous.block != null) {
          throw new KeepalivedConfigException(l.file(), l.line(), "{", "unexpected '{'");
        }
        previous.block = new ArrayList<>();
        stack.push(new Open(previous, current));
        current = previous.block;
        previous = null;
        continue;
      }
      if (l.words().size() == 1 && first.equals("}")) {
        if (stack.isEmpty()) {
          throw new KeepalivedConfigException(l.file(), l.line(), "}", "extra '}' found");
        }
        current = stack.pop().outer();
        previous = null;
        continue;
      }
      previous = new Node(l.file(), l.line(), l.words());
      current.add(previous);
    }
    if (!stack.isEmpty()) {
      Node open = stack.peek().node();
      throw new KeepalivedConfigException(
          open.file, open.line, open.words.get(0), "block opened here is never closed");
    }
    return Node.freeze(top);
  }

  /** A statement while its block is still being filled. */
  private static final class Node {
    final Path file;
    final int line;
    final List<String> words;
    List<Node> block;

    Node(Path file, int line, List<String> words) {
      this.file = file;
      this.line = line;
      this.words = List.copyOf(words);
    }

    static List<Statement> freeze(List<Node> nodes) {
      List<Statement> out = new ArrayList<>(nodes.size());
      for (Node n : nodes) {
        out.add(new Statement(n.file, n.line, n.words, n.block == null ? null : freeze(n.block)));
      }
      return List.copyOf(out);
    }
  }

  private static int spanBlanks(CharSequence s, int from) {
    int n = 0;
    while (from + n < s.length() && (s.charAt(from + n) == ' ' || s.charAt(from + n) == '\t')) {
      n++;
    }
    return n;
  }

  private static String stripTrailingBlanks(String s) {
    int len = s.length();
    while (len > 0 && (s.charAt(len - 1) == ' ' || s.charAt(len - 1) == '\t')) {
      len--;
    }
    return s.substring(0, len);
  }

  private static String firstWord(CharSequence line) {
    String s = line.toString().strip();
    int end = 0;
    while (end < s.length() && !Character.isWhitespace(s.charAt(end))) {
      end++;
    }
    return end == 0 ? "(line)" : s.substring(0, end);
  }
}
