package io.enareceiver.it.deploy;

import static org.assertj.core.api.Assertions.fail;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads manifests into the fabric8 Kubernetes object model and rejects any field the model does
 * not know. fabric8 classes keep unknown fields in {@code additionalProperties} instead of
 * failing, so after binding, every model object in the tree is checked for leftovers: a typo
 * such as {@code readOnlyRootFileSystem} fails here instead of being silently ignored by the API
 * server's client-side defaults. Kinds the model lacks (custom resources) come back as
 * {@link GenericKubernetesResource} for structural assertions.
 */
final class KubernetesObjects {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private KubernetesObjects() {}

  static List<HasMetadata> parseStrict(String yaml, String source) {
    List<HasMetadata> objects = new ArrayList<>();
    Yaml dumper = new Yaml(blockStyle());
    int index = 0;
    for (Object doc : DeployFiles.yamlDocuments(yaml)) {
      index++;
      String where = source + " document " + index;
      if (!(doc instanceof Map<?, ?> map) || !map.containsKey("kind") || !map.containsKey("apiVersion")) {
        fail(where + ": not a Kubernetes object (kind and apiVersion expected)");
        continue;
      }
      KubernetesResource bound = SERIALIZATION.unmarshal(dumper.dump(doc), KubernetesResource.class);
      if (!(bound instanceof HasMetadata object)) {
        fail(where + ": bound to " + bound.getClass().getName() + ", not an object with metadata");
        continue;
      }
      if (!(object instanceof GenericKubernetesResource)) {
        rejectUnknownFields(object, where + " (" + map.get("kind") + ")");
      }
      objects.add(object);
    }
    return objects;
  }

  /** Fails when any model object under {@code root} holds fields the model does not define. */
  static void rejectUnknownFields(Object root, String where) {
    walk(root, where, "");
  }

  private static void walk(Object node, String where, String path) {
    if (node == null) {
      return;
    }
    if (node instanceof Collection<?> items) {
      int i = 0;
      for (Object item : items) {
        walk(item, where, path + "[" + i++ + "]");
      }
      return;
    }
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        walk(e.getValue(), where, path + "[" + e.getKey() + "]");
      }
      return;
    }
    if (!node.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
      return;
    }
    for (Method getter : node.getClass().getMethods()) {
      if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || getter.getDeclaringClass() == Object.class) {
        continue;
      }
      String name = getter.getName();
      if (!name.startsWith("get") || name.equals("getClass")) {
        continue;
      }
      Object value = invoke(getter, node);
      if (name.equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          fail(where + ": unknown field(s) " + extra.keySet() + " at " + (path.isEmpty() ? "top level" : path)
              + " of " + node.getClass().getSimpleName());
        }
        continue;
      }
      walk(value, where, path + "." + decapitalize(name.substring(3)));
    }
  }

  private static Object invoke(Method getter, Object target) {
    try {
      return getter.invoke(target);
    } catch (IllegalAccessException | InvocationTargetException e) {
      return null;
    }
  }

  private static String decapitalize(String s) {
    return s.isEmpty() ? s : Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }

  private static DumperOptions blockStyle() {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return options;
  }
}
