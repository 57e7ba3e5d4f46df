/**
 * The {@code failover4j} command-line tool.
 *
 * <p>Each subcommand is a thin shell over the library modules.
 */
package org.failover4j.cli;
