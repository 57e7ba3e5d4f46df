package org.failover4j.keepalived;

import java.nio.file.Path;
import org.failover4j.api.InvalidConfigurationException;

/**
 * A keepalived.conf that cannot be run as written: a syntax error, a value out of range, or a
 * keyword failover4j does not support. The message names the file, the line and the keyword, as in
 * {@code /etc/keepalived/keepalived.conf:12: vrrp_instance VI_1: priority: must be in 1..255, was
 * 300}.
 */
public class KeepalivedConfigException extends InvalidConfigurationException {

  private static final long serialVersionUID = 1L;

  /** The file the problem is in. */
  private final transient Path file;

  /** Its line number, from 1. */
  private final int line;

  /**
   * The keyword at {@code file}:{@code line} is wrong, as {@code problem} explains.
   *
   * @param file the file
   * @param line the line number, from 1
   * @param keyword the keyword, such as {@code priority}
   * @param problem what is wrong, such as {@code must be in 1..255, was 300}
   */
  public KeepalivedConfigException(Path file, int line, String keyword, String problem) {
    super(keyword, problem);
    this.file = file;
    this.line = line;
  }

  /** {@return the file the problem is in} */
  public Path file() {
    return file;
  }

  /** {@return the line number in {@link #file()}, from 1} */
  public int line() {
    return line;
  }

  /** {@return the keyword at fault (the same as {@link #field()})} */
  public String keyword() {
    return field();
  }

  @Override
  public String getMessage() {
    return file + ":" + line + ": " + field() + ": " + problem();
  }
}
