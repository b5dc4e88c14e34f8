package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolReclamation;
import io.spotnest.strategy.data.AdvisorEntry;
import io.spotnest.strategy.data.CapacityTrace;
import io.spotnest.strategy.signal.PoolId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TraceMarketTest {
  private static final Instant T0 = Instant.parse("2023-04-19T00:00:00Z");
  private static final CapacityTrace TRACE =
      new CapacityTrace(
          "us-east-1b_intel_64",
          new PoolId("r5.16xlarge", "us-east-1b"),
          T0,
          60,
          new int[] {1, 1, 0, 1, 1, 0, 0, 1});
  private static final PoolKey POOL = new PoolKey("r5.16xlarge", "us-east-1b");

  private TraceMarket at(int minutes) {
    return new TraceMarket(
        List.of(new TraceMarket.Pool(POOL, TRACE, Optional.of(new AdvisorEntry(76, 4)))),
        Clock.fixed(T0.plusSeconds(60L * minutes), ZoneOffset.UTC),
        4.0,
        0.35);
  }

  @Test
  void aDropInTheTraceIsAReclamationInItsPoolOnceItHasHappened() {
    assertEquals(List.of(), at(1).reclamations());
    assertEquals(
        List.of(new PoolReclamation(POOL, "trace:us-east-1b_intel_64:2", T0.plusSeconds(120))),
        at(4).reclamations());
    assertEquals(2, at(7).reclamations().size());
    assertEquals(
        Optional.of(T0.plusSeconds(300)), at(0).nextReclamation(POOL, T0.plusSeconds(120)));
    assertEquals(Optional.empty(), at(0).nextReclamation(POOL, T0.plusSeconds(300)));
  }

  @Test
  void thePoolIsQuotedAtTheAdvisorsSavingWithItsBucket() {
    MarketQuote q = at(3).quotes().get(0);

    assertEquals(POOL, q.pool());
    assertEquals(0.24, q.spotToOnDemand(), 1e-9);
    assertEquals(4.0, q.onDemandUsdPerHour());
    assertEquals(OptionalInt.of(4), q.interruptionBucket());
    assertEquals(T0.plusSeconds(180), q.at());
  }
}
