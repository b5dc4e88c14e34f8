package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The administrative monitor that says when libvirt's client library cannot be loaded on the
 * controller.
 */
class LibvirtClientMonitorTest {
  private final List<String> asked = new ArrayList<>();

  private LibvirtClientMonitor monitor(Optional<String> problem) {
    return new LibvirtClientMonitor(
        library -> {
          asked.add(library);
          return problem;
        });
  }

  @Test
  void a_missing_library_activates_the_monitor_with_a_clear_message() {
    LibvirtClientMonitor missing =
        monitor(
            Optional.of(
                "Unable to load library 'virt': libvirt.so: cannot open"
                    + " shared object file: No such file or directory"));

    assertTrue(missing.isActivated());
    assertEquals(List.of("virt"), asked, "the name JNA loads libvirt by, as libvirt-java does");
    String message = missing.getMessage();
    assertTrue(
        message.startsWith(
            "SpotNest cannot start agents: libvirt's client library (libvirt.so.0) is"
                + " missing on this Jenkins controller."),
        message);
    assertTrue(message.contains("libvirt0"), "the Debian/Ubuntu package: " + message);
    assertTrue(message.contains("libvirt-libs"), "the RHEL/Fedora package: " + message);
    assertTrue(message.contains("restart Jenkins"), message);
    assertTrue(
        message.contains("Unable to load library 'virt'"), "the loader's own reason: " + message);
    assertEquals("SpotNest: libvirt client library missing", missing.getDisplayName());
  }

  @Test
  void a_loadable_library_leaves_the_monitor_quiet() {
    LibvirtClientMonitor present = monitor(Optional.empty());

    assertFalse(present.isActivated());
    assertEquals("", present.getMessage());
  }

  @Test
  void the_jna_probe_reports_a_library_that_is_not_there() {
    Optional<String> problem = NativeLibraryProbe.jna().missing("spotnest-no-such-library");

    assertTrue(problem.isPresent());
    assertTrue(problem.get().contains("spotnest-no-such-library"), problem.get());
  }

  @Test
  void the_jna_probe_finds_a_library_every_linux_has() {
    assertEquals(Optional.empty(), NativeLibraryProbe.jna().missing("c"));
  }
}
