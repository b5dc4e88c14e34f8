package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.spotnest.jenkins.orchestrator.FleetConfigException;
import io.spotnest.jenkins.port.SpotNestController;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/**
 * What ending a SpotNest agent does to its VM. Jenkins removes the node whatever {@code _terminate}
 * does, and the callers of {@code terminate} (an agent deleted on its page, the retention loop) do
 * not expect a runtime exception, so while the fleet cannot start the agent's end is kept for when
 * it starts, said in one line, and nothing is thrown.
 */
class AgentTerminationTest {
  private static final String WHY =
      "SpotNest: no SpotNest cloud is configured (Manage Jenkins > Clouds)";

  private final List<String> keptForLater = new ArrayList<>();

  /** A fleet that cannot start; it keeps ends for later when {@code keeps}. */
  private SpotNestBackend down(boolean keeps) {
    return new SpotNestBackend() {
      @Override
      public SpotNestController controller() {
        throw new FleetConfigException(WHY);
      }

      @Override
      public boolean endWhenStarted(String agentName) {
        if (keeps) {
          keptForLater.add(agentName);
        }
        return keeps;
      }
    };
  }

  private static SpotNestAgent agent(SpotNestBackend backend) throws Exception {
    return new SpotNestAgent(
            "nest-1", "nest", new SpotNestTemplate("linux"), "http://127.0.0.1:8080/")
        .withBackend(backend);
  }

  @Test
  void a_running_fleet_ends_the_agents_vm_now() throws Exception {
    FakeController orchestrator = new FakeController();
    Listeners log = Listeners.capture();

    agent(orchestrator)._terminate(log);

    assertEquals(List.of("nest-1"), orchestrator.terminated);
    assertEquals("[SpotNest] Terminated the VM of agent nest-1\n", log.text());
  }

  @Test
  void while_the_fleet_cannot_start_the_end_is_kept_for_when_it_starts_in_one_line()
      throws Exception {
    Listeners log = Listeners.capture();
    try (LogCapture system = LogCapture.of(SpotNestAgent.class)) {

      agent(down(true))._terminate(log);

      assertEquals(List.of("nest-1"), keptForLater);
      String line =
          "[SpotNest] The VM of agent nest-1 cannot be ended now, so it is ended once the fleet"
              + " can: "
              + WHY;
      assertEquals(List.of(line), system.messages(Level.WARNING));
      assertNull(system.records().get(0).getThrown(), "one line, no stack trace");
      assertEquals(line + "\n", log.text());
    }
  }

  @Test
  void a_backend_that_cannot_keep_the_end_says_the_vm_may_run_on() throws Exception {
    Listeners log = Listeners.capture();
    try (LogCapture system = LogCapture.of(SpotNestAgent.class)) {

      agent(down(false))._terminate(log);

      assertEquals(
          List.of("[SpotNest] Could not end the VM of agent nest-1, which may run on: " + WHY),
          system.messages(Level.WARNING));
    }
  }
}
