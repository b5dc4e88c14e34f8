package io.spotnest.hosts.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.spotnest.hosts.DaemonThreads;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A local fake of the EC2 Query API (HTTP on 127.0.0.1, dynamic port) answering the documented XML
 * for the calls the provider uses: RunInstances, DescribeInstances, TerminateInstances,
 * DescribeSpotPriceHistory. Errors can be injected per action. Every request is recorded.
 */
public final class Ec2QueryFake implements AutoCloseable {
  static final String NS = "http://ec2.amazonaws.com/doc/2016-11-15/";

  /** One recorded call. */
  public record Request(String action, Map<String, String> params) {
    public String get(String key) {
      return params.get(key);
    }
  }

  static final class FakeInstance {
    final String id;
    final String type;
    final String zone;
    final boolean spot;
    final Map<String, String> tags;
    final String privateIp;
    final Instant launchTime;
    String state = "pending";
    String clientToken = "";
    String userData = "";
    Map<String, String> metadataOptions = Map.of();

    FakeInstance(
        String id,
        String type,
        String zone,
        boolean spot,
        Map<String, String> tags,
        String privateIp,
        Instant launchTime) {
      this.id = id;
      this.type = type;
      this.zone = zone;
      this.spot = spot;
      this.tags = tags;
      this.privateIp = privateIp;
      this.launchTime = launchTime;
    }
  }

  private record Fault(
      String action, String code, int status, Predicate<Request> when, int[] remaining) {}

  /** What happens to the answer of a call that was carried out: sent late, or cut off half-way. */
  private record Disruption(String action, long delayMillis, boolean drop, int[] remaining) {}

  record Price(String type, String zone, String price, Instant at) {}

  /** The next call of {@code action} says it {@code arrived}, then waits for {@code release}. */
  private record Hold(String action, CountDownLatch arrived, CountDownLatch release) {}

  private final HttpServer server;
  private final ExecutorService workers =
      Executors.newCachedThreadPool(DaemonThreads.named("ec2-fake"));
  private final Map<String, FakeInstance> instances = new LinkedHashMap<>();
  private final Map<String, String> byClientToken = new LinkedHashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private final List<Fault> faults = new ArrayList<>();
  private final List<Price> prices = new ArrayList<>();
  private final List<Disruption> disruptions = new ArrayList<>();
  private final List<Hold> holds = new ArrayList<>();
  private int nextId = 0x1000;

  public Ec2QueryFake() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.setExecutor(workers);
    server.start();
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * Fails the next {@code times} calls of {@code action} matching {@code when} with the EC2 error
   * {@code code}.
   */
  synchronized void fail(String action, String code, int times, Predicate<Request> when) {
    int status =
        code.equals("RequestLimitExceeded") ? 503 : code.equals("InternalError") ? 500 : 400;
    faults.add(new Fault(action, code, status, when, new int[] {times}));
  }

  public synchronized void fail(String action, String code, int times) {
    fail(action, code, times, r -> true);
  }

  /**
   * Carries out the next {@code times} calls of {@code action}, then answers only after {@code
   * millis}.
   */
  /**
   * Holds the next call of {@code action} before it is carried out: counts {@code arrived} down,
   * then waits (at most 30 s) for {@code release}, so that a test can make other calls happen
   * between a client's request and the fake's answer.
   */
  synchronized void holdNext(String action, CountDownLatch arrived, CountDownLatch release) {
    holds.add(new Hold(action, arrived, release));
  }

  private synchronized Optional<Hold> takeHold(String action) {
    for (Hold h : holds) {
      if (h.action().equals(action)) {
        holds.remove(h);
        return Optional.of(h);
      }
    }
    return Optional.empty();
  }

  synchronized void delayAnswer(String action, long millis, int times) {
    disruptions.add(new Disruption(action, millis, false, new int[] {times}));
  }

  /**
   * Carries out the next {@code times} calls of {@code action}, then cuts the answer off half-way.
   */
  synchronized void dropAnswer(String action, int times) {
    disruptions.add(new Disruption(action, 0, true, new int[] {times}));
  }

  synchronized FakeInstance addInstance(
      String type, String zone, boolean spot, Map<String, String> tags, String state) {
    return addInstance(type, zone, spot, tags, state, "10.0.0." + (instances.size() + 10));
  }

  /**
   * Adds a c8i.2xlarge spot instance in us-east-1a with these tags, state and private IP; returns
   * its id.
   */
  public synchronized String addInstanceAt(
      String privateIp, Map<String, String> tags, String state) {
    return addInstance("c8i.2xlarge", "us-east-1a", true, tags, state, privateIp).id;
  }

  private FakeInstance addInstance(
      String type,
      String zone,
      boolean spot,
      Map<String, String> tags,
      String state,
      String privateIp) {
    FakeInstance i =
        new FakeInstance(
            newId(),
            type,
            zone,
            spot,
            new LinkedHashMap<>(tags),
            privateIp,
            Instant.parse("2026-11-23T10:00:00Z"));
    i.state = state;
    i.clientToken = "";
    instances.put(i.id, i);
    return i;
  }

  public synchronized void addPrice(String type, String zone, String price, Instant at) {
    prices.add(new Price(type, zone, price, at));
  }

  public synchronized List<Request> requests(String action) {
    return requests.stream().filter(r -> r.action().equals(action)).toList();
  }

  synchronized FakeInstance instance(String id) {
    return instances.get(id);
  }

  synchronized List<FakeInstance> instances() {
    return List.copyOf(instances.values());
  }

  private String newId() {
    return String.format("i-%017x", nextId++);
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> params = form(body);
      if (ex.getRequestURI().getRawQuery() != null) {
        params.putAll(form(ex.getRequestURI().getRawQuery()));
      }
      Request req = new Request(params.getOrDefault("Action", ""), params);
      Optional<Hold> hold = takeHold(req.action());
      if (hold.isPresent()) {
        hold.get().arrived().countDown();
        try {
          hold.get().release().await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      int status;
      String xml;
      Disruption disruption = null;
      synchronized (this) {
        requests.add(req);
        Fault fault = takeFault(req);
        if (fault != null) {
          status = fault.status();
          xml = error(fault.code(), "injected " + fault.code());
        } else {
          String[] answer = answer(req);
          status = Integer.parseInt(answer[0]);
          xml = answer[1];
          disruption = takeDisruption(req);
        }
      }
      byte[] bytes = xml.getBytes(StandardCharsets.UTF_8);
      if (disruption != null && disruption.delayMillis() > 0) {
        sleep(disruption.delayMillis());
      }
      ex.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
      ex.sendResponseHeaders(status, bytes.length);
      if (disruption != null && disruption.drop()) {
        ex.getResponseBody().write(bytes, 0, bytes.length / 2);
        ex.getResponseBody().flush();
        return; // closing now leaves the client with half a body
      }
      ex.getResponseBody().write(bytes);
    }
  }

  private Disruption takeDisruption(Request req) {
    for (Disruption d : disruptions) {
      if (d.action().equals(req.action()) && d.remaining()[0] > 0) {
        d.remaining()[0]--;
        return d;
      }
    }
    return null;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Fault takeFault(Request req) {
    for (Fault f : faults) {
      if (f.action().equals(req.action()) && f.remaining()[0] > 0 && f.when().test(req)) {
        f.remaining()[0]--;
        return f;
      }
    }
    return null;
  }

  private String[] answer(Request req) {
    return switch (req.action()) {
      case "RunInstances" -> runInstances(req);
      case "DescribeInstances" -> describeInstances(req);
      case "TerminateInstances" -> terminateInstances(req);
      case "DescribeSpotPriceHistory" -> spotPrices(req);
      case "DescribeInstanceTypes" -> instanceTypes(req);
      case "DescribeAvailabilityZones" -> zones();
      default ->
          new String[] {
            "400",
            error(
                "InvalidAction",
                "The action " + req.action() + " is not valid for this web service.")
          };
    };
  }

  private String[] runInstances(Request req) {
    for (String required :
        List.of("ImageId", "InstanceType", "MinCount", "MaxCount", "ClientToken", "UserData")) {
      if (req.get(required) == null) {
        return new String[] {
          "400", error("MissingParameter", "The request must contain the parameter " + required)
        };
      }
    }
    String existing = byClientToken.get(req.get("ClientToken"));
    FakeInstance i = existing != null ? instances.get(existing) : null;
    if (i != null && !i.userData.equals(req.get("UserData"))) {
      // as EC2: a ClientToken sent again must come with the same parameters
      return new String[] {
        "400",
        error(
            "IdempotentParameterMismatch",
            "Arguments on this idempotent request are inconsistent with arguments used in previous"
                + " request(s).")
      };
    }
    if (i == null) {
      Map<String, String> tags = new LinkedHashMap<>();
      for (int s = 1; req.get("TagSpecification." + s + ".ResourceType") != null; s++) {
        if (!"instance".equals(req.get("TagSpecification." + s + ".ResourceType"))) {
          continue;
        }
        for (int t = 1; req.get("TagSpecification." + s + ".Tag." + t + ".Key") != null; t++) {
          tags.put(
              req.get("TagSpecification." + s + ".Tag." + t + ".Key"),
              req.get("TagSpecification." + s + ".Tag." + t + ".Value"));
        }
      }
      boolean spot = "spot".equals(req.get("InstanceMarketOptions.MarketType"));
      String zone = req.params().getOrDefault("Placement.AvailabilityZone", "us-east-1a");
      i =
          new FakeInstance(
              newId(),
              req.get("InstanceType"),
              zone,
              spot,
              tags,
              "10.0.0." + (instances.size() + 10),
              Instant.now());
      i.clientToken = req.get("ClientToken");
      i.userData = req.get("UserData");
      Map<String, String> metadata = new LinkedHashMap<>();
      req.params()
          .forEach(
              (k, v) -> {
                if (k.startsWith("MetadataOptions.")) {
                  metadata.put(k.substring("MetadataOptions.".length()), v);
                }
              });
      i.metadataOptions = Map.copyOf(metadata);
      instances.put(i.id, i);
      byClientToken.put(req.get("ClientToken"), i.id);
    }
    return new String[] {
      "200",
      "<RunInstancesResponse xmlns=\""
          + NS
          + "\"><requestId>"
          + UUID.randomUUID()
          + "</requestId><reservationId>r-0123456789abcdef0</reservationId><ownerId>123456789012</ownerId><groupSet/>"
          + "<instancesSet>"
          + item(i)
          + "</instancesSet></RunInstancesResponse>"
    };
  }

  private String[] describeInstances(Request req) {
    List<String> ids = indexed(req, "InstanceId");
    for (String id : ids) {
      if (!instances.containsKey(id)) {
        return new String[] {
          "400", error("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist")
        };
      }
    }
    StringBuilder items = new StringBuilder();
    for (FakeInstance i : instances.values()) {
      if (!ids.isEmpty() && !ids.contains(i.id)) {
        continue;
      }
      Boolean match = matchesFilters(req, i);
      if (match == null) {
        return new String[] {"400", error("InvalidParameterValue", "The filter is invalid")};
      }
      if (match) {
        items.append(item(i));
      }
    }
    String reservations =
        items.isEmpty()
            ? ""
            : "<item><reservationId>r-0123456789abcdef0</reservationId><ownerId>123456789012</ownerId>"
                + "<groupSet/><instancesSet>"
                + items
                + "</instancesSet></item>";
    return new String[] {
      "200",
      "<DescribeInstancesResponse xmlns=\""
          + NS
          + "\"><requestId>"
          + UUID.randomUUID()
          + "</requestId><reservationSet>"
          + reservations
          + "</reservationSet></DescribeInstancesResponse>"
    };
  }

  /**
   * True/false, or null for a filter name the fake does not know (answered as an error, never
   * ignored).
   */
  private static Boolean matchesFilters(Request req, FakeInstance i) {
    for (int f = 1; req.get("Filter." + f + ".Name") != null; f++) {
      String name = req.get("Filter." + f + ".Name");
      List<String> values = indexed(req, "Filter." + f + ".Value");
      String actual;
      if (name.startsWith("tag:")) {
        actual = i.tags.get(name.substring(4));
      } else if (name.equals("instance-state-name")) {
        actual = i.state;
      } else if (name.equals("client-token")) {
        actual = i.clientToken;
      } else {
        return null;
      }
      if (actual == null || !values.contains(actual)) {
        return false;
      }
    }
    return true;
  }

  private String[] terminateInstances(Request req) {
    StringBuilder items = new StringBuilder();
    for (String id : indexed(req, "InstanceId")) {
      FakeInstance i = instances.get(id);
      if (i == null) {
        return new String[] {
          "400", error("InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist")
        };
      }
      String previous = i.state;
      i.state = "terminated";
      items
          .append("<item><instanceId>")
          .append(id)
          .append(
              "</instanceId><currentState><code>32</code><name>shutting-down</name></currentState>")
          .append("<previousState><code>16</code><name>")
          .append(previous)
          .append("</name></previousState></item>");
    }
    return new String[] {
      "200",
      "<TerminateInstancesResponse xmlns=\""
          + NS
          + "\"><requestId>"
          + UUID.randomUUID()
          + "</requestId><instancesSet>"
          + items
          + "</instancesSet></TerminateInstancesResponse>"
    };
  }

  private String[] spotPrices(Request req) {
    List<String> types = indexed(req, "InstanceType");
    StringBuilder items = new StringBuilder();
    for (Price p : prices) {
      if (types.isEmpty() || types.contains(p.type())) {
        items
            .append("<item><instanceType>")
            .append(p.type())
            .append("</instanceType><productDescription>Linux/UNIX</productDescription>")
            .append("<spotPrice>")
            .append(p.price())
            .append("</spotPrice><timestamp>")
            .append(p.at())
            .append("</timestamp><availabilityZone>")
            .append(p.zone())
            .append("</availabilityZone></item>");
      }
    }
    return new String[] {
      "200",
      "<DescribeSpotPriceHistoryResponse xmlns=\""
          + NS
          + "\"><requestId>"
          + UUID.randomUUID()
          + "</requestId><spotPriceHistorySet>"
          + items
          + "</spotPriceHistorySet><nextToken/></DescribeSpotPriceHistoryResponse>"
    };
  }

  /** Sizes of the instance types the tests use, as DescribeInstanceTypes documents them. */
  static final Map<String, long[]> TYPES =
      Map.of(
          "c8i.2xlarge",
          new long[] {8, 16384, 0},
          "m8i.2xlarge",
          new long[] {8, 32768, 0},
          "c8id.2xlarge",
          new long[] {8, 16384, 474});

  /** Zone name to zone id, as in one account (names map to different ids in other accounts). */
  static final Map<String, String> ZONES =
      Map.of("us-east-1a", "use1-az6", "us-east-1b", "use1-az1", "us-east-1c", "use1-az2");

  private String[] instanceTypes(Request req) {
    StringBuilder items = new StringBuilder();
    for (String type : indexed(req, "InstanceType")) {
      long[] t = TYPES.get(type);
      if (t == null) {
        return new String[] {
          "400",
          error(
              "InvalidInstanceType",
              "The following supplied instance types do not exist: [" + type + "]")
        };
      }
      items
          .append("<item><instanceType>")
          .append(type)
          .append("</instanceType><vCpuInfo><defaultVCpus>")
          .append(t[0])
          .append("</defaultVCpus></vCpuInfo><memoryInfo><sizeInMiB>")
          .append(t[1])
          .append("</sizeInMiB></memoryInfo>")
          .append("<instanceStorageSupported>")
          .append(t[2] > 0)
          .append("</instanceStorageSupported>")
          .append(
              t[2] > 0
                  ? "<instanceStorageInfo><totalSizeInGB>"
                      + t[2]
                      + "</totalSizeInGB></instanceStorageInfo>"
                  : "")
          .append("</item>");
    }
    return new String[] {
      "200",
      "<DescribeInstanceTypesResponse xmlns=\""
          + NS
          + "\"><requestId>"
          + UUID.randomUUID()
          + "</requestId><instanceTypeSet>"
          + items
          + "</instanceTypeSet></DescribeInstanceTypesResponse>"
    };
  }

  private String[] zones() {
    StringBuilder items = new StringBuilder();
    ZONES.forEach(
        (name, id) ->
            items
                .append("<item><zoneName>")
                .append(name)
                .append("</zoneName><zoneId>")
                .append(id)
                .append(
                    "</zoneId><zoneState>available</zoneState><regionName>us-east-1</regionName></item>"));
    return new String[] {
      "200",
      "<DescribeAvailabilityZonesResponse xmlns=\""
          + NS
          + "\"><requestId>"
          + UUID.randomUUID()
          + "</requestId><availabilityZoneInfo>"
          + items
          + "</availabilityZoneInfo></DescribeAvailabilityZonesResponse>"
    };
  }

  private static String item(FakeInstance i) {
    int code =
        switch (i.state) {
          case "pending" -> 0;
          case "running" -> 16;
          case "shutting-down" -> 32;
          case "terminated" -> 48;
          case "stopping" -> 64;
          default -> 80;
        };
    StringBuilder tags = new StringBuilder();
    i.tags.forEach(
        (k, v) ->
            tags.append("<item><key>")
                .append(k)
                .append("</key><value>")
                .append(v)
                .append("</value></item>"));
    return "<item><instanceId>"
        + i.id
        + "</instanceId><imageId>ami-0123456789abcdef0</imageId>"
        + "<instanceState><code>"
        + code
        + "</code><name>"
        + i.state
        + "</name></instanceState>"
        + "<privateIpAddress>"
        + i.privateIp
        + "</privateIpAddress><instanceType>"
        + i.type
        + "</instanceType>"
        + "<clientToken>"
        + i.clientToken
        + "</clientToken>"
        + "<launchTime>"
        + i.launchTime
        + "</launchTime><placement><availabilityZone>"
        + i.zone
        + "</availabilityZone>"
        + "<tenancy>default</tenancy></placement>"
        + (i.spot ? "<instanceLifecycle>spot</instanceLifecycle>" : "")
        + "<tagSet>"
        + tags
        + "</tagSet></item>";
  }

  private static List<String> indexed(Request req, String prefix) {
    List<String> out = new ArrayList<>();
    for (int n = 1; req.get(prefix + "." + n) != null; n++) {
      out.add(req.get(prefix + "." + n));
    }
    return out;
  }

  private static String error(String code, String message) {
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Errors><Error><Code>"
        + code
        + "</Code><Message>"
        + message
        + "</Message></Error></Errors><RequestID>"
        + UUID.randomUUID()
        + "</RequestID></Response>";
  }

  private static Map<String, String> form(String body) {
    Map<String, String> out = new LinkedHashMap<>();
    if (body == null || body.isEmpty()) {
      return out;
    }
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      out.put(k, v);
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
