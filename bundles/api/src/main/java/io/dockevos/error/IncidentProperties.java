package io.dockevos.error;

/**
 * The keys of {@link Incident#properties()}: what analyzers read. Every value is a string. Besides
 * these, an incident that an event reported carries that event's own properties under their own
 * keys (for example {@code plugin.id}, {@code reason}, {@code engine.endpoint}).
 *
 * @since 0.1
 */
public final class IncidentProperties {
  /** The exception's class name, for example {@code java.lang.IllegalStateException}. */
  public static final String EXCEPTION = "exception";
  /** The exception's message, or the failure's message in plain words. */
  public static final String MESSAGE = "message";
  /**
   * The class name of the exception that wrapped {@link #EXCEPTION} (a {@code BundleException}, a
   * {@code ComponentException}, ...), when there was one: {@code exception} is the root cause.
   */
  public static final String EXCEPTION_WRAPPER = "exception.wrapper";
  /** The symbolic name of the bundle concerned. */
  public static final String BUNDLE = "bundle.symbolicName";
  /** The version of the bundle concerned. */
  public static final String BUNDLE_VERSION = "bundle.version";
  /** The id of the bundle concerned, when it was installed. */
  public static final String BUNDLE_ID = "bundle.id";
  /**
   * For a bundle that does not resolve: each missing mandatory requirement as {@code
   * namespace; filter}, for example {@code osgi.wiring.package;
   * (&(osgi.wiring.package=io.x)(version>=1.0.0)(!(version>=2.0.0)))}; several are separated by
   * a new line. A record for people and scripts: analyzers take the requirements as values from
   * {@code Diagnostics.diagnose} (by {@link #BUNDLE_ID}) or from a plan ({@code
   * PlanException.unsatisfied()}), not from this text.
   */
  public static final String REQUIREMENT = "requirement";
  /** The same requirements in plain words, as the plugin manager explains them, one a line. */
  public static final String REQUIREMENT_TEXT = "requirement.text";
  /** The name of a Declarative Services component. */
  public static final String COMPONENT = "component.name";
  /** The component's state: {@code UNSATISFIED_REFERENCE}, {@code FAILED_ACTIVATION}, ... */
  public static final String COMPONENT_STATE = "component.state";
  /** The name of a component's unsatisfied reference. */
  public static final String REFERENCE = "reference.name";
  /**
   * The service interfaces of a component's unsatisfied references, separated by commas: a record;
   * while the component is there, {@code Diagnostics.diagnose} has them as values, with their targets.
   */
  public static final String REFERENCE_INTERFACE = "reference.interface";
  /** A file, for example a deploy-folder file (its absolute path). */
  public static final String FILE = "file";
  /** A system tool that is missing, for example {@code docker}. */
  public static final String TOOL = "tool";
  /** How to get what is missing, in plain words. */
  public static final String HINT = "hint";
  /** A TCP port that is in use (from a {@code java.net.BindException}: "Address already in use"). */
  public static final String PORT = "port";
  /** A configuration PID that a failure names. */
  public static final String CONFIG_PID = "config.pid";
  /** An action's name (with {@code plugin.id}), for a failed action. */
  public static final String ACTION = "action.name";
  /** A resource whose threshold was crossed: {@code disk}, {@code memory}, {@code cpu}. */
  public static final String RESOURCE = "resource";
  /** The Event Admin topic that reported it, when an event did. */
  public static final String TOPIC = "event.topic";
  /** The OSGi Log Service logger name, for a log entry. */
  public static final String LOGGER = "logger";
  /**
   * What {@link ErrorHandler#recheck} looks at: {@code bundle}, {@code component}, {@code deploy},
   * {@code engine}, {@code threshold}, {@code action}, or absent when nothing can be re-checked.
   */
  public static final String SUBJECT_KIND = "subject.kind";
  /** The subject itself: a symbolic name, {@code bundle/component}, a file, a resource. */
  public static final String SUBJECT = "subject";

  /**
   * How many of the incident's {@link Incident#count()} sightings came while a fix was being applied
   * ({@link ErrorHandler#holdResolution}) or just after it: failures that a fix attempt caused, such
   * as a start it tried, not failures of the plugin's own. A crash-loop count leaves them out. Absent
   * when there were none; a number as a string.
   *
   * @since 0.1
   */
  public static final String FIX_COUNT = "count.during.fix";

  /**
   * {@code true} for a bundle that failed because it does not resolve: it never started, so a
   * crash-loop count leaves it out however often a restart sees it again.
   *
   * @since 0.1
   */
  public static final String UNRESOLVED = "bundle.unresolved";

  /** Why the incident was marked {@link Incident.Status#FIXED}, in plain words. */
  public static final String RESOLVED_BY = "resolved.by";

  /**
   * Given to {@link ErrorHandler#report}, what the fingerprint is made of instead of the
   * exception (or the summary, numbers taken out): reports with the same value are counted as one
   * incident. It is not kept in the incident's properties.
   */
  public static final String FINGERPRINT_KEY = "fingerprint.key";

  private IncidentProperties() {}
}
