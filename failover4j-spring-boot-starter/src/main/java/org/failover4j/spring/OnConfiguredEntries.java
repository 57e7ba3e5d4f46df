package org.failover4j.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when the map of properties under a prefix (instances, hosts, channels) has an entry. */
abstract class OnConfiguredEntries extends SpringBootCondition {

  private final String prefix;

  OnConfiguredEntries(String prefix) {
    this.prefix = prefix;
  }

  @Override
  public ConditionOutcome getMatchOutcome(
      ConditionContext context, AnnotatedTypeMetadata metadata) {
    boolean any =
        Binder.get(context.getEnvironment())
            .bind(prefix, Bindable.mapOf(String.class, Object.class))
            .map(m -> !m.isEmpty())
            .orElse(false);
    return any
        ? ConditionOutcome.match(prefix + " configured")
        : ConditionOutcome.noMatch("no " + prefix + " configured");
  }
}
