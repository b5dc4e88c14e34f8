package io.spotnest.orchestrator.view;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.spotnest.orchestrator.model.PoolKey;
import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.PoolReclamation;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The tap passes the whole market on: quotes (remembering the latest) and reclamations. */
class PriceTapTest {
  private static final PoolKey POOL = new PoolKey("r5.16xlarge", "use1-az4");
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

  @Test
  void reclamationsOfTheFeedReachTheStrategyThroughTheTap() {
    PoolReclamation r = new PoolReclamation(POOL, "trace-1", T0);
    MarketQuote q = new MarketQuote(POOL, T0, 1.2, 4.0, OptionalInt.empty());
    MarketFeed feed =
        new MarketFeed() {
          @Override
          public List<MarketQuote> quotes() {
            return List.of(q);
          }

          @Override
          public List<PoolReclamation> reclamations() {
            return List.of(r);
          }
        };
    PriceTap tap = new PriceTap(feed);

    assertEquals(List.of(q), tap.quotes());
    assertEquals(List.of(r), tap.reclamations());
    assertEquals(q, tap.latest().get(POOL));
  }
}
