package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The names configuration as code and the forms bind to: the {@code @DataBoundConstructor}
 * parameters and {@code @DataBoundSetter}s, each with a getter, a help file, a form entry and a
 * form check or drop-down (a checkbox needs none).
 */
class ConfigurationSurfaceTest {
  static final Set<String> CLOUD_ATTRIBUTES =
      Set.of(
          "name",
          "maxAgents",
          "jenkinsUrl",
          "templates",
          "staticHosts",
          "hostMemoryMb",
          "imagesDir",
          "bridge",
          "linkMbps",
          "overlayMtu",
          "marketFeed",
          "overlayGateways",
          "noDelayProvisioning",
          "standingCopies",
          "standbyMemory",
          "standbyStoreGb",
          "ec2");
  static final Set<String> TEMPLATE_ATTRIBUTES =
      Set.of(
          "labels",
          "vcpus",
          "memoryMb",
          "diskGb",
          "image",
          "marketPolicy",
          "standingCopyWish",
          "maxAgents",
          "idleMinutes",
          "remoteFs",
          "initScript");

  /** Attributes still bound for older configurations (CasC reads them, never exports them). */
  static final Set<String> DEPRECATED_TEMPLATE_ATTRIBUTES = Set.of("standingCopy");

  /** The attributes bound by setters marked {@code @Deprecated}. */
  static Set<String> deprecatedAttributes(Class<?> type) {
    Set<String> names = new TreeSet<>();
    for (Method method : type.getMethods()) {
      if (method.isAnnotationPresent(DataBoundSetter.class)
          && method.isAnnotationPresent(Deprecated.class)
          && method.getDeclaringClass() == type) {
        names.add(
            Character.toLowerCase(method.getName().charAt(3)) + method.getName().substring(4));
      }
    }
    return names;
  }

  static Set<String> attributes(Class<?> type) {
    Set<String> names = new TreeSet<>();
    for (Constructor<?> constructor : type.getConstructors()) {
      if (constructor.isAnnotationPresent(DataBoundConstructor.class)) {
        for (Parameter parameter : constructor.getParameters()) {
          assertTrue(parameter.isNamePresent(), "compile with -parameters");
          names.add(parameter.getName());
        }
      }
    }
    for (Method method : type.getMethods()) {
      if (method.isAnnotationPresent(DataBoundSetter.class)
          && !method.isAnnotationPresent(Deprecated.class)
          && method.getDeclaringClass() == type) {
        names.add(
            Character.toLowerCase(method.getName().charAt(3)) + method.getName().substring(4));
      }
    }
    return names;
  }

  private static String resource(Class<?> type, String name) throws IOException {
    try (InputStream in = type.getResourceAsStream(type.getSimpleName() + "/" + name)) {
      assertNotNull(in, type.getSimpleName() + "/" + name + " is missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static boolean hasGetter(Class<?> type, String attribute) {
    String suffix = Character.toUpperCase(attribute.charAt(0)) + attribute.substring(1);
    return Arrays.stream(type.getMethods())
            .anyMatch(
                m ->
                    m.getParameterCount() == 0
                        && (m.getName().equals("get" + suffix)
                            || m.getName().equals("is" + suffix)))
        || attribute.equals("name");
  }

  @Test
  void the_cloud_binds_these_attribute_names() {
    assertEquals(new TreeSet<>(CLOUD_ATTRIBUTES), attributes(SpotNestCloud.class));
    assertArrayEquals(
        new String[] {"spotNest"},
        SpotNestCloud.DescriptorImpl.class.getAnnotation(Symbol.class).value());
  }

  @Test
  void the_template_binds_these_attribute_names() {
    assertEquals(new TreeSet<>(TEMPLATE_ATTRIBUTES), attributes(SpotNestTemplate.class));
    assertEquals(
        new TreeSet<>(DEPRECATED_TEMPLATE_ATTRIBUTES),
        deprecatedAttributes(SpotNestTemplate.class));
    assertArrayEquals(
        new String[] {"spotNestTemplate"},
        SpotNestTemplate.DescriptorImpl.class.getAnnotation(Symbol.class).value());
  }

  @Test
  void every_attribute_has_a_getter_help_file_form_entry_and_check() throws Exception {
    check(
        SpotNestCloud.class,
        SpotNestCloud.DescriptorImpl.class,
        CLOUD_ATTRIBUTES,
        Set.of("templates", "ec2"));
    check(
        SpotNestTemplate.class,
        SpotNestTemplate.DescriptorImpl.class,
        TEMPLATE_ATTRIBUTES,
        Set.of());
  }

  static void check(Class<?> type, Class<?> descriptor, Set<String> attributes, Set<String> nested)
      throws Exception {
    String form = resource(type, "config.jelly");
    for (String attribute : attributes) {
      assertTrue(
          hasGetter(type, attribute), type.getSimpleName() + " has no getter for " + attribute);
      assertTrue(resource(type, "help-" + attribute + ".html").contains("<div>"), attribute);
      assertTrue(
          form.contains("field=\"" + attribute + "\""),
          "config.jelly has no entry for " + attribute);
      if (!nested.contains(attribute) && !isCheckbox(type, attribute)) {
        String suffix = Character.toUpperCase(attribute.charAt(0)) + attribute.substring(1);
        boolean checked =
            Arrays.stream(descriptor.getMethods())
                .anyMatch(
                    m ->
                        m.getName().equals("doCheck" + suffix)
                            || m.getName().equals("doFill" + suffix + "Items"));
        assertTrue(
            checked, descriptor.getName() + " has neither doCheck nor doFill for " + attribute);
      }
    }
  }

  /** A boolean attribute is a checkbox: it has no value that could be wrong, so no check. */
  private static boolean isCheckbox(Class<?> type, String attribute) {
    String suffix = Character.toUpperCase(attribute.charAt(0)) + attribute.substring(1);
    return Arrays.stream(type.getMethods())
        .anyMatch(
            m ->
                m.getName().equals("is" + suffix)
                    && m.getParameterCount() == 0
                    && m.getReturnType() == boolean.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/index.jelly",
        "/io/spotnest/jenkins/SpotNestCloud/config.jelly",
        "/io/spotnest/jenkins/SpotNestTemplate/config.jelly",
        "/io/spotnest/jenkins/Ec2Fleet/config.jelly",
        "/io/spotnest/jenkins/SpotNestManagementLink/index.jelly"
      })
  void views_are_well_formed_and_escape_by_default(String path) throws Exception {
    try (InputStream in = getClass().getResourceAsStream(path)) {
      assertNotNull(in, path);
      byte[] bytes = in.readAllBytes();
      assertTrue(
          new String(bytes, StandardCharsets.UTF_8)
              .startsWith("<?jelly escape-by-default='true'?>"),
          path);
      DocumentBuilderFactory.newInstance()
          .newDocumentBuilder()
          .parse(new java.io.ByteArrayInputStream(bytes));
    }
  }
}
