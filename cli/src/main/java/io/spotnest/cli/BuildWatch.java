package io.spotnest.cli;

import io.spotnest.testbed.AgentChannelListener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the stand-in builds report over the agent channel (nested-agent-image/README.md): a build is
 * unbroken when it said HELLO once, on one connection, and its STEP numbers rose by exactly one
 * each time under one boot id.
 */
final class BuildWatch {
  private static final Pattern HELLO = Pattern.compile("^HELLO vm=(\\S+) boot_id=(\\S+)");
  private static final Pattern STEP = Pattern.compile("^STEP (\\d+) boot_id=(\\S+)");

  /** One build as seen so far. */
  record Build(
      String vm,
      int hellos,
      Set<String> bootIds,
      Set<Integer> connections,
      long lastStep,
      int gaps,
      long steps) {
    boolean started() {
      return hellos > 0;
    }

    /** One connection, one boot, no step skipped or repeated. */
    boolean unbroken() {
      return hellos == 1 && bootIds.size() == 1 && connections.size() == 1 && gaps == 0;
    }

    /** Restarted: its VM booted again (a lost build started over). */
    boolean restarted() {
      return bootIds.size() > 1;
    }
  }

  private final AgentChannelListener channel;

  BuildWatch(AgentChannelListener channel) {
    this.channel = channel;
  }

  Build of(String vm) {
    List<AgentChannelListener.Line> lines = channel.lines();
    Set<Integer> connections = new LinkedHashSet<>();
    Set<String> boots = new LinkedHashSet<>();
    int hellos = 0;
    for (AgentChannelListener.Line l : lines) {
      Matcher h = HELLO.matcher(l.text());
      if (h.find() && h.group(1).equals(vm)) {
        hellos++;
        connections.add(l.connection());
        boots.add(h.group(2));
      }
    }
    long last = -1;
    int gaps = 0;
    long steps = 0;
    for (AgentChannelListener.Line l : lines) {
      if (!connections.contains(l.connection())) {
        continue;
      }
      Matcher m = STEP.matcher(l.text());
      if (m.find()) {
        long n = Long.parseLong(m.group(1));
        boots.add(m.group(2));
        if (last >= 0 && n != last + 1) {
          gaps++;
        }
        last = n;
        steps++;
      }
    }
    return new Build(vm, hellos, boots, connections, last, gaps, steps);
  }

  List<Build> all(List<String> vms) {
    List<Build> out = new ArrayList<>();
    vms.forEach(v -> out.add(of(v)));
    return out;
  }
}
