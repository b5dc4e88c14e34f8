package io.spotnest.hosts.ec2;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostRequest;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** Credentials and the relay token never appear in logs, in toString, or on the wire. */
class Ec2CredentialsTest {

  @Test
  void secretsNeverLoggedPrintedOrSent() throws Exception {
    List<String> logged = java.util.Collections.synchronizedList(new ArrayList<>());
    Handler capture =
        new Handler() {
          private final SimpleFormatter format = new SimpleFormatter();

          @Override
          public void publish(LogRecord r) {
            logged.add(format.format(r));
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    Level before = root.getLevel();
    root.setLevel(Level.ALL);
    root.addHandler(capture);
    Logger.getLogger("io.spotnest").setLevel(Level.ALL);
    try (Ec2Fixture fx = new Ec2Fixture(List.of("retry.attemptsPerPool = 3"))) {
      fx.fake.fail("RunInstances", "RequestLimitExceeded", 1);
      fx.fake.fail(
          "RunInstances",
          "InvalidParameterValue",
          1,
          r -> r.get("InstanceType").equals("m8i.2xlarge"));
      Host host =
          fx.provider.launch(new HostRequest(new Pool("c8i.2xlarge", "us-east-1a"), Market.SPOT));
      fx.provider.list();
      fx.provider.terminate(host.id());
      try {
        fx.provider.launch(new HostRequest(new Pool("m8i.2xlarge", "us-east-1b"), Market.SPOT));
      } catch (RuntimeException expected) {
        logged.add(String.valueOf(expected));
      }

      List<String> printed = new ArrayList<>(logged);
      printed.add(fx.provider.toString());
      printed.add(fx.settings.toString());
      printed.add(fx.credentials.toString());
      printed.add(new RelayToken(Ec2Fixture.RELAY_SECRET).toString());
      printed.add(
          new HostUserData(
                  fx.settings,
                  new RelayToken(Ec2Fixture.RELAY_SECRET),
                  Optional.empty(),
                  Optional.of(Ec2Fixture.CLUSTER_CA))
              .toString());
      assertTrue(
          logged.stream().anyMatch(l -> l.contains("launched")), "logging was captured: " + logged);
      for (String line : printed) {
        assertFalse(line.contains(Ec2Fixture.SECRET_KEY), "secret key printed: " + line);
        assertFalse(line.contains(Ec2Fixture.RELAY_SECRET), "relay token printed: " + line);
      }
      for (Ec2QueryFake.Request r : fx.fake.requests("RunInstances")) {
        assertFalse(
            r.params().toString().contains(Ec2Fixture.SECRET_KEY), "secret key sent in a request");
      }
    } finally {
      root.removeHandler(capture);
      root.setLevel(before);
    }
  }
}
