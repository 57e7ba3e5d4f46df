/**
 * The VRRP election as a sans-I/O core: the RFC 5798 / RFC 3768 state machine per instance,
 * keepalived's sync groups and priority tracking.
 *
 * <p>Nothing here owns a thread, socket or clock: inputs carry the current time, outputs are calls
 * on {@link org.failover4j.vrrp.election.ElectionActions}, and the driver arms one timer at {@link
 * org.failover4j.vrrp.election.VrrpStateMachine#nextDeadline()}. The same core runs on the real
 * event loop, under virtual time and in the simulated network.
 */
package org.failover4j.vrrp.election;
