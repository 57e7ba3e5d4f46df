package org.failover4j.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataProperty;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepository;
import org.springframework.boot.configurationmetadata.ConfigurationMetadataRepositoryJsonBuilder;

/**
 * The starter's configuration metadata, read with Spring Boot's own reader (the one IDE plugins are
 * built on). Spring Boot's format has no wildcard for a map's keys (spring-boot issue 9945 is still
 * open): a {@code Map<String, Pojo>} is one property whose type names the value class, and an IDE
 * (IntelliJ IDEA Ultimate, Spring Tools) completes the keys inside {@code instances.<name>.} from
 * that class. So each map must be one property typed by exactly the class the binder binds its
 * values to, and no entry may carry a {@code *}, which the reader takes literally.
 */
class ConfigurationMetadataTest {

  /** The metadata the build generated for this module (not another jar's on the classpath). */
  private static ConfigurationMetadataRepository repository() throws Exception {
    URI classes =
        Failover4jProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI();
    try (InputStream in =
        classes.resolve("META-INF/spring-configuration-metadata.json").toURL().openStream()) {
      return ConfigurationMetadataRepositoryJsonBuilder.create(in).build();
    }
  }

  @Test
  void eachMapOfEntriesIsOnePropertyTypedByTheClassItsValuesBindTo() throws Exception {
    Map<String, ConfigurationMetadataProperty> properties = repository().getAllProperties();
    Map<String, Type> maps =
        Map.of(
            "failover4j.vrrp.instances", component(Failover4jProperties.Vrrp.class, "instances"),
            "failover4j.carp.hosts", component(CarpProperties.class, "hosts"),
            "failover4j.ipvs.sync", component(IpvsSyncProperties.class, "sync"));
    maps.forEach(
        (name, bound) -> {
          ConfigurationMetadataProperty map = properties.get(name);
          assertNotNull(map, "no metadata for " + name);
          assertEquals(typeName(bound), map.getType(), name);
          assertTrue(
              map.getDescription() != null && !map.getDescription().isBlank(),
              "description of " + name);
          // What an IDE does to complete inside NAME.<key>.: load the value class, read its
          // properties.
          String type = map.getType();
          String value = type.substring(type.indexOf(',') + 1, type.length() - 1);
          Class<?> values;
          try {
            values = Class.forName(value);
          } catch (ClassNotFoundException e) {
            throw new AssertionError(name + ": the value type " + value + " does not load", e);
          }
          assertTrue(values.isRecord() && values.getRecordComponents().length > 2, value);
        });
  }

  @Test
  void noEntryUsesAWildcardTheFormatDoesNotHave() throws Exception {
    ConfigurationMetadataRepository repository = repository();
    assertTrue(
        repository.getAllProperties().containsKey("failover4j.vrrp.auto-startup"),
        repository.getAllProperties().keySet().toString());
    Stream.concat(
            repository.getAllProperties().keySet().stream(),
            repository.getAllGroups().keySet().stream())
        .forEach(id -> assertFalse(id.contains("*"), id));
  }

  /** Why: the reader keeps a {@code *} as part of the name, so it matches no real key. */
  @Test
  void springsReaderTakesAStarLiterally() throws Exception {
    String json =
        """
        {"properties": [{"name": "failover4j.vrrp.instances.*.interface",
                         "type": "java.lang.String"}]}
        """;
    ConfigurationMetadataRepository starred =
        ConfigurationMetadataRepositoryJsonBuilder.create(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
            .build();
    assertNull(starred.getAllProperties().get("failover4j.vrrp.instances.web.interface"));
    assertNotNull(starred.getAllProperties().get("failover4j.vrrp.instances.*.interface"));
  }

  private static Type component(Class<?> record, String name) {
    return Arrays.stream(record.getRecordComponents())
        .filter(c -> c.getName().equals(name))
        .map(RecordComponent::getGenericType)
        .findFirst()
        .orElseThrow();
  }

  /** A generic type as the metadata writes it: {@code java.util.Map<java.lang.String,a.B$C>}. */
  private static String typeName(Type type) {
    if (type instanceof ParameterizedType p) {
      StringBuilder b = new StringBuilder(((Class<?>) p.getRawType()).getName()).append('<');
      Type[] args = p.getActualTypeArguments();
      for (int i = 0; i < args.length; i++) {
        b.append(i == 0 ? "" : ",").append(typeName(args[i]));
      }
      return b.append('>').toString();
    }
    return ((Class<?>) type).getName();
  }
}
