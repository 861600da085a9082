package io.dockevos.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;

/**
 * The JUnit 5 extension behind {@link DockevOSTest}: use the annotation rather than this class.
 *
 * @since 0.1
 */
public final class DockevOSExtension implements BeforeAllCallback, TestInstancePostProcessor, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(DockevOSExtension.class);
  /** Overrides {@link DockevOSTest#plugin()}: a jar or classes directory. */
  public static final String PLUGIN_PROPERTY = "dockevos.testkit.plugin";

  @Override
  public void beforeAll(ExtensionContext context) {
    runtime(context);
  }

  @Override
  public void postProcessTestInstance(Object instance, ExtensionContext context) throws IllegalAccessException {
    for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        Service service = field.getAnnotation(Service.class);
        if (service == null) {
          continue;
        }
        if (Modifier.isStatic(field.getModifiers()) || Modifier.isFinal(field.getModifiers())) {
          throw new ExtensionConfigurationException("@Service field " + c.getSimpleName() + "." + field.getName()
              + " must be neither static nor final");
        }
        field.setAccessible(true);
        field.set(instance, lookUp(runtime(context), field.getType(), service));
      }
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Parameter p = parameter.getParameter();
    return p.getType() == DockevOSRuntime.class || parameter.isAnnotated(Service.class);
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    DockevOSRuntime runtime = runtime(context);
    Parameter p = parameter.getParameter();
    if (p.getType() == DockevOSRuntime.class && !parameter.isAnnotated(Service.class)) {
      return runtime;
    }
    try {
      return lookUp(runtime, p.getType(), parameter.findAnnotation(Service.class).orElseThrow());
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new ParameterResolutionException(e.getMessage(), e);
    }
  }

  private static Object lookUp(DockevOSRuntime runtime, Class<?> type, Service service) {
    return runtime.service(type, service.filter(), Duration.ofSeconds(service.timeoutSeconds()));
  }

  /** The runtime of the test class, started once; a start that failed fails every test with its cause. */
  private static DockevOSRuntime runtime(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    Class<?> testClass = classContext.getRequiredTestClass();
    Started started = classContext.getStore(NAMESPACE).getOrComputeIfAbsent(testClass, c -> start(testClass), Started.class);
    if (started.failure != null) {
      throw started.failure;
    }
    return started.runtime;
  }

  /** The context of the class that carries {@link DockevOSTest}: a {@code @Nested} class shares its outer class's runtime. */
  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext c = context;
    while (true) {
      if (c.getTestMethod().isEmpty() && c.getTestClass().isPresent()
          && c.getRequiredTestClass().isAnnotationPresent(DockevOSTest.class)) {
        return c;
      }
      java.util.Optional<ExtensionContext> parent = c.getParent();
      if (parent.isEmpty() || parent.get().getTestClass().isEmpty()) {
        return c;
      }
      c = parent.get();
    }
  }

  private static Started start(Class<?> testClass) {
    DockevOSTest config = findConfig(testClass);
    String plugin = System.getProperty(PLUGIN_PROPERTY, config == null ? "" : config.plugin());
    String[] features = config == null ? new String[0] : config.features();
    Map<String, String> properties = new LinkedHashMap<>();
    if (config != null) {
      for (String p : config.properties()) {
        int eq = p.indexOf('=');
        if (eq <= 0) {
          return new Started(null, new ExtensionConfigurationException("@DockevOSTest(properties) of "
              + testClass.getName() + ": '" + p + "' is not key=value"));
        }
        properties.put(p.substring(0, eq).strip(), p.substring(eq + 1).strip());
      }
    }
    try {
      return new Started(DockevOSRuntime.start(plugin, Path.of("").toAbsolutePath(), features, properties), null);
    } catch (RuntimeException e) {
      return new Started(null, new ExtensionConfigurationException("dockevOS test kit, " + testClass.getSimpleName()
          + ": " + e.getMessage(), e));
    }
  }

  private static DockevOSTest findConfig(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      DockevOSTest config = c.getAnnotation(DockevOSTest.class);
      if (config != null) {
        return config;
      }
    }
    return null;
  }

  /** A started runtime, or why it did not start; closed with the test class's context. */
  private record Started(DockevOSRuntime runtime, RuntimeException failure)
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    @Override
    public void close() {
      if (runtime != null) {
        runtime.close();
      }
    }
  }
}
