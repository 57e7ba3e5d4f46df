package org.failover4j.keepalived;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded random configurations: any layout keepalived accepts (braces on the keyword's line, on
 * their own line or around a one-line block, comments, blank lines, indentation, CRLF, quoted
 * words, definitions) parses to the statements it was written from; and the same text with random
 * damage ends in statements or a {@link KeepalivedConfigException}, never another exception. The
 * seed is in every failure message.
 */
class ConfigParserPropertyTest {

  private static final int CASES = 10_000;
  private static final Path MAIN = Path.of("/etc/k/main.conf");

  /** A statement as generated: words and, maybe, a block. */
  private record Node(List<String> words, List<Node> block) {}

  @Test
  void anyLayoutParsesToTheStatementsItWasWrittenFrom() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    for (int i = 0; i < CASES; i++) {
      List<Node> tree = tree(random, 0);
      String text = render(tree, random);
      try {
        List<Statement> parsed = parse(text);
        assertEquals(tree, asNodes(parsed), "seed " + seed + " case " + i + ":\n" + text);
      } catch (KeepalivedConfigException e) {
        throw new AssertionError(
            "seed " + seed + " case " + i + ": " + e.getMessage() + "\n" + text, e);
      }
    }
  }

  @Test
  void damagedTextEndsInStatementsOrATypedError() {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String alphabet = "{}\"'#!$@\\ \t\n\r~=/*abc19_";
    for (int i = 0; i < CASES; i++) {
      StringBuilder text = new StringBuilder(render(tree(random, 0), random));
      int damage = 1 + random.nextInt(6);
      for (int d = 0; d < damage; d++) {
        int at = random.nextInt(text.length() + 1);
        if (random.nextBoolean() && text.length() > 0 && at < text.length()) {
          text.deleteCharAt(at);
        } else {
          text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      try {
        parse(text.toString());
      } catch (KeepalivedConfigException expected) {
        // typed: fine
      } catch (RuntimeException | StackOverflowError e) {
        throw new AssertionError("seed " + seed + " case " + i + ":\n" + text, e);
      }
    }
  }

  private static List<Statement> parse(String text) {
    return new ConfigParser(new MemoryFiles().put(MAIN.toString(), text), "lb1", "", n -> {})
        .parse(MAIN);
  }

  private static List<Node> asNodes(List<Statement> statements) {
    List<Node> nodes = new ArrayList<>();
    for (Statement s : statements) {
      nodes.add(new Node(s.words(), s.block() == null ? null : asNodes(s.block())));
    }
    return nodes;
  }

  private static List<Node> tree(Random random, int depth) {
    List<Node> nodes = new ArrayList<>();
    int n = random.nextInt(depth == 0 ? 5 : 4);
    for (int i = 0; i < n; i++) {
      List<String> words = new ArrayList<>();
      words.add(word(random));
      int args = random.nextInt(3);
      for (int a = 0; a < args; a++) {
        words.add(random.nextInt(4) == 0 ? "with space " + random.nextInt(9) : word(random));
      }
      List<Node> block = depth < 3 && random.nextInt(3) == 0 ? tree(random, depth + 1) : null;
      nodes.add(new Node(words, block));
    }
    return nodes;
  }

  private static String word(Random random) {
    if (random.nextInt(10) == 0) {
      return "defined";
    }
    String letters = "abcdefghijklmnopqrstuvwxyz_0123456789./:";
    StringBuilder w = new StringBuilder();
    w.append((char) ('a' + random.nextInt(26)));
    int len = random.nextInt(8);
    for (int i = 0; i < len; i++) {
      w.append(letters.charAt(random.nextInt(letters.length())));
    }
    return w.toString();
  }

  /** Writes the tree in a random one of the layouts keepalived accepts. */
  private static String render(List<Node> tree, Random random) {
    StringBuilder out = new StringBuilder();
    // A definition used for some words: $W expands back to the word.
    out.append("$W=defined\n");
    renderInto(tree, random, out, 0);
    return out.toString();
  }

  private static void renderInto(List<Node> nodes, Random random, StringBuilder out, int depth) {
    String eol = random.nextInt(5) == 0 ? "\r\n" : "\n";
    for (Node node : nodes) {
      if (random.nextInt(4) == 0) {
        out.append(random.nextBoolean() ? "# a comment {" : "! another \"one").append(eol);
      }
      if (random.nextInt(5) == 0) {
        out.append(eol);
      }
      out.append("  ".repeat(random.nextInt(3)));
      for (int i = 0; i < node.words().size(); i++) {
        String w = node.words().get(i);
        out.append(i == 0 ? "" : random.nextBoolean() ? " " : "\t");
        if (w.equals("defined") && random.nextBoolean()) {
          out.append(random.nextBoolean() ? "$W" : "${W}");
        } else {
          out.append(w.contains(" ") || random.nextInt(6) == 0 ? "\"" + w + "\"" : w);
        }
      }
      if (node.block() == null) {
        out.append(random.nextInt(4) == 0 ? "   # trailing" : "").append(eol);
        continue;
      }
      switch (random.nextInt(3)) {
        case 0 -> out.append(" {").append(eol);
        case 1 -> out.append(eol).append("{").append(eol);
        default -> out.append(" { ");
      }
      renderInto(node.block(), random, out, depth + 1);
      out.append(random.nextBoolean() ? "}" : "  }").append(eol);
    }
  }
}
