/**
 * keepalived.conf as input: {@link org.failover4j.keepalived.KeepalivedConfig#read} reads a
 * keepalived configuration as keepalived's own parser does (includes with globs, {@code $NAME}
 * definitions, {@code @} conditionals) and builds the {@link org.failover4j.vrrp.VrrpRouter} it
 * describes, with its {@code vrrp_script} checks and its notify scripts.
 */
package org.failover4j.keepalived;
