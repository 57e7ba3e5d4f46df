/**
 * {@code benchmarks/lab-bench}: failover latency and scale of failover4j measured side by side with
 * keepalived in a lab of network namespaces, timed from captures on the lab's bridges.
 */
package org.failover4j.benchmarks.lab;
