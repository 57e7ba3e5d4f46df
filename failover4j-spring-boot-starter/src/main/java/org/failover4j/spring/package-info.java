/** Spring Boot auto-configuration for failover4j. */
package org.failover4j.spring;
