package org.failover4j.ipvs;

/**
 * A state number without a name: out of range for its protocol, or of a protocol whose states are
 * not named (AH and ESP have the single state 0).
 *
 * @param value the number on the wire
 */
public record UnknownState(int value) implements ConnectionState {

  @Override
  public String name() {
    return "STATE_" + value;
  }
}
