package io.dockevos.errors.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The error handler's configuration, PID {@code dockevos.errors}. */
@ObjectClassDefinition(name = "dockevOS error handler",
    description = "Incidents: how many are kept, how they are stored and reported")
public @interface ErrorsConfig {
  @AttributeDefinition(description = "The most incidents kept; past it the oldest fixed or ignored go first, then the oldest")
  int maxIncidents() default 500;

  @AttributeDefinition(description = "Seconds a component may stay unsatisfied, or a bundle unresolved, before it is an incident")
  int gracePeriodSeconds() default 10;

  @AttributeDefinition(description = "The incident file, relative to the data folder")
  String storeFile() default "errors/incidents.json";

  @AttributeDefinition(description = "Milliseconds between two writes of the incident file at most (changes in between are written together)")
  long writeDelayMillis() default 200;

  @AttributeDefinition(description = "Milliseconds between two dockevos/error/REPORTED events for repeats of one incident at least")
  long reportIntervalMillis() default 1000;
}
