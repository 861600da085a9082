package io.dockevos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kubernetes manifests of {@code deploy/kubernetes/} (issue 16, item 5): read strictly into the
 * fabric8 Kubernetes model (wrong types fail), with no field the model does not know (the model keeps
 * those aside instead of failing: a misspelled {@code readOnlyRootFilesytem} would be lost without a
 * word), what they promise (non-root, read-only root, no capabilities, exec probes, a volume for each
 * folder dockevOS writes), and their pod run for real by {@code podman kube play} in the engine of
 * {@code .ci/engine.sh}: ready by its readiness probe's command, with the ConfigMap's etc/.
 */
class KubernetesManifestsIT {
  private static final Path DIR = Path.of(System.getProperty("dockevos.readme")).getParent().resolve("deploy/kubernetes");
  private static final Path DIST_ETC = DIR.resolve("../../runtime/src/main/dist/etc").normalize();
  private static final ObjectMapper YAML = new YAMLMapper()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);
  private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
      "StatefulSet", StatefulSet.class, "ConfigMap", ConfigMap.class, "Service", Service.class);

  /** The manifests named by kustomization.yaml, each read into its model type; fails on any unknown field. */
  static Map<String, HasMetadata> manifests() throws Exception {
    JsonNode kustomization = YAML.readTree(DIR.resolve("kustomization.yaml").toFile());
    Set<String> known = Set.of("apiVersion", "kind", "labels", "resources", "images", "namespace", "namePrefix",
        "commonAnnotations", "configMapGenerator", "patches", "replicas");
    kustomization.fieldNames().forEachRemaining(f -> assertTrue(known.contains(f), "kustomization.yaml: unknown field " + f));
    assertEquals("Kustomization", kustomization.path("kind").asText());
    Map<String, HasMetadata> read = new LinkedHashMap<>();
    for (JsonNode resource : kustomization.path("resources")) {
      Path file = DIR.resolve(resource.asText());
      assertTrue(Files.isRegularFile(file), "kustomization.yaml names " + file + ", which is missing");
      JsonNode tree = YAML.readTree(file.toFile());
      String kind = tree.path("kind").asText();
      Class<? extends HasMetadata> type = KINDS.get(kind);
      assertTrue(type != null, file + ": kind '" + kind + "' is not one this test knows: " + KINDS.keySet());
      HasMetadata object = YAML.treeToValue(tree, type);
      List<String> unknown = new ArrayList<>();
      unknownFields(object, file.getFileName().toString(), unknown);
      assertTrue(unknown.isEmpty(), () -> "fields the Kubernetes schema does not have: " + unknown);
      assertEquals(expectedApiVersion(kind), object.getApiVersion(), file + ": apiVersion");
      read.put(kind, object);
    }
    // Every file in the folder is named (a manifest left out of kustomization.yaml is never applied).
    try (Stream<Path> files = Files.list(DIR)) {
      Set<String> named = new TreeSet<>();
      kustomization.path("resources").forEach(r -> named.add(r.asText()));
      named.add("kustomization.yaml");
      files.map(f -> f.getFileName().toString()).forEach(f -> assertTrue(named.contains(f),
          "deploy/kubernetes/" + f + " is not in kustomization.yaml's resources"));
    }
    return read;
  }

  private static String expectedApiVersion(String kind) {
    return kind.equals("StatefulSet") ? "apps/v1" : "v1";
  }

  /**
   * Walks a fabric8 model object: every {@code additionalProperties} that is not empty is a field the
   * schema does not have (the model's {@code @JsonAnySetter} catches them).
   */
  static void unknownFields(Object object, String path, List<String> unknown) {
    if (object == null) {
      return;
    }
    if (object instanceof Collection<?> c) {
      int i = 0;
      for (Object o : c) {
        unknownFields(o, path + "[" + i++ + "]", unknown);
      }
      return;
    }
    if (object instanceof Map<?, ?> m) {
      m.forEach((k, v) -> unknownFields(v, path + "." + k, unknown));
      return;
    }
    if (!object.getClass().getName().startsWith("io.fabric8.")) {
      return;
    }
    for (Method m : object.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(object);
      } catch (ReflectiveOperationException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          extra.keySet().forEach(k -> unknown.add(path + "." + k));
        }
        continue;
      }
      String field = Character.toLowerCase(m.getName().charAt(3)) + m.getName().substring(4);
      unknownFields(value, path + "." + field, unknown);
    }
  }

  @Test
  void theManifestsFollowTheKubernetesSchemaWithNoUnknownField() throws Exception {
    Map<String, HasMetadata> manifests = manifests();
    assertEquals(Set.of("StatefulSet", "ConfigMap", "Service"), manifests.keySet());
  }

  @Test
  void theUnknownFieldCheckFindsAMisspelledField() throws Exception {
    String yaml = Files.readString(DIR.resolve("statefulset.yaml"))
        .replace("readOnlyRootFilesystem:", "readOnlyRootFilesytem:");
    StatefulSet misspelled = YAML.readValue(yaml, StatefulSet.class);
    List<String> unknown = new ArrayList<>();
    unknownFields(misspelled, "statefulset.yaml", unknown);
    assertEquals(List.of("statefulset.yaml.spec.template.spec.containers[0].securityContext.readOnlyRootFilesytem"),
        unknown);
    String wrongType = Files.readString(DIR.resolve("statefulset.yaml")).replace("replicas: 3", "replicas: three");
    assertTrue(assertThrowsAny(() -> YAML.readValue(wrongType, StatefulSet.class)), "a wrong type fails");
  }

  private static boolean assertThrowsAny(java.util.concurrent.Callable<?> call) {
    try {
      call.call();
      return false;
    } catch (Exception e) {
      return true;
    }
  }

  @Test
  void thePodRunsNonRootOnAReadOnlyRootWithNoCapabilitiesAndExecProbes() throws Exception {
    StatefulSet set = (StatefulSet) manifests().get("StatefulSet");
    PodSpec pod = set.getSpec().getTemplate().getSpec();
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertEquals(1000L, pod.getSecurityContext().getRunAsUser());
    Container c = pod.getContainers().get(0);
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    assertEquals(List.of("/opt/dockevos/bin/dockevos", "status", "--live"), c.getLivenessProbe().getExec().getCommand());
    assertEquals(List.of("/opt/dockevos/bin/dockevos", "status", "--ready"), c.getReadinessProbe().getExec().getCommand());
    assertTrue(c.getResources().getRequests().containsKey("memory") && c.getResources().getLimits().containsKey("memory"));
    // What dockevOS writes, each on a volume: data/ on the claim, deploy/ and /tmp; etc/ from the ConfigMap.
    Map<String, String> mounts = new LinkedHashMap<>();
    c.getVolumeMounts().forEach(m -> mounts.put(m.getMountPath(), m.getName()));
    assertEquals(Map.of("/opt/dockevos/data", "data", "/opt/dockevos/deploy", "deploy", "/opt/dockevos/etc", "etc",
        "/tmp", "tmp"), mounts);
    assertEquals("data", set.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
    assertEquals("dockevos-etc", pod.getVolumes().stream().filter(v -> v.getName().equals("etc")).findFirst()
        .orElseThrow().getConfigMap().getName());
  }

  @Test
  void theConfigMapHoldsTheDesiredStateAndEveryFileOfTheDistributionsEtc() throws Exception {
    ConfigMap etc = (ConfigMap) manifests().get("ConfigMap");
    JsonNode state = JsonMapper.builder().build().readTree(etc.getData().get("state.json"));
    assertEquals("1.0", state.path("feature-resource-version").asText(), "state.json is a feature file");
    assertFalse(state.path("id").asText().isEmpty(), "state.json has an id");
    try (Stream<Path> files = Files.list(DIST_ETC)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        assertTrue(etc.getData().containsKey(name), "the ConfigMap mounted over etc/ hides the distribution's " + name);
      }
    }
    // Not a setting but the shells' profile: it must be the distribution's own.
    assertEquals(stripped(Files.readString(DIST_ETC.resolve("gosh_profile"))), stripped(etc.getData().get("gosh_profile")),
        "configmap.yaml's gosh_profile differs from runtime/src/main/dist/etc/gosh_profile");
  }

  private static String stripped(String text) {
    return text.lines().map(String::stripTrailing).reduce("", (a, b) -> a + b + "\n").strip();
  }

  /**
   * The StatefulSet's pod, as {@code podman kube play} runs it (it has no StatefulSet): the pod
   * template as a Pod, the claim template as a claim, the ConfigMap; ready when the readiness probe's
   * command answers 0 inside, with the ConfigMap's state.json and etc/ in place.
   */
  @Test
  void podmanKubePlayRunsThePod(@TempDir Path dir) throws Exception {
    ImageContainers image = ImageContainers.required();
    Map<String, HasMetadata> manifests = manifests();
    StatefulSet set = (StatefulSet) manifests.get("StatefulSet");
    String podName = ImageContainers.PREFIX + "kube";
    Pod pod = new Pod();
    pod.setApiVersion("v1");
    pod.setKind("Pod");
    pod.setMetadata(set.getSpec().getTemplate().getMetadata());
    pod.getMetadata().setName(podName);
    pod.setSpec(set.getSpec().getTemplate().getSpec());
    Container c = pod.getSpec().getContainers().get(0);
    // Under another name: the engine's kube play takes a folder named as the image (its last part) in the
    // engine's own working folder for a build context, and a checkout has a file dockevos there.
    String tag = "localhost/" + podName + ":latest";
    assertEquals(0, image.podman("tag", image.name(), tag).exit());
    c.setImage(tag);
    c.setImagePullPolicy("Never");
    PersistentVolumeClaim claim = set.getSpec().getVolumeClaimTemplates().get(0);
    claim.setApiVersion("v1");
    claim.setKind("PersistentVolumeClaim");
    String claimName = ImageContainers.PREFIX + "kube-data";
    claim.getMetadata().setName(claimName);
    pod.getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.VolumeBuilder().withName("data")
        .withNewPersistentVolumeClaim().withClaimName(claimName).endPersistentVolumeClaim().build());
    ObjectMapper out = new ObjectMapper(new YAMLFactory());
    Path yaml = dir.resolve("pod.yaml");
    Files.writeString(yaml, out.writeValueAsString(manifests.get("ConfigMap")) + out.writeValueAsString(claim)
        + out.writeValueAsString(pod));
    image.podman("kube", "down", yaml.toString());
    try {
      Result play = image.podman("kube", "play", yaml.toString());
      assertEquals(0, play.exit(), () -> "podman kube play\n" + play + "\n" + readQuietly(yaml));
      Result ps = image.podman("ps", "-a", "--filter", "pod=" + podName, "--format", "{{.Names}}");
      String container = ps.out().lines().filter(n -> !n.endsWith("-infra")).findFirst()
          .orElseThrow(() -> new AssertionError("no container in the pod\n" + ps));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      Result ready;
      do {
        ready = image.podman("exec", container, "/opt/dockevos/bin/dockevos", "status", "--ready");
        if (ready.exit() == 0) {
          break;
        }
        Await.sleep(200);
      } while (System.nanoTime() < deadline);
      Result last = ready;
      assertEquals(0, last.exit(), () -> "the readiness probe's command\n" + last + "\n"
          + image.podman("logs", container).all());
      assertEquals("1000", image.podman("exec", container, "id", "-u").out().strip());
      Result touch = image.podman("exec", container, "touch", "/opt/dockevos/lib/x");
      assertTrue(touch.exit() != 0 && touch.err().contains("Read-only file system"), touch::toString);
      Result state = image.podman("exec", container, "cat", "/opt/dockevos/etc/state.json");
      assertTrue(state.out().contains("org.example:desired-state"), state::toString);
      assertTrue(image.podman("logs", container).all().contains("dockevOS ready in"), "the log on the pod's output");
    } finally {
      image.podman("kube", "down", yaml.toString());
      image.podman("volume", "rm", "-f", claimName);
      // kube play keeps the ConfigMap's content in a volume of its name
      image.podman("volume", "rm", "-f", ((ConfigMap) manifests.get("ConfigMap")).getMetadata().getName());
      image.podman("rmi", tag);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
