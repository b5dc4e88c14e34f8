package io.spotnest.dashboard;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Lets a request through only when it names this server's own loopback address as its Host (a page
 * of another site that rebinds its DNS name to 127.0.0.1 is refused) and carries the access token:
 * as a bearer token, as the session cookie, or once as {@code /?token=...}, which sets the cookie
 * and redirects to {@code /}.
 */
final class AccessGuard extends Filter {
  static final String COOKIE = "spotnest_dashboard";
  private final AccessToken token;
  private final List<String> hosts;

  AccessGuard(AccessToken token, int port) {
    this.token = token;
    this.hosts = List.of("127.0.0.1:" + port, "localhost:" + port);
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (host == null || !hosts.contains(host.toLowerCase(java.util.Locale.ROOT))) {
      Replies.status(exchange, 403, "forbidden: unknown Host header");
      return;
    }
    Optional<String> signIn = queryToken(exchange);
    if (signIn.isPresent() && exchange.getRequestURI().getPath().equals("/")) {
      if (!token.matches(signIn.get())) {
        Replies.status(exchange, 401, "unauthorized: wrong token");
        return;
      }
      exchange
          .getResponseHeaders()
          .add("Set-Cookie", COOKIE + "=" + token.value() + "; Path=/; HttpOnly; SameSite=Strict");
      exchange.getResponseHeaders().add("Location", "/");
      Replies.status(exchange, 303, "signed in");
      return;
    }
    if (!token.matches(bearer(exchange).or(() -> cookie(exchange)).orElse(null))) {
      Replies.status(
          exchange,
          401,
          "unauthorized: open the address printed by 'spotnest serve' (with ?token=)");
      return;
    }
    chain.doFilter(exchange);
  }

  @Override
  public String description() {
    return "loopback Host and access token";
  }

  private static Optional<String> queryToken(HttpExchange exchange) {
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null) {
      return Optional.empty();
    }
    for (String pair : query.split("&")) {
      if (pair.startsWith("token=")) {
        return Optional.of(pair.substring("token=".length()));
      }
    }
    return Optional.empty();
  }

  private static Optional<String> bearer(HttpExchange exchange) {
    String auth = exchange.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bearer ")
        ? Optional.of(auth.substring(7).strip())
        : Optional.empty();
  }

  private static Optional<String> cookie(HttpExchange exchange) {
    List<String> headers = exchange.getRequestHeaders().getOrDefault("Cookie", List.of());
    for (String header : headers) {
      for (String part : header.split(";")) {
        String p = part.strip();
        if (p.startsWith(COOKIE + "=")) {
          return Optional.of(p.substring(COOKIE.length() + 1));
        }
      }
    }
    return Optional.empty();
  }
}
