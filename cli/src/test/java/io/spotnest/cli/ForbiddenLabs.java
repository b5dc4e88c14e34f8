package io.spotnest.cli;

import io.spotnest.testbed.AgentChannelListener;
import io.spotnest.testbed.LabJanitor;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Labs a test must never reach: records the attempt and refuses it. */
final class ForbiddenLabs implements LabControl {
  private final List<String> attempts = new ArrayList<>();

  List<String> attempts() {
    return List.copyOf(attempts);
  }

  @Override
  public Testbed start(TestbedSpec spec) {
    return refuse("start " + spec);
  }

  @Override
  public LabSession open(TestbedSpec spec, Consumer<AgentChannelListener.Line> echo) {
    return refuse("open " + spec);
  }

  @Override
  public LabJanitor janitor() {
    return refuse("janitor");
  }

  @Override
  public TimedShell hostShell(java.nio.file.Path dir) {
    return refuse("host shell in " + dir);
  }

  @Override
  public TimedShell guestShell(
      GuestConsoleShell.Accel accel, java.nio.file.Path disk, int diskMib) {
    return refuse("guest shell " + accel);
  }

  private <T> T refuse(String what) {
    attempts.add(what);
    throw new IllegalStateException("test: lab touched: " + what);
  }
}
