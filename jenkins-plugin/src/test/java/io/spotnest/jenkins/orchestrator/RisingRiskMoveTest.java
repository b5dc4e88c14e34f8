package io.spotnest.jenkins.orchestrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.jenkins.FleetSettings;
import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.AgentView;
import io.spotnest.orchestrator.port.Assessment;
import io.spotnest.orchestrator.port.Evacuation;
import io.spotnest.orchestrator.port.PoolSignals;
import io.spotnest.orchestrator.port.SpotHostView;
import io.spotnest.orchestrator.signal.SignalBook;
import io.spotnest.testbed.jenkins.MarketFeedFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The premise of the real-Jenkins lab test's first move: the plugin's own strategy ({@link
 * FleetAssembly#strategy}), fed the lab's market feed file through the production reader ({@link
 * FileMarketFeed}) and the orchestrator's {@link SignalBook}, moves the lab's 4.5 GB agent off its
 * spot host on rising risk alone (no notice): on the cloud's 1000 Mbit/s link, at the dirty rate
 * the plugin assumes for a build, it needs longer to leave than a notice gives. A 512 MB agent
 * leaves within a notice, so it stays (the notice is its insurance); a calm pool keeps either.
 */
class RisingRiskMoveTest {
  /** The lab test's agent: with the policy's margin it needs about 132 s to leave on 1 Gbit/s. */
  static final int BIG_AGENT_MIB = 4608;

  static final int LINK_MBPS = 1000;

  static final PoolKey POOL = new PoolKey("lab.vm", "spot1");
  static final String HOST = "snh1-1";
  static final String AGENT = "spotnest-abc";

  @TempDir Path dir;

  @Test
  void risingRiskAloneMovesAnAgentThatCannotLeaveWithinANotice() throws Exception {
    Assessment a = assess(BIG_AGENT_MIB, true);
    assertTrue(
        a.poolRisk().get(POOL) > FleetAssembly.MAX_SPOT_RISK,
        "the pool's risk passed the spot cap: " + a.poolRisk());
    assertEquals(1, a.evacuations().size(), a.evacuations().toString());
    Evacuation e = a.evacuations().get(0);
    assertEquals(AGENT, e.agentId());
    assertEquals(HOST, e.hostId());
    assertFalse(e.forced(), "a voluntary move for risk, not a notice's: " + e);
    assertTrue(e.reason().startsWith("expected loss"), e.reason());
  }

  @Test
  void anAgentEvacuableWithinANoticeStaysOnRisingRisk() throws Exception {
    Assessment a = assess(512, true);
    assertTrue(a.poolRisk().get(POOL) > FleetAssembly.MAX_SPOT_RISK, a.poolRisk().toString());
    assertEquals(List.of(), a.evacuations());
  }

  @Test
  void aCalmPoolKeepsTheBigAgent() throws Exception {
    Assessment a = assess(BIG_AGENT_MIB, false);
    assertTrue(a.poolRisk().get(POOL) <= FleetAssembly.MAX_SPOT_RISK, a.poolRisk().toString());
    assertEquals(List.of(), a.evacuations());
  }

  /** One tick of the plugin's strategy over the lab's feed, calm or rising, and one busy agent. */
  private Assessment assess(long agentMiB, boolean rising) throws Exception {
    MarketFeedFile lab = new MarketFeedFile(dir.resolve("market-feed.json"), POOL.toString());
    if (rising) {
      lab.writeRising(List.of());
    } else {
      lab.writeCalm();
    }
    FileMarketFeed feed = new FileMarketFeed(lab.file());
    Instant now = Instant.now().plusSeconds(2);
    SignalBook book = new SignalBook();
    feed.quotes().forEach(book::quote);
    feed.reclamations().forEach(r -> book.reclaimed(r.pool(), "market:" + r.id(), r.at()));
    List<PoolSignals> signals = book.signals(List.of(POOL), now);
    FleetSettings settings =
        new FleetSettings("spotnest", "", 5120, "/images", "br0", LINK_MBPS, 1);
    SpotHostView host =
        new SpotHostView(
            HOST,
            POOL,
            List.of(new AgentView(AGENT, agentMiB, Duration.ofSeconds(10), Duration.ofMinutes(50))),
            Optional.empty());
    return FleetAssembly.strategy(settings).assess(now, signals, List.of(host));
  }
}
