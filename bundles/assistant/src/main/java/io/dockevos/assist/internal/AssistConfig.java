package io.dockevos.assist.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** The assistant's configuration, PID {@value #PID}: the policy, the crash-loop window, the history size. */
@ObjectClassDefinition(id = AssistConfig.PID, name = "Shell assistant",
    description = "Which fixes apply by themselves, what counts as a crash loop, how many applied fixes are kept")
public @interface AssistConfig {
  String PID = "dockevos.assist";

  @AttributeDefinition(description = "Fixes that apply by themselves when an incident is reported: SAFE (only fixes"
      + " marked SAFE) or NONE (every fix waits for assist:fix)", options = {
      @Option(label = "SAFE", value = "SAFE"), @Option(label = "NONE", value = "NONE")})
  String autoApply() default "NONE";

  @AttributeDefinition(description = "Failures of one plugin within the window that make a crash loop", min = "2")
  int crashLoopCount() default 3;

  @AttributeDefinition(description = "The crash-loop window, in seconds", min = "1")
  int crashLoopWindow() default 600;

  @AttributeDefinition(description = "How many applied fixes data/assist/fixes.json keeps", min = "1")
  int historySize() default 500;
}
