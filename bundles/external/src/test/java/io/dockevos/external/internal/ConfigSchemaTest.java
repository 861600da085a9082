package io.dockevos.external.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigSchemaTest {
  private static final ConfigSchema SCHEMA = new ConfigSchema(Map.of("type", "object", "additionalProperties", false,
      "required", List.of("greeting"), "properties", Map.of(
          "greeting", Map.of("type", "string", "default", "Hello"),
          "times", Map.of("type", "integer", "default", 1L, "minimum", 1, "maximum", 10),
          "excited", Map.of("type", "boolean", "default", false),
          "mode", Map.of("type", "string", "enum", List.of("plain", "fancy")),
          "tags", Map.of("type", "array"))));

  @Test
  void theDefaultsFillInWhatIsNotSetAndStringsBecomeTheirFieldsTypes() {
    ConfigSchema.Result r = SCHEMA.apply(Map.of("times", "3", "excited", "TRUE", "tags", "a, b", "service.pid", "x"));
    assertTrue(r.valid(), r.errors()::toString);
    assertEquals(Map.of("greeting", "Hello", "times", 3L, "excited", true, "tags", List.of("a", "b")), r.config());
    assertEquals(Map.of("greeting", "Hello", "times", 1L, "excited", false), SCHEMA.defaults().config());
  }

  @Test
  void eachBadValueIsNamedWithItsField() {
    ConfigSchema.Result r = SCHEMA.apply(Map.of("times", "many", "excited", "maybe", "mode", "loud", "gretting", "x"));
    assertFalse(r.valid());
    String all = String.join("\n", r.errors());
    assertTrue(all.contains("field 'times': expected an integer, got the string 'many'"), all);
    assertTrue(all.contains("field 'excited': expected a boolean, got the string 'maybe'"), all);
    assertTrue(all.contains("field 'mode': expected one of [plain, fancy], got the string 'loud'"), all);
    assertTrue(all.contains("field 'gretting' is not in the plugin's config schema"), all);
    assertTrue(SCHEMA.apply(Map.of("times", 11L)).errors().get(0).contains("11 is more than the maximum 10"));
    assertTrue(SCHEMA.apply(Map.of("times", 0)).errors().get(0).contains("0 is less than the minimum 1"));
  }
}
