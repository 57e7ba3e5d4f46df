package org.failover4j.keepalived;

import java.nio.file.Path;

/**
 * Something in a keepalived.conf that failover4j read but does not act on, such as the LVS {@code
 * virtual_server} blocks or, when unsupported keywords are only warned about, a keyword it skipped.
 *
 * @param file the file
 * @param line the line number, from 1
 * @param keyword the keyword
 * @param message what failover4j does with it
 */
public record Notice(Path file, int line, String keyword, String message) {

  @Override
  public String toString() {
    return file + ":" + line + ": " + keyword + ": " + message;
  }
}
