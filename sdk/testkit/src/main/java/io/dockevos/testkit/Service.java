package io.dockevos.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Injects a service of the runtime into a field or a test parameter of a {@link DockevOSTest}
 * class, typed: {@code @Service PluginManager plugins}. The type must be the runtime's own: a type
 * of the dockevOS API ({@code io.dockevos.*}, shared with the runtime because the API jar is on the
 * test class path), of the OSGi framework, or of another package the runtime takes from the class
 * path. A plugin's private class is the bundle's own, not the test's copy of it: reach it through
 * the shell ({@link DockevOSRuntime#run}), the {@code ActionService}, or an API type it registers.
 *
 * @since 0.1
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Service {
  /** @return an OSGi filter the service must match as well, such as {@code (component.name=x)}; empty for any */
  String filter() default "";

  /** @return how long to wait for the service, in seconds (its component may still be activating) */
  int timeoutSeconds() default 30;
}
