/**
 * The network-namespace lab: hosts and LANs made of namespaces, bridges and veth pairs, real peers
 * (keepalived, ucarp, tshark) run inside them, captures, loss and partitions.
 *
 * <p>Test support only: interop tests in every module use it through the {@code @Interop} JUnit
 * extension.
 */
package org.failover4j.lab;
