package io.spotnest.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Serves {@code /api/*}: one snapshot of the source per request, rendered by {@link DashboardJson}.
 */
final class ApiHandler implements HttpHandler {
  private final DashboardSource source;
  private final DashboardJson json = new DashboardJson();

  ApiHandler(DashboardSource source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (Replies.refusedWrite(exchange)) {
      return;
    }
    Optional<byte[]> body = json.render(exchange.getRequestURI().getPath(), source.snapshot());
    if (body.isEmpty()) {
      Replies.status(exchange, 404, "no such endpoint");
      return;
    }
    Replies.send(exchange, 200, "application/json; charset=utf-8", body.get());
  }
}
