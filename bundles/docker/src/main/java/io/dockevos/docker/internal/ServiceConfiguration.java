package io.dockevos.docker.internal;

import io.dockevos.docker.DockerServices;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One service of the small compose: one factory configuration of
 * {@value DockerServices#FACTORY_PID}, handed to the {@link ServiceSupervisor}. The properties are
 * read by {@link ServiceDefinition#parse}, which names the field of any mistake (a typed
 * configuration would fail the component with a conversion error instead).
 */
@Component(configurationPid = DockerServices.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ServiceConfiguration.Config.class, factory = true)
public final class ServiceConfiguration {
  @ObjectClassDefinition(name = "dockevOS Docker service", description = "A container that the runtime keeps running")
  public @interface Config {
    @AttributeDefinition(description = "The service's name; default: the configuration's name after ~", required = false)
    String name();

    @AttributeDefinition(description = "The image, such as busybox:latest")
    String image();

    @AttributeDefinition(description = "The command and its arguments; empty: the image's", required = false)
    String[] command();

    @AttributeDefinition(description = "Environment variables, KEY=VALUE", required = false)
    String[] env();

    @AttributeDefinition(description = "Labels, KEY=VALUE", required = false)
    String[] labels();

    @AttributeDefinition(description = "The memory limit, such as 64m", required = false)
    String memory();

    @AttributeDefinition(description = "The share of CPUs, such as 0.5", required = false)
    String cpus();

    @AttributeDefinition(description = "The limit on processes; 0: none", required = false)
    int pids() default 0;

    @AttributeDefinition(description = "none or bridge; empty: the engine's default", required = false)
    String network();

    @AttributeDefinition(description = "Published ports, [HOST_IP:]HOST_PORT:CONTAINER_PORT[/udp]; HOST_IP defaults to 127.0.0.1", required = false)
    String[] ports();

    @AttributeDefinition(description = "Mounts, SOURCE:/TARGET[:ro]", required = false)
    String[] mounts();

    @AttributeDefinition(description = "The sandbox: no network, cap-drop ALL, no-new-privileges, read-only rootfs, user 65534", required = false)
    boolean hardened() default false;

    @AttributeDefinition(name = "read.only", description = "A read-only root file system", required = false)
    boolean read_only() default false;

    @AttributeDefinition(name = "cap.drop", description = "Capabilities to drop, such as ALL", required = false)
    String[] cap_drop();

    @AttributeDefinition(name = "no.new.privileges", required = false)
    boolean no_new_privileges() default false;

    @AttributeDefinition(description = "uid[:gid] or a name", required = false)
    String user();

    @AttributeDefinition(description = "always, on-failure or no")
    String restart() default "always";

    @AttributeDefinition(name = "backoff.initial.ms", description = "The first wait before a restart; doubled each time")
    long backoff_initial_ms() default 1000;

    @AttributeDefinition(name = "backoff.max.ms", description = "The longest wait before a restart")
    long backoff_max_ms() default 30000;

    @AttributeDefinition(description = "The services that must run first", required = false)
    String[] depends$_$on();

    @AttributeDefinition(description = "Bring it up as soon as it is configured")
    boolean autostart() default true;
  }

  private final ServiceSupervisor supervisor;
  private String pid;

  @Activate
  public ServiceConfiguration(@Reference ServiceSupervisor supervisor, Map<String, Object> props) {
    this.supervisor = supervisor;
    modified(props);
  }

  @Modified
  void modified(Map<String, Object> props) {
    pid = String.valueOf(props.get("service.pid"));
    supervisor.define(pid, props);
  }

  @Deactivate
  void close() {
    supervisor.undefine(pid);
  }
}
