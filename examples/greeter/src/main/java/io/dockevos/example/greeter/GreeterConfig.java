package io.dockevos.example.greeter;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The greeter's configuration, PID {@code io.dockevos.example.greeter}, described with Metatype:
 * set it with {@code deploy/io.dockevos.example.greeter.cfg} or {@code etc/}.
 */
@ObjectClassDefinition(name = "Greeter", description = "How the greeter greets")
public @interface GreeterConfig {
  String PID = "io.dockevos.example.greeter";

  @AttributeDefinition(description = "The word before the name")
  String greeting() default "Hello";
}
