package io.spotnest.dashboard;

import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The dashboard's web server: the page and the JSON endpoints, on a loopback address only, behind a
 * per-run access token. Built on the JDK's own {@code com.sun.net.httpserver} (a supported,
 * exported JDK API): seven GET endpoints and four static files need no servlet container, and the
 * module stays free of a web stack the Jenkins plugin would have to carry or clash with.
 */
public final class DashboardServer implements AutoCloseable {
  private final HttpServer http;
  private final ExecutorService threads;
  private final AccessToken token;
  private final URI base;

  private DashboardServer(HttpServer http, ExecutorService threads, AccessToken token) {
    this.http = http;
    this.threads = threads;
    this.token = token;
    InetSocketAddress at = http.getAddress();
    this.base = URI.create("http://" + at.getAddress().getHostAddress() + ":" + at.getPort() + "/");
  }

  /**
   * Starts serving {@code source} on {@code address:port} (port 0: any free port).
   *
   * @throws IllegalArgumentException if the address is not a loopback address
   * @throws IOException if the port cannot be bound
   */
  public static DashboardServer start(DashboardSource source, InetAddress address, int port)
      throws IOException {
    if (!address.isLoopbackAddress() || !(address instanceof java.net.Inet4Address)) {
      throw new IllegalArgumentException(
          "the dashboard binds to IPv4 loopback (127.0.0.1) only, not " + address.getHostAddress());
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535, got " + port);
    }
    HttpServer http = HttpServer.create(new InetSocketAddress(address, port), 16);
    AccessToken token = AccessToken.random();
    AccessGuard guard = new AccessGuard(token, http.getAddress().getPort());
    HttpContext api = http.createContext("/api/", new ApiHandler(source));
    api.getFilters().add(guard);
    HttpContext page = http.createContext("/", new PageHandler());
    page.getFilters().add(guard);
    ExecutorService threads =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "dashboard-http");
              t.setDaemon(true);
              return t;
            });
    http.setExecutor(threads);
    http.start();
    return new DashboardServer(http, threads, token);
  }

  /** The address to open, without the token, e.g. {@code http://127.0.0.1:8764/}. */
  public URI baseUri() {
    return base;
  }

  /** The address that signs a browser in (sets the session cookie); show it to the user only. */
  public URI signInUri() {
    return base.resolve("/?token=" + token.value());
  }

  /** The bearer token for API clients (e.g. the Jenkins admin page); never log it. */
  public String accessToken() {
    return token.value();
  }

  @Override
  public void close() {
    http.stop(0);
    threads.shutdownNow();
  }
}
