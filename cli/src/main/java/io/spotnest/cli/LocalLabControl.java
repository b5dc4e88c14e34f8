package io.spotnest.cli;

import io.spotnest.testbed.AgentChannelListener;
import io.spotnest.testbed.LabJanitor;
import io.spotnest.testbed.Shell;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedSpec;
import java.util.function.Consumer;

/** Labs on this machine. */
final class LocalLabControl implements LabControl {

  @Override
  public Testbed start(TestbedSpec spec) {
    return Testbed.start(spec);
  }

  @Override
  public LabSession open(TestbedSpec spec, Consumer<AgentChannelListener.Line> echo) {
    return new LabSession(spec, echo);
  }

  @Override
  public LabJanitor janitor() {
    return new LabJanitor(new Shell(), LabJanitor.defaultStateRoot());
  }

  @Override
  public TimedShell hostShell(java.nio.file.Path dir) {
    return new HostShell(dir);
  }

  @Override
  public TimedShell guestShell(
      GuestConsoleShell.Accel accel, java.nio.file.Path disk, int diskMib) {
    return GuestConsoleShell.boot(io.spotnest.testbed.GuestImage.locate(), accel, disk, diskMib);
  }
}
