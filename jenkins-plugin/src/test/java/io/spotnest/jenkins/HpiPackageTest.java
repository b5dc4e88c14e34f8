package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import hudson.Extension;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import net.java.sezpoz.Index;
import net.java.sezpoz.IndexItem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opens the built .hpi (package phase) and checks what Jenkins reads from it. */
class HpiPackageTest {
  static final Set<String> EXTENSIONS =
      Set.of(
          "io.spotnest.jenkins.SpotNestCloud$DescriptorImpl",
          "io.spotnest.jenkins.SpotNestTemplate$DescriptorImpl",
          "io.spotnest.jenkins.Ec2Fleet$DescriptorImpl",
          "io.spotnest.jenkins.SpotNestAgent$DescriptorImpl",
          "io.spotnest.jenkins.SpotNestLauncher$DescriptorImpl",
          "io.spotnest.jenkins.SpotNestRetentionStrategy$DescriptorImpl",
          "io.spotnest.jenkins.SpotNestManagementLink",
          "io.spotnest.jenkins.SpotNestTick",
          "io.spotnest.jenkins.SpotNestProvisionStrategy",
          "io.spotnest.jenkins.SpotNestQueueListener",
          "io.spotnest.jenkins.BuildConsoles",
          "io.spotnest.jenkins.LibvirtClientMonitor",
          "io.spotnest.jenkins.orchestrator.OrchestratorBackend",
          "io.spotnest.jenkins.orchestrator.CloudFleetWiring",
          "io.spotnest.jenkins.orchestrator.FleetShutdown");

  /**
   * The orchestrator runs in the controller's JVM: it and its runtime libraries are bundled (no
   * Jackson in core), with the production wiring's: static hosts over SSH (jsch), EC2 hosts (the
   * AWS SDK's EC2 and SQS clients over its URLConnection HTTP client), the migration engine over
   * libvirt-java (its JNA is core's), the cluster CA (Bouncy Castle).
   */
  static final List<String> BUNDLED =
      List.of(
          "orchestrator",
          "dashboard",
          "spot-strategy",
          "hosts",
          "migration",
          "libvirt",
          "cluster-pki",
          "jsch",
          "bcpkix-jdk18on",
          "jackson-databind",
          "jackson-core",
          "jackson-annotations",
          "jackson-datatype-jsr310",
          "ec2",
          "sqs",
          "url-connection-client",
          "sdk-core",
          "aws-core",
          "aws-query-protocol",
          "aws-json-protocol",
          "auth",
          "regions");

  static Path hpi;
  static Path pluginJar;

  @BeforeAll
  static void open(@TempDir Path dir) throws Exception {
    String path = System.getProperty("spotnest.hpi");
    assumeTrue(
        path != null, "runs in the package phase (execution hpi-test), once the .hpi is built");
    hpi = Path.of(path);
    assertTrue(Files.isRegularFile(hpi), hpi + " was not built");
    pluginJar = dir.resolve("spotnest.jar");
    try (JarFile archive = new JarFile(hpi.toFile())) {
      ZipEntry entry = archive.getEntry("WEB-INF/lib/spotnest.jar");
      assertNotNull(entry, "WEB-INF/lib/spotnest.jar is missing");
      try (InputStream in = archive.getInputStream(entry)) {
        Files.copy(in, pluginJar, StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private static List<String> entries(Path file) throws Exception {
    List<String> names = new ArrayList<>();
    try (JarFile jar = new JarFile(file.toFile())) {
      jar.stream().forEach(e -> names.add(e.getName()));
    }
    return names;
  }

  private static void checkManifest(Manifest manifest) {
    Attributes main = manifest.getMainAttributes();
    assertEquals("spotnest", main.getValue("Short-Name"));
    assertEquals("SpotNest: live-migrating spot agents", main.getValue("Long-Name"));
    assertEquals(System.getProperty("spotnest.hpi.version"), main.getValue("Plugin-Version"));
    assertEquals(
        System.getProperty("spotnest.hpi.jenkinsVersion"), main.getValue("Jenkins-Version"));
    assertEquals("2.541.3", main.getValue("Jenkins-Version"));
    String dependencies = main.getValue("Plugin-Dependencies");
    assertEquals("structs:1.24;resolution:=optional", dependencies);
    for (String dependency : dependencies.split(",")) {
      assertTrue(dependency.matches("[a-z0-9-]+:[^:;,]+(;resolution:=optional)?"), dependency);
    }
  }

  @Test
  void the_manifest_says_who_the_plugin_is_and_what_it_needs() throws Exception {
    try (JarFile archive = new JarFile(hpi.toFile())) {
      checkManifest(archive.getManifest());
    }
    try (JarFile jar = new JarFile(pluginJar.toFile())) {
      checkManifest(jar.getManifest());
    }
  }

  @Test
  void web_inf_lib_holds_the_plugin_jar_and_no_jar_that_core_provides() throws Exception {
    List<String> libraries =
        entries(hpi).stream()
            .filter(n -> n.startsWith("WEB-INF/lib/") && n.endsWith(".jar"))
            .toList();
    assertTrue(libraries.contains("WEB-INF/lib/spotnest.jar"), libraries.toString());
    for (String library : libraries) {
      assertFalse(
          library.matches(
              ".*/(jenkins-api|jna|jna-platform|sezpoz|spotbugs-annotations|jakarta\\.servlet-api|slf4j-api)-.*"),
          library + " is provided by Jenkins core and must not be packaged");
    }
    assertFalse(
        entries(hpi).stream().anyMatch(n -> n.startsWith("WEB-INF/classes/")),
        "classes go in a jar");
    for (String artifact : BUNDLED) {
      assertEquals(
          1,
          libraries.stream()
              .filter(
                  l ->
                      l.matches("WEB-INF/lib/" + artifact + "-[0-9].*\\.jar")
                          && !l.contains("-tests"))
              .count(),
          artifact + " must be bundled once: " + libraries);
    }
    assertFalse(
        libraries.stream()
            .anyMatch(
                l ->
                    l.contains("-tests")
                        || l.contains("junit")
                        || l.contains("jsoup")
                        || l.contains("jmh")),
        "no test libraries: " + libraries);
    assertFalse(
        libraries.stream().anyMatch(l -> l.contains("testbed")),
        "not the lab's testbed: " + libraries);
    assertFalse(
        libraries.stream()
            .anyMatch(
                l -> l.matches(".*/(apache5?-client|httpclient5?|httpcore5?.*|netty-.*)-[0-9].*")),
        "not the AWS SDK's unused HTTP clients (the EC2 wiring uses url-connection-client): "
            + libraries);
  }

  @Test
  void the_plugin_jar_has_the_extension_index_listing_every_extension() throws Exception {
    assertTrue(entries(pluginJar).contains("META-INF/annotations/hudson.Extension"));
    Set<String> indexed = new TreeSet<>();
    try (URLClassLoader onlyThePlugin =
        new URLClassLoader(
            new URL[] {pluginJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader())) {
      for (IndexItem<Extension, Object> item :
          Index.load(Extension.class, Object.class, onlyThePlugin)) {
        indexed.add(item.className());
      }
    }
    assertEquals(new TreeSet<>(EXTENSIONS), indexed);
  }

  @Test
  void the_plugin_jar_has_the_views_help_files_and_index_jelly_but_no_jenkins_classes()
      throws Exception {
    List<String> names = entries(pluginJar);
    assertTrue(names.contains("index.jelly"));
    assertTrue(names.contains("io/spotnest/jenkins/SpotNestCloud/config.jelly"));
    assertTrue(names.contains("io/spotnest/jenkins/SpotNestTemplate/config.jelly"));
    assertTrue(names.contains("io/spotnest/jenkins/SpotNestManagementLink/index.jelly"));
    assertTrue(
        names.contains("io/spotnest/jenkins/SpotNestManagementLink/dashboard.js"),
        "the page's adjunct");
    assertTrue(
        names.contains("io/spotnest/jenkins/LibvirtClientMonitor/message.jelly"),
        "the monitor's warning");
    for (String field : ConfigurationSurfaceTest.CLOUD_ATTRIBUTES) {
      assertTrue(
          names.contains("io/spotnest/jenkins/SpotNestCloud/help-" + field + ".html"), field);
    }
    assertTrue(names.contains("io/spotnest/jenkins/Ec2Fleet/config.jelly"));
    for (String field : Ec2FleetFormTest.EC2_ATTRIBUTES) {
      assertTrue(names.contains("io/spotnest/jenkins/Ec2Fleet/help-" + field + ".html"), field);
    }
    for (String field : ConfigurationSurfaceTest.TEMPLATE_ATTRIBUTES) {
      assertTrue(
          names.contains("io/spotnest/jenkins/SpotNestTemplate/help-" + field + ".html"), field);
    }
    assertTrue(names.contains("io/spotnest/jenkins/SpotNestCloud.class"));
    for (String name : names) {
      if (name.endsWith(".class")) {
        assertTrue(
            name.startsWith("io/spotnest/jenkins/"), name + ": only the plugin's own classes");
      }
    }
  }
}
