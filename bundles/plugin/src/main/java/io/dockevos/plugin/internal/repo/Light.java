package io.dockevos.plugin.internal.repo;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.resource.Capability;
import org.osgi.resource.Requirement;
import org.osgi.resource.Resource;

/**
 * Plain immutable resources, capabilities and requirements, as read from the {@link IndexCache}:
 * identity-equal (as the resolver needs nothing more) and built without bnd's checks, which the
 * jar's first reading already made.
 */
public final class Light {
  private Light() {}

  /**
   * @return a copy of a resource whose resource, capabilities and requirements are equal only to
   *     themselves: bnd's own compare their contents, which makes them slow keys in the resolver's maps
   */
  public static Resource copy(Resource source) {
    Res res = new Res();
    List<Capability> caps = new ArrayList<>();
    for (Capability c : source.getCapabilities(null)) {
      caps.add(new Cap(c.getNamespace(), c.getAttributes(), c.getDirectives(), res));
    }
    List<Requirement> reqs = new ArrayList<>();
    for (Requirement r : source.getRequirements(null)) {
      reqs.add(new Req(r.getNamespace(), r.getAttributes(), r.getDirectives(), res));
    }
    res.set(caps, reqs);
    return res;
  }

  static final class Res implements Resource {
    private List<Capability> caps = List.of();
    private List<Requirement> reqs = List.of();

    void set(List<Capability> caps, List<Requirement> reqs) {
      this.caps = List.copyOf(caps);
      this.reqs = List.copyOf(reqs);
    }

    @Override
    public List<Capability> getCapabilities(String namespace) {
      if (namespace == null) {
        return caps;
      }
      List<Capability> result = new ArrayList<>(2);
      for (Capability c : caps) {
        if (c.getNamespace().equals(namespace)) {
          result.add(c);
        }
      }
      return result;
    }

    @Override
    public List<Requirement> getRequirements(String namespace) {
      if (namespace == null) {
        return reqs;
      }
      List<Requirement> result = new ArrayList<>(2);
      for (Requirement r : reqs) {
        if (r.getNamespace().equals(namespace)) {
          result.add(r);
        }
      }
      return result;
    }

    @Override
    public String toString() {
      String[] id = RepositoryIndex.identity(this);
      return id[0] + " " + id[1];
    }
  }

  /** What a capability and a requirement share: a namespace, attributes, directives and a resource. */
  private abstract static class Clause {
    private final String namespace;
    private final Map<String, Object> attributes;
    private final Map<String, String> directives;
    private final Resource resource;

    Clause(String namespace, Map<String, Object> attributes, Map<String, String> directives, Resource resource) {
      this.namespace = namespace;
      this.attributes = attributes;
      this.directives = directives;
      this.resource = resource;
    }

    public String getNamespace() {
      return namespace;
    }

    public Map<String, String> getDirectives() {
      return directives;
    }

    public Map<String, Object> getAttributes() {
      return attributes;
    }

    public Resource getResource() {
      return resource;
    }

    @Override
    public String toString() {
      return namespace + attributes + directives;
    }
  }

  /** A capability, equal only to itself. */
  static final class Cap extends Clause implements Capability {
    Cap(String namespace, Map<String, Object> attributes, Map<String, String> directives, Resource resource) {
      super(namespace, attributes, directives, resource);
    }
  }

  /** A requirement, equal only to itself. */
  static final class Req extends Clause implements Requirement {
    Req(String namespace, Map<String, Object> attributes, Map<String, String> directives, Resource resource) {
      super(namespace, attributes, directives, resource);
    }
  }
}
