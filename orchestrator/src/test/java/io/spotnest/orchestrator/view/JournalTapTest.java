package io.spotnest.orchestrator.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.orchestrator.journal.InMemoryJournal;
import io.spotnest.orchestrator.journal.JournalRecord;
import io.spotnest.orchestrator.journal.JournalRecord.AgentRequested;
import io.spotnest.orchestrator.model.Agent;
import io.spotnest.orchestrator.model.FleetState;
import io.spotnest.orchestrator.tick.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A listener of the journal (the snapshot's history, the operator lane) that throws does not keep a
 * durable record from the model: the live model and a restart agree on what the journal holds.
 */
class JournalTapTest {
  private static final AgentRequested A1 =
      new AgentRequested("a1", 2048, Duration.ofMinutes(90), null);
  private static final AgentRequested A2 =
      new AgentRequested("a2", 2048, Duration.ofMinutes(90), null);

  private final InMemoryJournal journal = new InMemoryJournal();
  private final List<JournalRecord> told = new ArrayList<>();
  private final Consumer<JournalRecord> broken =
      r -> {
        throw new IllegalStateException("history cannot take " + r);
      };

  private final Logger log = Logger.getLogger(JournalTap.class.getName());
  private final List<LogRecord> warnings = new ArrayList<>();
  private final Handler warned =
      new Handler() {
        @Override
        public void publish(LogRecord r) {
          if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(r);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void listen() {
    log.addHandler(warned);
  }

  @AfterEach
  void stopListening() {
    log.removeHandler(warned);
  }

  @Test
  void aRecordJournaledIsAppliedToTheModelWhateverAListenerDoes() {
    Recorder recorder =
        new Recorder(new JournalTap(journal, List.of(broken, told::add)), new FleetState());

    List<RuntimeException> thrown = new ArrayList<>();
    for (JournalRecord r : List.of(A1, A2)) {
      try {
        recorder.record(r);
      } catch (RuntimeException e) {
        thrown.add(e);
      }
    }

    assertEquals(List.of(A1, A2), journal.replay());
    assertEquals(
        List.of("a1", "a2"),
        ids(recorder.state()),
        "the live model holds what the journal holds, as a restart's does");
    assertEquals(ids(restart()), ids(recorder.state()));
    assertEquals(List.of(), thrown, "a listener's failure is not the caller's");
    assertEquals(List.of(A1, A2), told, "the other listeners are still told");
    assertEquals(2, warnings.size(), "each failure is logged: " + messages());
    assertTrue(warnings.get(0).getThrown() instanceof IllegalStateException, messages());
  }

  /**
   * An Error is not caught (the process may be past saving: out of memory), but it escapes only
   * after the model has the durable record: a controller that lives on (a class that failed to load
   * in the Jenkins controller) must not plan its next step on a model behind its journal, or
   * journal the same step twice and have the restart's replay refuse it.
   */
  @Test
  void anErrorFromAListenerEscapesOnlyAfterTheModelHasTheDurableRecord() {
    Consumer<JournalRecord> unloadable =
        r -> {
          if (r.equals(A2)) {
            throw new NoClassDefFoundError("io/spotnest/jenkins/SomeView");
          }
        };
    Recorder recorder =
        new Recorder(new JournalTap(journal, List.of(unloadable, told::add)), new FleetState());
    recorder.record(A1);

    NoClassDefFoundError e =
        assertThrows(NoClassDefFoundError.class, () -> recorder.record(A2), "not swallowed");

    assertEquals(List.of(A1, A2), journal.replay(), "durable: " + e.getMessage());
    assertEquals(
        List.of("a1", "a2"),
        ids(recorder.state()),
        "the live model holds what the journal holds, as a restart's does");
    assertEquals(ids(restart()), ids(recorder.state()));
  }

  @Test
  void aListenerThatThrowsOnTheEarlierRunsHistoryDoesNotStopTheStart() {
    journal.append(A1);
    journal.append(A2);

    new JournalTap(journal, List.of(broken, told::add));

    assertEquals(List.of(A1, A2), told);
    assertEquals(2, warnings.size(), messages());
  }

  private FleetState restart() {
    FleetState s = new FleetState();
    journal.replay().forEach(s::apply);
    return s;
  }

  private static List<String> ids(FleetState s) {
    return s.agents().stream().map(Agent::id).toList();
  }

  private String messages() {
    return warnings.stream().map(LogRecord::getMessage).toList().toString();
  }
}
