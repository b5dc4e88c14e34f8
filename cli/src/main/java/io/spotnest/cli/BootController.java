package io.spotnest.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The controller {@code spotnest image build} boots its image against: a real Jenkins from the war
 * that {@value #WAR_VARIABLE} names, or else the controller-side test server of the boot check.
 */
sealed interface BootController {
  String WAR_VARIABLE = "SPOTNEST_JENKINS_WAR";

  /** The boot check's own test server (no war given). */
  record TestServer() implements BootController {}

  /** A real Jenkins started from {@code war}. */
  record Jenkins(Path war) implements BootController {}

  /**
   * The controller the environment asks for: {@link Jenkins} when {@value #WAR_VARIABLE} is set
   * (and names an executable war), else {@link TestServer}.
   *
   * @throws IllegalArgumentException one line naming {@value #WAR_VARIABLE} when its value is not
   *     an existing Jenkins war
   */
  static BootController from(Map<String, String> environment) {
    String value = environment.get(WAR_VARIABLE);
    if (value == null || value.isBlank()) {
      return new TestServer();
    }
    Path war = Path.of(value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(war)) {
      throw new IllegalArgumentException(
          WAR_VARIABLE + "=" + value + ": no such file (set it to a jenkins.war, or unset it)");
    }
    if (!isExecutableWar(war)) {
      throw new IllegalArgumentException(
          WAR_VARIABLE
              + "="
              + value
              + ": not a Jenkins war (expected WEB-INF/web.xml and a Main-Class in its manifest)");
    }
    return new Jenkins(war);
  }

  /** A zip with WEB-INF/web.xml and a Main-Class: a war Jenkins starts from with java -jar. */
  static boolean isExecutableWar(Path war) {
    try (JarFile jar = new JarFile(war.toFile())) {
      Manifest manifest = jar.getManifest();
      return jar.getEntry("WEB-INF/web.xml") != null
          && manifest != null
          && manifest.getMainAttributes().getValue("Main-Class") != null;
    } catch (IOException | SecurityException notAZip) {
      return false;
    }
  }
}
