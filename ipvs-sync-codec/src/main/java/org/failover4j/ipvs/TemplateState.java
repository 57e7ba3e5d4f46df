package org.failover4j.ipvs;

/** States of persistence templates ({@code IP_VS_CTPL_S_*}). */
public enum TemplateState implements ConnectionState {
  /** 0. */
  NONE,
  /** 1: the template has seen a connection become established. */
  ASSURED;

  private static final TemplateState[] VALUES = values();

  @Override
  public int value() {
    return ordinal();
  }

  /** The state numbered {@code value}, or null when there is none. */
  static TemplateState of(int value) {
    return value >= 0 && value < VALUES.length ? VALUES[value] : null;
  }
}
