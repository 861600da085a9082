package io.dockevos.assist;

import java.time.Instant;

/**
 * A fix that was applied, as the assistant recorded it.
 *
 * @param at when it was applied
 * @param incidentId the incident it was applied for
 * @param fix its description
 * @param risk its risk
 * @param by who applied it: {@link Assistant#BY_USER} or {@link Assistant#BY_POLICY}
 * @param worked whether it worked (it applied, and its check passed)
 * @param rolledBack whether it was rolled back, because it did not work
 * @param result in plain words, what it did, or why it did not work
 * @since 0.1
 */
public record AppliedFix(Instant at, String incidentId, String fix, Risk risk, String by, boolean worked,
    boolean rolledBack, String result) {}
