package io.dockevos.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs against an embedded dockevOS: before its first test, a runtime starts in a
 * temporary home (deleted after the last test) and the plugin under test is installed through the
 * plugin manager, as {@code plugin:install} would, and must be ACTIVE; otherwise every test fails
 * with the plugin manager's words for why. One runtime serves all the tests of the class.
 *
 * <p>The plugin under test is, unless {@link #plugin()} names it: the bundle jar in {@code target/}
 * (the newest whose manifest has a {@code Bundle-SymbolicName}) when it is newer than everything in
 * {@code target/classes}; else {@code target/classes} itself, packed into a jar, when
 * bnd-maven-plugin's {@code bnd-process} goal wrote its manifest there. With bnd-maven-plugin's
 * {@code jar} goal (which writes the manifest only into the jar, at {@code package}), run the
 * in-framework tests after {@code package}: name them {@code *IT} and let Failsafe run them.
 *
 * <p>Parameters of type {@link DockevOSRuntime}, and parameters and fields annotated {@link
 * Service}, are injected.
 *
 * @since 0.1
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(DockevOSExtension.class)
public @interface DockevOSTest {
  /**
   * @return the plugin under test: a bundle jar, or a classes directory with {@code
   *     META-INF/MANIFEST.MF}, relative to the working directory (the project's, under Maven); empty
   *     for the project's own (see above); {@code "none"} for no plugin at all. The system property
   *     {@code dockevos.testkit.plugin} overrides it.
   */
  String plugin() default "";

  /** @return the boot features; empty for the launcher's defaults ({@code dockevos-core}, {@code dockevos-shell}) */
  String[] features() default {};

  /** @return framework properties, each {@code key=value} */
  String[] properties() default {};
}
