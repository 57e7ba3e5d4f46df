package org.failover4j.keepalived;

import java.nio.file.Path;

/**
 * Under {@code enable_script_security}, a script that would run as root although someone other than
 * root could change it (keepalived refuses it the same way; {@code keepalived -t} exits 6 for it).
 */
public class ScriptSecurityException extends KeepalivedConfigException {

  private static final long serialVersionUID = 1L;

  /**
   * The script at {@code file}:{@code line} is unsafe, as {@code problem} explains.
   *
   * @param file the file
   * @param line the line number, from 1
   * @param keyword the keyword naming the script
   * @param problem why it is unsafe
   */
  public ScriptSecurityException(Path file, int line, String keyword, String problem) {
    super(file, line, keyword, problem);
  }
}
