package io.spotnest.jenkins;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.parser.Parser;

/**
 * The admin page without Jenkins, for a browser: the elements of its {@code index.jelly} that its
 * script fills (those with an id, their localised texts as written), its {@code dashboard.js}, and
 * its {@code api?endpoint=} answers from {@link SpotNestManagementLink#doApi}, at the path Jenkins
 * serves them under. Loopback only, and only to a browser holding its random session cookie.
 */
final class AdminPageHarness implements AutoCloseable {
  static final String COOKIE = "spotnest-harness";
  private static final String BASE = "/manage/spotnest/";
  private static final String VIEWS = "/io/spotnest/jenkins/SpotNestManagementLink/";
  private static final Pattern LOCALISED = Pattern.compile("\\$\\{%([^}]*)\\}");

  private final HttpServer server;
  private final SpotNestManagementLink page;
  private final String session = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
  private final String html;

  private AdminPageHarness(HttpServer server, SpotNestManagementLink page) {
    this.server = server;
    this.page = page;
    this.html = html();
  }

  static AdminPageHarness serve(SpotNestManagementLink page) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    AdminPageHarness h = new AdminPageHarness(server, page);
    server.createContext("/", h::handle);
    server.start();
    return h;
  }

  /** The site the session cookie is for. */
  URI site() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The admin page. */
  URI page() {
    return site().resolve(BASE);
  }

  /** The session cookie's value: only a browser given it is served. */
  String session() {
    return session;
  }

  /**
   * The page's script-filled elements as HTML: from the Jelly view's main panel, every element with
   * an id except those Jelly itself renders (with expressions other than localised texts).
   */
  static String panel() {
    Document jelly = Jsoup.parse(resource("index.jelly"), "", Parser.xmlParser());
    Element main = jelly.selectFirst("l|main-panel");
    if (main == null) {
      throw new IllegalStateException("index.jelly has no l:main-panel");
    }
    StringBuilder out = new StringBuilder();
    for (Element e : main.children()) {
      String markup = e.outerHtml();
      if (e.id().isEmpty() || e.tagName().contains(":") || unlocalised(markup).contains("${")) {
        continue;
      }
      out.append(unlocalised(markup)).append('\n');
    }
    return out.toString();
  }

  private static String unlocalised(String markup) {
    return LOCALISED.matcher(markup).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
  }

  private static String html() {
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>SpotNest</title></head><body>\n"
        + panel()
        + "<script src=\"dashboard.js\"></script>\n</body></html>\n";
  }

  private static String resource(String name) {
    try (InputStream in = AdminPageHarness.class.getResourceAsStream(VIEWS + name)) {
      if (in == null) {
        throw new IllegalStateException("no " + VIEWS + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      List<String> cookies = ex.getRequestHeaders().getOrDefault("Cookie", List.of());
      boolean signedIn =
          cookies.stream()
              .flatMap(c -> List.of(c.split(";")).stream())
              .anyMatch(c -> c.trim().equals(COOKIE + "=" + session));
      String path = ex.getRequestURI().getPath();
      if (!signedIn) {
        send(ex, 403, "text/plain", "sign in first");
      } else if (path.equals(BASE)) {
        send(ex, 200, "text/html;charset=UTF-8", html);
      } else if (path.equals(BASE + "dashboard.js")) {
        send(ex, 200, "text/javascript;charset=UTF-8", resource("dashboard.js"));
      } else if (path.equals(BASE + "api")) {
        api(ex);
      } else {
        send(ex, 404, "text/plain", "no " + path);
      }
    }
  }

  private void api(HttpExchange ex) throws IOException {
    String query = ex.getRequestURI().getRawQuery();
    String endpoint = null;
    for (String pair : query == null ? new String[0] : query.split("&")) {
      if (pair.startsWith("endpoint=")) {
        endpoint = URLDecoder.decode(pair.substring("endpoint=".length()), StandardCharsets.UTF_8);
      }
    }
    RecordedResponse answer;
    try {
      answer = RecordedResponse.of(page.doApi(endpoint), page);
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    byte[] body = answer.body();
    ex.getResponseHeaders().set("Content-Type", answer.contentType());
    ex.sendResponseHeaders(answer.status(), body.length);
    ex.getResponseBody().write(body);
  }

  private static void send(HttpExchange ex, int status, String type, String text)
      throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    ex.getResponseBody().write(body);
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
