package io.spotnest.cli;

import io.spotnest.testbed.AgentChannelListener;
import io.spotnest.testbed.LabJanitor;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedSpec;
import java.util.function.Consumer;

/**
 * The seam between the CLI and the machine: every command that touches libvirt or network
 * namespaces goes through here, so a test can prove that option validation happens before any of
 * it.
 */
interface LabControl {

  /** Starts a lab (hosts in namespaces, libvirt daemons). */
  Testbed start(TestbedSpec spec);

  /** Starts a lab with an agent channel and a migration engine over it. */
  LabSession open(TestbedSpec spec, Consumer<AgentChannelListener.Line> echo);

  /** Removes labs' leftovers. */
  LabJanitor janitor();

  /** A shell directly on this machine, working in {@code dir} (the nesting bench's host side). */
  TimedShell hostShell(java.nio.file.Path dir);

  /**
   * The test guest under plain QEMU with a shell on its console and a scratch disk of {@code
   * diskMib} MiB at {@code disk} (the nesting bench's VM side).
   */
  TimedShell guestShell(GuestConsoleShell.Accel accel, java.nio.file.Path disk, int diskMib);
}
