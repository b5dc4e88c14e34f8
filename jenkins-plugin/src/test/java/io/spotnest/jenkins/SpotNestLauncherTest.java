package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.jenkins.port.AgentLaunchRequest;
import org.junit.jupiter.api.Test;

class SpotNestLauncherTest {
  private static final String SECRET =
      "9f2c0ffee1d2b3a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c";

  private final FakeController orchestrator = new FakeController();

  private SpotNestComputer computer() throws Exception {
    SpotNestAgent agent =
        new SpotNestAgent("nest-1", "nest", new SpotNestTemplate("linux"), "http://127.0.0.1:8080/")
            .withBackend(orchestrator);
    return new SpotNestComputer(agent) {
      @Override
      public String getJnlpMac() {
        return SECRET;
      }
    };
  }

  @Test
  void the_agent_connects_inbound_over_websocket() {
    SpotNestLauncher launcher = new SpotNestLauncher();
    assertTrue(launcher.isWebSocket());
    assertTrue(launcher.isLaunchSupported(), "Jenkins must call launch() to start the VM");
  }

  @Test
  void launch_starts_the_vm_with_the_secret_and_never_logs_it() throws Exception {
    SpotNestComputer computer = computer();
    SpotNestLauncher launcher = (SpotNestLauncher) computer.getNode().getLauncher();
    Listeners listener = Listeners.capture();

    launcher.launch(computer, listener);

    assertEquals(1, orchestrator.started.size());
    AgentLaunchRequest request = orchestrator.started.get(0);
    assertEquals(SECRET, request.secret().value());
    assertEquals("nest-1", request.agentName());
    assertEquals("http://127.0.0.1:8080/", request.controllerUrl());
    assertTrue(listener.text().contains("runs on host host-a"), listener.text());
    assertTrue(listener.text().contains("connects over WebSocket"), listener.text());
    assertFalse(listener.text().contains(SECRET), "the secret must not reach the log");
    assertFalse(launcher.isLaunchSupported(), "started once; the agent dials in by itself");
  }

  @Test
  void a_failed_start_is_logged_without_the_secret_and_may_be_retried() throws Exception {
    orchestrator.startFailure = new IllegalStateException("no host has room for 2 vCPU");
    SpotNestComputer computer = computer();
    SpotNestLauncher launcher = (SpotNestLauncher) computer.getNode().getLauncher();
    Listeners listener = Listeners.capture();

    launcher.launch(computer, listener);

    assertTrue(
        listener
            .text()
            .contains("Could not start the VM of agent nest-1: no host has room for 2 vCPU"),
        listener.text());
    assertFalse(listener.text().contains(SECRET));
    assertTrue(launcher.isLaunchSupported());
  }

  @Test
  void an_unavailable_fleet_is_one_line_in_the_agent_log_not_a_stack_trace() throws Exception {
    String why = "SpotNest cannot start agents: libvirt's client library (libvirt.so.0) is missing";
    SpotNestAgent agent =
        new SpotNestAgent("nest-1", "nest", new SpotNestTemplate("linux"), "http://127.0.0.1:8080/")
            .withBackend(
                () -> {
                  throw new io.spotnest.jenkins.orchestrator.FleetConfigException(why);
                });
    SpotNestComputer computer =
        new SpotNestComputer(agent) {
          @Override
          public String getJnlpMac() {
            return SECRET;
          }
        };
    SpotNestLauncher launcher = (SpotNestLauncher) agent.getLauncher();
    Listeners listener = Listeners.capture();

    launcher.launch(computer, listener);

    assertTrue(
        listener.text().contains("Could not start the VM of agent nest-1: " + why),
        listener.text());
    assertFalse(listener.text().contains("\tat "), "no stack trace");
    assertTrue(launcher.isLaunchSupported(), "may be retried once the fleet is fixed");
  }
}
