package io.spotnest.testbed.jenkins;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One browser-like HTTP session against a {@link RealJenkins}: keeps the session cookie (Jenkins
 * binds crumbs to it), sends basic credentials when it has them, follows no redirects.
 */
public final class JenkinsHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LOGIN_CRUMB =
      Pattern.compile("<input name=\"([^\"]*Crumb)\" type=\"hidden\" value=\"([^\"]+)\"");

  private final URI base;
  private final String authorization;
  private final CookieManager cookies = new CookieManager();
  private final HttpClient client =
      HttpClient.newBuilder()
          .cookieHandler(cookies)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public JenkinsHttp(URI base, String user, String password) {
    this.base = base;
    this.authorization =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  /** A cookie as a browser would hold it. */
  public record Cookie(String name, String value) {
    @Override
    public String toString() {
      return "Cookie[" + name + "=(hidden)]"; // a session cookie is a credential: never printed
    }
  }

  /** The request field and value of a crumb issued to this session. */
  public record Crumb(String field, String value) {}

  public HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  public JsonNode json(String path) throws IOException, InterruptedException {
    HttpResponse<String> response = get(path);
    if (response.statusCode() != 200) {
      throw new IllegalStateException("GET " + path + " answered " + response.statusCode());
    }
    return JSON.readTree(response.body());
  }

  public Crumb crumb() throws IOException, InterruptedException {
    JsonNode crumb = json("crumbIssuer/api/json");
    return new Crumb(crumb.path("crumbRequestField").asText(), crumb.path("crumb").asText());
  }

  /** POSTs a form; {@code crumb} may be null to see what Jenkins does without one. */
  public HttpResponse<String> post(String path, Map<String, String> form, Crumb crumb)
      throws IOException, InterruptedException {
    String body =
        form.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    HttpRequest.Builder request =
        request(path)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (crumb != null) {
      request.header(crumb.field(), crumb.value());
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Signs in through Jenkins' login form, as a browser does, and returns the session cookie it
   * sets.
   */
  public Cookie formLogin(String user, String password) throws IOException, InterruptedException {
    // the login form carries a crumb bound to the anonymous session, and Jenkins requires it
    Matcher crumb = LOGIN_CRUMB.matcher(get("login").body());
    if (!crumb.find()) {
      throw new IllegalStateException("the login page has no crumb field");
    }
    HttpResponse<String> response =
        post(
            "j_spring_security_check",
            Map.of("j_username", user, "j_password", password, "from", "/"),
            new Crumb(crumb.group(1), crumb.group(2)));
    String location = response.headers().firstValue("Location").orElse("");
    if (response.statusCode() != 302 || location.contains("loginError")) {
      throw new IllegalStateException(
          "form login as " + user + " answered " + response.statusCode() + " to " + location);
    }
    return cookies.getCookieStore().get(base).stream()
        .filter(c -> c.getName().startsWith("JSESSIONID"))
        .map(c -> new Cookie(c.getName(), c.getValue()))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("form login set no session cookie"));
  }

  /** POSTs an XML document (a job's or node's config.xml) with the crumb. */
  public HttpResponse<String> postXml(String path, String xml, Crumb crumb)
      throws IOException, InterruptedException {
    return client.send(
        request(path)
            .header("Content-Type", "application/xml; charset=utf-8")
            .header(crumb.field(), crumb.value())
            .POST(HttpRequest.BodyPublishers.ofString(xml))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  public static String json(Map<String, ?> value) throws IOException {
    return JSON.writeValueAsString(value);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return request;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
