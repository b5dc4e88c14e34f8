package io.spotnest.dashboard;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/** Serves the page and its scripts from the jar: a fixed list of files, nothing else. */
final class PageHandler implements HttpHandler {
  private static final String ROOT = "/io/spotnest/dashboard/page/";

  /** Request path to resource name and content type. */
  private static final Map<String, String[]> FILES =
      Map.of(
          "/", new String[] {"index.html", "text/html; charset=utf-8"},
          "/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
          "/app.css", new String[] {"app.css", "text/css; charset=utf-8"},
          "/vendor/chart.umd.js",
              new String[] {"vendor/chart.umd.js", "text/javascript; charset=utf-8"},
          "/vendor/LICENSE.md", new String[] {"vendor/LICENSE.md", "text/plain; charset=utf-8"});

  private final Map<String, byte[]> bodies;

  PageHandler() {
    bodies =
        FILES.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toUnmodifiableMap(
                    Map.Entry::getKey, e -> load(e.getValue()[0])));
  }

  private static byte[] load(String name) {
    try (InputStream in = PageHandler.class.getResourceAsStream(ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("dashboard resource missing from the jar: " + ROOT + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    if (Replies.refusedWrite(exchange)) {
      return;
    }
    String path = exchange.getRequestURI().getPath();
    String[] file = FILES.get(path);
    if (file == null) {
      Replies.status(exchange, 404, "not found");
      return;
    }
    Replies.send(exchange, 200, file[1], bodies.get(path));
  }
}
