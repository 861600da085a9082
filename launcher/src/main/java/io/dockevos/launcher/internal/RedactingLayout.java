package io.dockevos.launcher.internal;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.dockevos.common.internal.Secrets;

/**
 * Logback's pattern layout with every secret masked ({@link Secrets}): a URL's password, a token or
 * a password given as {@code name=value}, in the message and in a stack trace alike, whoever logged
 * it (dockevOS, a plugin, a library). The default log uses it; an {@code etc/logback.xml} can too:
 * {@code <encoder class="ch.qos.logback.core.encoder.LayoutWrappingEncoder"><layout
 * class="io.dockevos.launcher.internal.RedactingLayout"><pattern>...</pattern></layout></encoder>}.
 */
public final class RedactingLayout extends PatternLayout {
  @Override
  public String doLayout(ILoggingEvent event) {
    return Secrets.redact(super.doLayout(event));
  }
}
