/**
 * JMH benchmarks for the codecs, sockets and runtimes, and the failover-latency harness.
 *
 * <p>Never deployed; results and the commands that produced them are in docs/BENCHMARKS.md.
 */
package org.failover4j.benchmarks;
