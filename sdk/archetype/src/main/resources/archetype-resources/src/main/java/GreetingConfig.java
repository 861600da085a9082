package ${package};

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The plugin's configuration, described with Metatype. Change it with a file {@code PID.cfg} (PID
 * below) in the runtime's {@code deploy/} or {@code etc/}: {@code greeting = Hi}.
 */
@ObjectClassDefinition(name = "Greeting", description = "How the plugin greets")
public @interface GreetingConfig {
  String PID = "${package}";

  @AttributeDefinition(description = "The word before the name")
  String greeting() default "Hello";
}
