package io.spotnest.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The JSON documents behind the dashboard, by endpoint path. The server and the Jenkins admin page
 * both render through this class, so the two stay the same; the shapes are listed in {@code
 * docs/architecture.md}.
 */
public final class DashboardJson {
  /** Endpoint path to the part of a snapshot it returns. */
  private static final Map<String, Function<DashboardSnapshot, Object>> ENDPOINTS =
      Map.of(
          "/api/hosts", DashboardSnapshot::hosts,
          "/api/agents", DashboardSnapshot::agents,
          "/api/risk", DashboardSnapshot::risk,
          "/api/pools", DashboardSnapshot::pools,
          "/api/migrations", DashboardSnapshot::migrations,
          "/api/losses", DashboardSnapshot::losses,
          "/api/savings", DashboardSnapshot::savings,
          "/api/summary", Summary::of);

  private final ObjectMapper mapper = new ObjectMapper();

  /**
   * The JSON of endpoint {@code path} for {@code snapshot}, or empty when there is no such
   * endpoint.
   */
  public Optional<byte[]> render(String path, DashboardSnapshot snapshot) {
    Function<DashboardSnapshot, Object> part = ENDPOINTS.get(path);
    if (part == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(mapper.writeValueAsBytes(part.apply(snapshot)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + path + " as JSON", e);
    }
  }
}
