package org.failover4j.api;

/**
 * Work that must be done before this node takes the virtual addresses over: installing synced IPsec
 * SA counters, say, so that nothing leaves from the virtual address with stale state. It runs on
 * the role source's event loop after the election chose this node and before the first address is
 * added or announced, so it holds the takeover up: it must be quick and must not wait for the role
 * source. Register it with {@link BeforeTakeoverHooks#addBeforeTakeover}.
 */
@FunctionalInterface
public interface BeforeTakeover {

  /**
   * Prepares the takeover. An exception is logged and counted; the addresses move all the same,
   * since a node that does not serve is worse than one that serves with stale state.
   */
  void beforeTakeover();
}
