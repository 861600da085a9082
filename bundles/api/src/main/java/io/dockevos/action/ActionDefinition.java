package io.dockevos.action;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties of an {@link Action}, as a component property type:
 *
 * <pre>{@code
 * @Component(service = Action.class)
 * @ActionDefinition(name = "greet", description = "Greets someone", schema = "/schemas/greet.json")
 * public class Greet implements Action { ... }
 * }</pre>
 *
 * @since 0.1
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ActionDefinition {
  /** The prefix of the properties: {@code dockevos.action.}. */
  String PREFIX_ = "dockevos.action.";

  /** @return the name; see {@link Action#NAME} */
  String name();

  /** @return a one-line description */
  String description() default "";

  /** @return the JSON Schema of the input, or the path of a bundle resource that holds it */
  String schema() default "{\"type\":\"object\"}";

  /** @return the timeout in seconds */
  long timeout() default 60;

  /** @return the Gogo scope; empty for the last part of the bundle's symbolic name */
  String scope() default "";
}
