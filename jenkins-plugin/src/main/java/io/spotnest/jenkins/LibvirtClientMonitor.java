package io.spotnest.jenkins;

import hudson.Extension;
import hudson.model.AdministrativeMonitor;
import java.util.Optional;

/**
 * Warns administrators (under Manage Jenkins) when libvirt's client library cannot be loaded on the
 * controller: the orchestrator runs in the controller's JVM and drives libvirt through JNA, so
 * without it no agent starts.
 */
@Extension
public final class LibvirtClientMonitor extends AdministrativeMonitor {
  /** The name libvirt-java loads the library by (JNA finds {@code libvirt.so.0}). */
  public static final String LIBRARY = "virt";

  private final NativeLibraryProbe probe;

  public LibvirtClientMonitor() {
    this(NativeLibraryProbe.jna());
  }

  /** For tests and the fleet wiring: another probe. */
  public LibvirtClientMonitor(NativeLibraryProbe probe) {
    this.probe = probe;
  }

  @Override
  public String getDisplayName() {
    return "SpotNest: libvirt client library missing";
  }

  @Override
  public boolean isActivated() {
    return probe.missing(LIBRARY).isPresent();
  }

  /** What the warning says, with the loader's own reason; empty while the library loads. */
  public String getMessage() {
    Optional<String> problem = probe.missing(LIBRARY);
    return problem
        .map(
            reason ->
                "SpotNest cannot start agents: libvirt's client library (libvirt.so.0) is"
                    + " missing on this Jenkins controller. Install it (Debian/Ubuntu: libvirt0; RHEL/Fedora:"
                    + " libvirt-libs) and restart Jenkins. The loader said: "
                    + reason)
        .orElse("");
  }
}
