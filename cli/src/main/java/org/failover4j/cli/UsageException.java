package org.failover4j.cli;

/** A command line the tool cannot run: the message names the flag and what is wrong. */
final class UsageException extends Exception {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
