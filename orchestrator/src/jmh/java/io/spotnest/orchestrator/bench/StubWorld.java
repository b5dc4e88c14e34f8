package io.spotnest.orchestrator.bench;

import io.spotnest.orchestrator.port.AgentMover;
import io.spotnest.orchestrator.port.AgentVms;
import io.spotnest.orchestrator.port.FleetEvent;
import io.spotnest.orchestrator.port.HostFleet;
import io.spotnest.orchestrator.port.HostOrder;
import io.spotnest.orchestrator.port.MarketFeed;
import io.spotnest.orchestrator.port.MarketQuote;
import io.spotnest.orchestrator.port.MoveOrder;
import io.spotnest.orchestrator.port.MoveStatus;
import io.spotnest.orchestrator.port.ObservedHost;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Hosts and engine stubbed at the seam: fixed listing and quotes, moves that end at the next look.
 */
final class StubWorld implements HostFleet, AgentMover, AgentVms, MarketFeed {
  final List<ObservedHost> hosts = new ArrayList<>();
  final List<MarketQuote> quotes = new ArrayList<>();
  final Map<String, String> runningOn = new HashMap<>();
  private final Map<String, MoveOrder> moves = new HashMap<>();

  @Override
  public void launch(String launchKey, HostOrder order) {}

  @Override
  public List<ObservedHost> list() {
    return hosts;
  }

  @Override
  public void terminate(String hostId) {}

  @Override
  public List<FleetEvent> poll() {
    return List.of();
  }

  @Override
  public void acknowledge(FleetEvent event) {}

  @Override
  public void start(MoveOrder order) {
    moves.put(order.moveId(), order);
  }

  @Override
  public MoveStatus status(String moveId) {
    MoveOrder m = moves.remove(moveId);
    return new MoveStatus.Ended(Optional.ofNullable(m).map(MoveOrder::to), "done");
  }

  @Override
  public MoveStatus attach(MoveOrder order) {
    return status(order.moveId());
  }

  @Override
  public Optional<String> locate(String agentId) {
    return Optional.ofNullable(runningOn.get(agentId));
  }

  @Override
  public void boot(
      String agentId,
      String hostId,
      io.spotnest.orchestrator.model.AgentBootSpec spec,
      io.spotnest.orchestrator.port.BootSecret secret) {
    runningOn.put(agentId, hostId);
  }

  @Override
  public void destroy(String agentId, String hostId) {
    runningOn.remove(agentId, hostId);
  }

  @Override
  public List<MarketQuote> quotes() {
    return quotes;
  }
}
