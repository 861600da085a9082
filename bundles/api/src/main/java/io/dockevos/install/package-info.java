/**
 * The install pipeline: every change to the installed plugins (an install, an update, an
 * uninstall, a feature, a batch of deploy-folder files, an assistant's fix) is first a {@link
 * io.dockevos.install.Plan}, computed by the Felix resolver against the installed bundles plus the
 * {@link io.dockevos.install.Repositories}, then applied by the {@link io.dockevos.install.Installer}
 * as one transaction behind a health gate. Failures are typed values: {@link
 * io.dockevos.install.PlanException#unsatisfied()} lists each requirement that nothing satisfies as
 * a {@link io.dockevos.plugin.MissingRequirement}.
 *
 * @since 0.1
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package io.dockevos.install;
