package org.failover4j.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.failover4j.lab.Json;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Name;

/**
 * The configuration metadata the build generates (the processor's, merged with
 * additional-spring-configuration-metadata.json) has every key inside {@code instances.<name>.},
 * {@code hosts.<name>.} and {@code sync.<name>.} with its type: each component of the properties
 * records, walked by reflection, so a property added without its metadata fails here.
 */
class ConfigurationMetadataTest {

  private static Map<String, Map<String, Object>> properties() throws Exception {
    try (InputStream in =
        ConfigurationMetadataTest.class.getResourceAsStream(
            "/META-INF/spring-configuration-metadata.json")) {
      assertNotNull(in, "the configuration processor generated no metadata");
      Map<String, Object> metadata =
          Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      Map<String, Map<String, Object>> byName = new HashMap<>();
      for (Object property : (List<?>) metadata.get("properties")) {
        Map<String, Object> p = Json.map(property);
        byName.put((String) p.get("name"), p);
      }
      return byName;
    }
  }

  /** Every leaf key of {@code type} under {@code prefix}, with its metadata type name. */
  private static Map<String, String> keys(String prefix, Class<?> type) {
    Map<String, String> keys = new LinkedHashMap<>();
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      types[i] = components[i].getType();
    }
    // @Name sits on the canonical constructor's parameters, where the binder reads it.
    Parameter[] parameters;
    try {
      parameters = type.getDeclaredConstructor(types).getParameters();
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
    for (int i = 0; i < components.length; i++) {
      RecordComponent component = components[i];
      Name name = parameters[i].getAnnotation(Name.class);
      String key =
          prefix
              + (name != null
                  ? name.value()
                  : component
                      .getName()
                      .replaceAll("([a-z])([A-Z])", "$1-$2")
                      .toLowerCase(Locale.ROOT));
      Class<?> raw = component.getType();
      if (raw.isRecord()) {
        keys.putAll(keys(key + ".", raw));
      } else {
        keys.put(key, typeName(component.getGenericType()));
      }
    }
    return keys;
  }

  private static String typeName(Type type) {
    if (type instanceof ParameterizedType p) {
      StringBuilder b = new StringBuilder(((Class<?>) p.getRawType()).getName()).append('<');
      Type[] args = p.getActualTypeArguments();
      for (int i = 0; i < args.length; i++) {
        b.append(i == 0 ? "" : ",").append(typeName(args[i]));
      }
      return b.append('>').toString();
    }
    Class<?> c = (Class<?>) type;
    if (c == boolean.class) {
      return Boolean.class.getName();
    }
    if (c == int.class) {
      return Integer.class.getName();
    }
    return c.getName();
  }

  @Test
  void everyNestedKeyHasMetadataWithItsType() throws Exception {
    Map<String, Map<String, Object>> metadata = properties();
    Map<String, String> expected = new LinkedHashMap<>();
    expected.putAll(keys("failover4j.vrrp.instances.*.", Failover4jProperties.Instance.class));
    expected.putAll(keys("failover4j.carp.hosts.*.", CarpProperties.Host.class));
    expected.putAll(keys("failover4j.ipvs.sync.*.", IpvsSyncProperties.Channel.class));
    assertTrue(expected.size() > 30, expected.toString());
    expected.forEach(
        (key, type) -> {
          Map<String, Object> property = metadata.get(key);
          assertNotNull(property, "no metadata for " + key);
          assertEquals(type, property.get("type"), key);
          assertTrue(
              property.get("description") instanceof String d && !d.isBlank(),
              "description of " + key);
        });
    // And the processor's own entries stay: the maps themselves, typed by their values.
    assertEquals(
        "java.util.Map<java.lang.String,org.failover4j.spring.CarpProperties$Host>",
        metadata.get("failover4j.carp.hosts").get("type"));
  }
}
