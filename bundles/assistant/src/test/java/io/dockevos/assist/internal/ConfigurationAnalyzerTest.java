package io.dockevos.assist.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.Hashtable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.ObjectClassDefinition;

/** A configuration that breaks its Metatype: the property and the constraint are named. */
class ConfigurationAnalyzerTest {
  record Ad(String id, int type, int cardinality, String[] options, String[] defaults, String invalid)
      implements AttributeDefinition {
    @Override public String getName() { return id; }
    @Override public String getID() { return id; }
    @Override public String getDescription() { return ""; }
    @Override public int getCardinality() { return cardinality; }
    @Override public int getType() { return type; }
    @Override public String[] getOptionValues() { return options; }
    @Override public String[] getOptionLabels() { return options; }
    @Override public String validate(String value) { return invalid != null && invalid.equals(value) ? "value out of range" : ""; }
    @Override public String[] getDefaultValue() { return defaults; }
  }

  static ObjectClassDefinition ocd(AttributeDefinition... ads) {
    return new ObjectClassDefinition() {
      @Override public String getName() { return "Shell assistant"; }
      @Override public String getID() { return "dockevos.assist"; }
      @Override public String getDescription() { return ""; }
      @Override public AttributeDefinition[] getAttributeDefinitions(int filter) { return ads; }
      @Override public InputStream getIcon(int size) { return null; }
    };
  }

  private static final Ad AUTO = new Ad("autoApply", AttributeDefinition.STRING, 0, new String[] {"SAFE", "NONE"},
      new String[] {"NONE"}, null);
  private static final Ad COUNT = new Ad("crashLoopCount", AttributeDefinition.INTEGER, 0, null, new String[] {"3"}, "1");
  private static final Ad HOSTS = new Ad("hosts", AttributeDefinition.STRING, 2, null, new String[] {"a", "b"}, null);

  @Test
  void eachBrokenPropertyIsNamedWithItsConstraint() {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("autoApply", "ALWAYS");
    props.put("crashLoopCount", "many");
    props.put("hosts", new String[] {"a", "b", "c"});
    List<ConfigurationAnalyzer.Problem> p = ConfigurationAnalyzer.problems(ocd(AUTO, COUNT, HOSTS), props);
    assertEquals(3, p.size(), p.toString());
    assertEquals("is not one of its options: it must be one of SAFE, NONE", p.get(0).constraint());
    assertEquals("is not a valid Integer", p.get(1).constraint());
    assertEquals("has 3 values, but takes at most 2", p.get(2).constraint());
  }

  @Test
  void theDefinitionsOwnValidationIsAsked() {
    assertEquals("is not valid: value out of range", ConfigurationAnalyzer.check(COUNT, 1));
    assertEquals(null, ConfigurationAnalyzer.check(COUNT, 5));
    assertEquals(null, ConfigurationAnalyzer.check(AUTO, "SAFE"));
  }

  @Test
  void defaultsAreTypedAsTheDefinitionSays() {
    assertEquals(3, ConfigurationAnalyzer.typedDefault(COUNT));
    assertEquals("NONE", ConfigurationAnalyzer.typedDefault(AUTO));
    assertArrayEquals(new String[] {"a", "b"}, (String[]) ConfigurationAnalyzer.typedDefault(HOSTS));
  }

  @Test
  void aMissingRequiredPropertyWithoutADefaultIsNamed() {
    Ad url = new Ad("url", AttributeDefinition.STRING, 0, null, null, null);
    List<ConfigurationAnalyzer.Problem> p = ConfigurationAnalyzer.problems(ocd(url), new Hashtable<>());
    assertTrue(p.get(0).constraint().startsWith("is missing: it is required"), p.toString());
  }
}
