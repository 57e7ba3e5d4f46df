/**
 * Short, readable programs that show the failover4j API, one idea each.
 *
 * <p>Start here to see how an application embeds the library.
 */
package org.failover4j.examples;
