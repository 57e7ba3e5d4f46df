package org.failover4j.ipvs;

/** States of persistence templates ({@code IP_VS_CTPL_S_*}). */
public enum TemplateState implements ConnectionState {
  /** 0. */
  NONE,
  /** 1: the template has seen a connection become established. */
  ASSURED;

  @Override
  public int value() {
    return ordinal();
  }
}
