package io.spotnest.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes the server's responses, with the headers every response carries. */
final class Replies {
  private Replies() {}

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    var h = exchange.getResponseHeaders();
    h.set("Content-Type", contentType);
    h.set("Cache-Control", "no-store");
    h.set("X-Content-Type-Options", "nosniff");
    h.set("X-Frame-Options", "DENY");
    h.set(
        "Content-Security-Policy", "default-src 'self'; style-src 'self'; frame-ancestors 'none'");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : body.length == 0 ? -1 : body.length);
    if (!head && body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    exchange.close();
  }

  static void status(HttpExchange exchange, int status, String text) throws IOException {
    send(
        exchange,
        status,
        "text/plain; charset=utf-8",
        (text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Refuses anything but GET and HEAD; returns whether it did. */
  static boolean refusedWrite(HttpExchange exchange) throws IOException {
    String m = exchange.getRequestMethod();
    if (m.equals("GET") || m.equals("HEAD")) {
      return false;
    }
    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
    status(exchange, 405, "read-only: " + m + " not allowed");
    return true;
  }
}
