package io.spotnest.jenkins.orchestrator;

import hudson.Extension;
import io.spotnest.jenkins.SpotNestBackend;
import io.spotnest.jenkins.port.SpotNestController;
import io.spotnest.orchestrator.Orchestrator;
import io.spotnest.orchestrator.facade.FleetRuntime;
import io.spotnest.orchestrator.journal.FileJournal;
import io.spotnest.orchestrator.journal.JournalCorruptException;
import io.spotnest.orchestrator.journal.JournalIoException;
import io.spotnest.orchestrator.tick.Ids;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Logger;
import jenkins.model.Jenkins;

/**
 * Runs the orchestrator inside the Jenkins controller: started on first use, its journal at {@code
 * $JENKINS_HOME/spotnest/journal.jsonl} (replayed and reconciled at start, so a controller restart
 * resumes where it stopped). When the wiring's fleet is rebuilt (the cloud's fleet settings
 * changed) it restarts on the new ports the same way. Agents' secrets never enter the journal: it
 * holds their names, and {@link AgentSecrets} gives the secret at boot time. An agent Jenkins
 * removed while its VM could not be ended (the fleet could not start, or not write its journal) is
 * kept in {@code $JENKINS_HOME/spotnest/agents-to-end.txt}, and its VM is ended at the first use of
 * the orchestrator that can.
 */
@Extension
public final class OrchestratorBackend implements SpotNestBackend, AutoCloseable {
  private static final Logger LOGGER = Logger.getLogger(OrchestratorBackend.class.getName());
  static final String JOURNAL = "spotnest/journal.jsonl";
  static final String PENDING_ENDS = "spotnest/agents-to-end.txt";

  private final Supplier<Path> jenkinsHome;
  private final Supplier<FleetWiring> wiring;
  private final Clock clock;
  private final Ids ids;
  private final AgentSecrets secrets;
  private OrchestratorController controller;
  private FleetRuntime runtime;
  private Orchestrator.Ports startedOn;
  private PendingAgentEnds pendingEnds;

  public OrchestratorBackend() {
    this(
        () -> Jenkins.get().getRootDir().toPath(),
        FleetWiring::installed,
        Clock.systemUTC(),
        Ids.random(),
        AgentSecrets.ofJenkins());
  }

  /** For tests: another home, wiring, clock and ids. */
  public OrchestratorBackend(
      Supplier<Path> jenkinsHome, Supplier<FleetWiring> wiring, Clock clock, Ids ids) {
    this(jenkinsHome, wiring, clock, ids, AgentSecrets.ofJenkins());
  }

  /** For tests: also where agents' secrets come from. */
  public OrchestratorBackend(
      Supplier<Path> jenkinsHome,
      Supplier<FleetWiring> wiring,
      Clock clock,
      Ids ids,
      AgentSecrets secrets) {
    this.jenkinsHome = jenkinsHome;
    this.wiring = wiring;
    this.clock = clock;
    this.ids = ids;
    this.secrets = secrets;
  }

  /** Where the journal lives. */
  public Path journalFile() {
    return jenkinsHome.get().resolve(JOURNAL);
  }

  @Override
  public synchronized SpotNestController controller() {
    FleetWiring w = wiring.get();
    Orchestrator.Ports ports;
    try {
      ports = w.ports();
    } catch (RuntimeException e) {
      close(); // its fleet is gone
      throw e;
    }
    if (controller == null || !sameFleet(ports, startedOn)) {
      if (controller != null) {
        LOGGER.info("SpotNest: the fleet was rebuilt; the orchestrator resumes from its journal");
        close();
      }
      Path file = journalFile();
      try {
        Files.createDirectories(file.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + file.getParent(), e);
      }
      FileJournal journal = open(file);
      FleetRuntime fleet;
      try {
        fleet =
            FleetRuntime.start(
                clock, journal, ports.withSecrets(secrets), w.config(), ids, w.operatorWindow());
      } catch (RuntimeException e) {
        try {
          journal.close(); // the next try opens it again
        } catch (RuntimeException closing) {
          e.addSuppressed(closing);
        }
        throw e instanceof JournalCorruptException || e instanceof JournalIoException
            ? cannotResume(e)
            : e;
      }
      controller =
          new OrchestratorController(
              fleet, secrets, w.images(), w.config().limits().maxSpotRisk(), w.expectedBuild());
      runtime = fleet;
      startedOn = ports;
    }
    endPending(controller);
    return controller;
  }

  /**
   * Keeps the agent's end beside the journal; its VM is ended at the first use of the orchestrator
   * that can. False (and logged) when the file cannot be written.
   */
  @Override
  public synchronized boolean endWhenStarted(String agentName) {
    try {
      pendingEnds().add(agentName);
      return true;
    } catch (UncheckedIOException e) {
      LOGGER.warning(
          "SpotNest: cannot keep the end of agent " + agentName + ": " + e.getCause().getMessage());
      return false;
    }
  }

  /**
   * Ends the VMs of the agents Jenkins removed while they could not be ended; stops at a failure.
   */
  private void endPending(OrchestratorController started) {
    List<String> names;
    try {
      names = pendingEnds().names();
    } catch (UncheckedIOException e) {
      LOGGER.fine(() -> "SpotNest: no agents to end read: " + e.getMessage());
      return;
    }
    for (String name : names) {
      try {
        started.terminateAgent(name);
        pendingEnds().remove(name);
      } catch (RuntimeException e) {
        LOGGER.fine(() -> "SpotNest: agent " + name + " not ended yet: " + e.getMessage());
        return; // tried again at the next use
      }
      LOGGER.info(
          "SpotNest: ended the VM of agent " + name + ", whose end had waited for the fleet");
    }
  }

  private PendingAgentEnds pendingEnds() {
    if (pendingEnds == null) {
      pendingEnds = new PendingAgentEnds(jenkinsHome.get().resolve(PENDING_ENDS));
    }
    return pendingEnds;
  }

  private static FileJournal open(Path file) {
    try {
      return FileJournal.open(file);
    } catch (JournalIoException e) {
      throw cannotResume(e);
    }
  }

  /**
   * A journal the orchestrator cannot resume from is one line naming it, like a configuration it
   * cannot use: the risk loop waits and the admin page says why.
   */
  private static FleetConfigException cannotResume(RuntimeException e) {
    return new FleetConfigException(
        "SpotNest: the orchestrator cannot resume from its journal: " + e.getMessage());
  }

  /** The same adapters (a wiring may hand out a new {@code Ports} value each time). */
  private static boolean sameFleet(Orchestrator.Ports a, Orchestrator.Ports b) {
    return b != null
        && a.fleet() == b.fleet()
        && a.mover() == b.mover()
        && a.vms() == b.vms()
        && a.market() == b.market()
        && a.strategy() == b.strategy();
  }

  /** Stops the orchestrator (closes its journal); the next use starts it again from the journal. */
  @Override
  public synchronized void close() {
    if (runtime != null) {
      runtime.close();
    }
    runtime = null;
    controller = null;
    startedOn = null;
  }
}
