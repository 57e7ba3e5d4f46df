package org.failover4j.keepalived;

import java.nio.file.Path;
import java.util.List;

/**
 * One logical line of a keepalived.conf after includes, conditionals and definitions: its words
 * (the first is the keyword) and, when a {@code {} block follows it, the statements inside.
 *
 * @param file the file it came from
 * @param line its line number there, from 1
 * @param words its words, quotes removed as keepalived removes them; never empty
 * @param block the statements of the block that follows, or null when none does
 */
record Statement(Path file, int line, List<String> words, List<Statement> block) {

  /** {@return the first word} */
  String keyword() {
    return words.get(0);
  }

  /** {@return the number of words after the keyword} */
  int argumentCount() {
    return words.size() - 1;
  }

  /** {@return the error for this statement's keyword with {@code problem}} */
  KeepalivedConfigException error(String problem) {
    return new KeepalivedConfigException(file, line, keyword(), problem);
  }

  /** {@return the error for this statement, naming {@code keyword} (a word inside it)} */
  KeepalivedConfigException error(String keyword, String problem) {
    return new KeepalivedConfigException(file, line, keyword, problem);
  }

  /** {@return a notice about this statement} */
  Notice notice(String message) {
    return new Notice(file, line, keyword(), message);
  }
}
