package io.dockevos.assist.internal;

import io.dockevos.assist.Diagnosis;
import io.dockevos.assist.ErrorAnalyzer;
import io.dockevos.error.ErrorHandler;
import io.dockevos.error.Incident;
import io.dockevos.fallback.ProcedureCatalog;
import io.dockevos.feature.FeatureManager;
import io.dockevos.install.Installer;
import io.dockevos.plugin.Diagnostics;
import io.dockevos.plugin.PluginManager;
import java.util.ArrayList;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.MetaTypeService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in analyzers, as one {@link ErrorAnalyzer} service: one component instead of eight keeps
 * the boot cost of the assistant down (each component costs SCR its descriptor, its service
 * registration and a tracker per reference, at every start). Each diagnosis keeps the name of the
 * analyzer that made it. Plugins' analyzers are services of their own, beside this one.
 */
@Component(service = ErrorAnalyzer.class, configurationPid = AssistConfig.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class BuiltInAnalyzers implements ErrorAnalyzer {
  private static final Logger LOG = LoggerFactory.getLogger(BuiltInAnalyzers.class);

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile FeatureManager features;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile ServiceComponentRuntime scr;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile ErrorHandler errors;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile ProcedureCatalog catalog;
  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  volatile io.dockevos.external.ExternalPlugins external;

  private final UnresolvedRequirementAnalyzer unresolved;
  private final MissingClassAnalyzer missingClass;
  private final UnsatisfiedReferenceAnalyzer unsatisfied;
  private final PortInUseAnalyzer port;
  private final ConfigurationAnalyzer configuration;
  private final PluginManager plugins;
  private volatile CrashLoopAnalyzer crashLoop;
  private final ContainerEngineAnalyzer engine;
  private final MissingToolAnalyzer tool;

  @Activate
  public BuiltInAnalyzers(BundleContext context, @Reference PluginManager plugins, @Reference Diagnostics diagnostics,
      @Reference Installer installer, @Reference ConfigurationAdmin configAdmin, @Reference MetaTypeService metatype,
      AssistConfig config) {
    this.plugins = plugins;
    unresolved = new UnresolvedRequirementAnalyzer(plugins, diagnostics, installer, context);
    missingClass = new MissingClassAnalyzer(plugins, context);
    unsatisfied = new UnsatisfiedReferenceAnalyzer(plugins, diagnostics, context);
    port = new PortInUseAnalyzer();
    configuration = new ConfigurationAnalyzer(context, configAdmin, metatype);
    crashLoop = new CrashLoopAnalyzer(plugins, config);
    engine = new ContainerEngineAnalyzer();
    tool = new MissingToolAnalyzer();
  }

  /** A changed dockevos.assist (the crash-loop window) is taken without a restart, which would drop the service a moment. */
  @org.osgi.service.component.annotations.Modified
  void modified(AssistConfig config) {
    crashLoop = new CrashLoopAnalyzer(plugins, config);
  }

  @Override
  public String name() {
    return "built-in";
  }

  /** Hands the optional services, as they are now, to the analyzers that use them. */
  private void wire() {
    FeatureManager fm = features;
    ProcedureCatalog pc = catalog;
    missingClass.features = fm;
    unsatisfied.features = fm;
    unsatisfied.scr = scr;
    crashLoop.errors = errors;
    crashLoop.external = external;
    engine.features = fm;
    engine.catalog = pc;
    tool.catalog = pc;
  }

  @Override
  public List<Diagnosis> analyze(Incident incident) {
    wire();
    List<Diagnosis> result = new ArrayList<>();
    for (ErrorAnalyzer a : List.of(unresolved, missingClass, unsatisfied, port, configuration, crashLoop, engine, tool)) {
      try {
        result.addAll(a.analyze(incident));
      } catch (RuntimeException | LinkageError e) {
        LOG.warn("The analyzer {} failed on incident {}: {}", a.name(), incident.id(), e.toString(), e);
      }
    }
    return result;
  }
}
