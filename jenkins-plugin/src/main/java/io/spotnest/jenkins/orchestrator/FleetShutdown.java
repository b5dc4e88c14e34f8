package io.spotnest.jenkins.orchestrator;

import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.listeners.ItemListener;
import io.spotnest.jenkins.SpotNestBackend;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Closes the fleet when Jenkins shuts down ({@link ItemListener#onBeforeShutdown()}, at the start
 * of the orderly shutdown): first the orchestrator (its journal), then the fleet wiring (provider,
 * event pumps, SSH tunnels, libvirt connections). A failure is logged and the rest still closed.
 */
@Extension
public final class FleetShutdown extends ItemListener {
  private static final Logger LOGGER = Logger.getLogger(FleetShutdown.class.getName());
  private final Supplier<List<?>> backends;
  private final Supplier<List<?>> wirings;

  public FleetShutdown() {
    this(
        () -> List.copyOf(ExtensionList.lookup(SpotNestBackend.class)),
        () -> List.copyOf(ExtensionList.lookup(FleetWiring.class)));
  }

  /** For tests: the backends and wirings handed in. */
  public FleetShutdown(Supplier<List<?>> backends, Supplier<List<?>> wirings) {
    this.backends = backends;
    this.wirings = wirings;
  }

  @Override
  public void onBeforeShutdown() {
    closeAll(backends.get());
    closeAll(wirings.get());
  }

  private static void closeAll(List<?> parts) {
    for (Object part : parts) {
      if (part instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception | LinkageError e) {
          LOGGER.log(
              Level.WARNING,
              "SpotNest: closing " + part.getClass().getSimpleName() + " failed: " + e);
        }
      }
    }
  }
}
