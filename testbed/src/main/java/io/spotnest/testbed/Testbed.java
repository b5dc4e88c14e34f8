package io.spotnest.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A running local lab: N libvirt hosts, each in its own network namespace, joined by a bridge in a
 * switch namespace, with the controller reaching the LAN through one veth in the root namespace;
 * or, in the routed topology ({@link TestbedSpec#withRoutedSubnets()}, see {@link RoutedNetwork}),
 * each host in a subnet of its own behind a router namespace, with the agents on a VXLAN overlay.
 * Everything it creates is recorded in a ledger first; {@link #close()} (or the janitor, after a
 * crash) removes all of it.
 */
public final class Testbed implements AutoCloseable {

  private final TestbedSpec spec;
  private final LabNames names;
  private final LabLock lock;
  private final LabLedger ledger;
  private final Shell shell;
  private final LabNamespaces namespaces;
  private final LabJanitor janitor;
  private final List<TestbedHost> hosts = new ArrayList<>();
  private final Thread shutdownHook;
  private final LabLogs logs = LabLogs.fromEnvironment();
  private boolean closed;

  private Testbed(TestbedSpec spec, LabLock lock, Shell shell, Path stateRoot) {
    this.spec = spec;
    this.lock = lock;
    this.names = new LabNames(lock.index());
    this.shell = shell;
    this.janitor = new LabJanitor(shell, stateRoot);
    this.ledger = janitor.ledgerFor(lock.index());
    this.namespaces = new LabNamespaces(shell, names, ledger);
    this.shutdownHook = new Thread(this::close, "testbed-" + lock.index() + "-cleanup");
  }

  /** Builds and starts a lab; on any failure removes what was created and rethrows. */
  public static Testbed start(TestbedSpec spec) {
    Prerequisites.requireAll();
    Shell shell = new Shell();
    Path stateRoot = LabJanitor.defaultStateRoot();
    LabLock lock = null;
    for (int k = LabNames.MIN_INDEX; k <= LabNames.MAX_INDEX && lock == null; k++) {
      lock = LabLock.tryAcquire(stateRoot, k);
    }
    if (lock == null) {
      throw new TestbedException(
          "all " + LabNames.MAX_INDEX + " lab slots are in use; run ./spotnest testbed clean");
    }
    Testbed tb = new Testbed(spec, lock, shell, stateRoot);
    try {
      // a lab killed earlier with this index may have left things behind
      tb.janitor.clean(tb.names, tb.ledger);
      Runtime.getRuntime().addShutdownHook(tb.shutdownHook);
      tb.build();
      return tb;
    } catch (RuntimeException e) {
      tb.close();
      throw e;
    }
  }

  private void build() {
    Path work = spec.workRoot().resolve("lab" + names.index());
    ledger.record(LabLedger.Kind.DIR, work.toString());
    RoutedNetwork routed =
        spec.routed() ? new RoutedNetwork(shell, names, ledger, spec.hosts()) : null;
    if (routed != null) {
      routed.createRouter();
    } else {
      createSwitch();
    }
    HostDaemon daemon = new HostDaemon(shell);
    LabPki pki = new LabPki(names);
    Path controllerPki = pki.writeController(work.resolve("pki/controller"));
    GuestImage image = imageIfPresent();
    for (int i = 1; i <= spec.hosts(); i++) {
      String address = routed != null ? names.routedHostAddress(i) : names.hostAddress(i);
      TestbedHost h =
          new TestbedHost(
              "host" + (char) ('a' + i - 1),
              names.hostNamespace(i),
              address,
              LabPki.controllerUri(address, controllerPki),
              LabPki.peerUri(address),
              work.resolve("host" + i),
              spec.hostMemoryMib());
      if (routed != null) {
        routed.createHost(i);
      } else {
        createHostNetwork(i);
      }
      daemon.writeConfig(h, pki, logs);
      if (image != null) {
        copy(image.workspaceBase(), h.imagesDir().resolve(GuestImage.WORKSPACE_BASE_NAME));
      }
      ledger.record(LabLedger.Kind.PID, daemon.start(h).format());
      hosts.add(h);
    }
    List<CompletableFuture<Void>> warm =
        hosts.stream().map(h -> CompletableFuture.runAsync(() -> daemon.warmUp(h))).toList();
    warm.forEach(CompletableFuture::join);
    if (!spec.link().unshaped()) {
      hosts.forEach(h -> shape(h, spec.link()));
    }
  }

  private void createSwitch() {
    // before any address of the subnet exists: refuse a subnet the machine already routes somewhere
    new NetworkGuard(shell).requireSubnetUnclaimed(null, names.subnet() + ".0/24");
    String sw = names.switchNamespace();
    namespaces.add(sw);
    shell.run("ip", "-n", sw, "link", "add", "br0", "type", "bridge");
    shell.run("ip", "-n", sw, "link", "set", "br0", "up");
    namespaces.linkController(sw);
    shell.run("ip", "-n", sw, "link", "set", names.managementPort(), "master", "br0", "up");
    shell.run(
        "ip", "addr", "add", names.controllerAddress() + "/24", "dev", names.managementDevice());
    shell.run("ip", "link", "set", names.managementDevice(), "up");
    requireLabRoute(names.hostAddress(1));
  }

  private void createHostNetwork(int i) {
    String ns = names.hostNamespace(i);
    namespaces.add(ns);
    shell.run(
        "ip",
        "link",
        "add",
        names.hostUplink(i),
        "netns",
        ns,
        "type",
        "veth",
        "peer",
        "name",
        names.switchPort(i),
        "netns",
        names.switchNamespace());
    shell.run(
        "ip",
        "-n",
        names.switchNamespace(),
        "link",
        "set",
        names.switchPort(i),
        "master",
        "br0",
        "up");
    // The host's address sits on br0, so br0 gets a fixed MAC. A bridge without one takes the
    // lowest MAC of its ports; libvirt gives a guest's tap fe: and the guest's other five bytes,
    // the same on every host the guest visits. With an uplink MAC above that, an incoming guest's
    // tap made the destination's address move to the very MAC the source holds as its own tap's,
    // and the two hosts could no longer reach each other: the peer-to-peer migration connection
    // went silent right after the destination's Prepare and the first move of the lab sent
    // nothing until its deadline (the CI flake; about one lab in 50).
    shell.run(
        "ip", "-n", ns, "link", "add", "br0", "address", names.hostBridgeMac(i), "type", "bridge");
    shell.run("ip", "-n", ns, "link", "set", names.hostUplink(i), "master", "br0", "up");
    shell.run("ip", "-n", ns, "link", "set", "br0", "up");
    shell.run("ip", "-n", ns, "addr", "add", names.hostAddress(i) + "/24", "dev", "br0");
  }

  /** Shapes one host's link in both directions (host egress and switch-to-host egress). */
  public void shape(TestbedHost host, LinkShape shape) {
    int i = hosts.indexOf(host) + 1;
    if (i == 0) {
      throw new IllegalArgumentException("unknown testbed host " + host.name());
    }
    applyShape(names.hostNamespace(i), names.hostUplink(i), shape);
    applyShape(names.switchNamespace(), names.switchPort(i), shape);
  }

  private void applyShape(String ns, String dev, LinkShape shape) {
    if (shape.unshaped()) {
      shell.exec(List.of("ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", dev, "root"));
      return;
    }
    List<String> cmd =
        new ArrayList<>(
            List.of("ip", "netns", "exec", ns, "tc", "qdisc", "replace", "dev", dev, "root"));
    if (shape.delayMs() > 0) {
      cmd.addAll(List.of("netem", "limit", "100000", "delay", shape.delayMs() + "ms"));
      if (shape.rateMbit() > 0) {
        cmd.addAll(List.of("rate", shape.rateMbit() + "mbit"));
      }
    } else {
      // token bucket: the burst must hold a whole GSO super-packet (64 KiB) or tbf drops it
      long burst = Math.max(128 * 1024, shape.bytesPerSecond() / 50);
      cmd.addAll(
          List.of(
              "tbf",
              "rate",
              shape.rateMbit() + "mbit",
              "burst",
              Long.toString(burst),
              "latency",
              "200ms"));
    }
    Shell.Result r = shell.exec(cmd);
    if (!r.ok()) {
      throw new TestbedException(
          "cannot shape link "
              + dev
              + " to "
              + shape
              + ": "
              + r.stderr().strip()
              + (shape.delayMs() > 0
                  ? " (latency needs the kernel's sch_netem; shape the rate alone with delayMs=0)"
                  : ""));
    }
  }

  /**
   * Refuses unless traffic from the root namespace to {@code address} goes through the lab's
   * management link.
   */
  public void requireLabRoute(String address) {
    try {
      new NetworkGuard(shell)
          .requireRoute(null, InetAddress.getByName(address), names.managementDevice());
    } catch (UnknownHostException e) {
      throw new TestbedException("not an address: " + address, e);
    }
  }

  /** Kills a host's libvirtd with SIGKILL (its guests keep running), to test failure handling. */
  public void killDaemon(TestbedHost host) {
    ProcessRecord p = new HostDaemon(shell).pid(host);
    shell.run("kill", "-9", Long.toString(p.pid()));
  }

  /**
   * Starts a host's libvirtd again (after {@link #killDaemon}); returns once it answers over TLS.
   */
  public void restartDaemon(TestbedHost host) {
    ledger.record(LabLedger.Kind.PID, new HostDaemon(shell).start(host).format());
  }

  /**
   * Kills every process of a host with SIGKILL, its libvirtd and its guests' QEMUs, as a spot
   * reclamation would; its namespace, links and files stay (removed with the lab).
   */
  public void killHost(TestbedHost host) {
    janitor.killAllIn(host.namespace());
  }

  /**
   * Cuts a host's link to the lab LAN (the switch's port goes down): nothing reaches it, it reaches
   * nothing.
   */
  public void cutLink(TestbedHost host) {
    shell.run(
        "ip", "-n", names.switchNamespace(), "link", "set", names.switchPort(index(host)), "down");
  }

  /** Restores a link cut by {@link #cutLink}. */
  public void restoreLink(TestbedHost host) {
    shell.run(
        "ip", "-n", names.switchNamespace(), "link", "set", names.switchPort(index(host)), "up");
  }

  /**
   * Breaks the migration streams between two hosts as a network failure would, at once: every
   * established TCP connection between them on QEMU's migration and NBD ports ({@link
   * #MIGRATION_PORTS}) is reset at both ends, and each new one is answered with a TCP reset until
   * {@link #healMigrationStreams}. Their daemons' connections (TLS port) are left alone. Acts only
   * inside the two hosts' namespaces, on the two hosts' addresses. Returns how many connection ends
   * were reset.
   */
  public int breakMigrationStreams(TestbedHost one, TestbedHost other) {
    index(one);
    index(other);
    refuseMigrationStreams(one, other, "-I");
    refuseMigrationStreams(other, one, "-I");
    return resetMigrationStreams(one, other) + resetMigrationStreams(other, one);
  }

  /**
   * Lets migration streams between the two hosts through again (after {@link
   * #breakMigrationStreams}).
   */
  public void healMigrationStreams(TestbedHost one, TestbedHost other) {
    refuseMigrationStreams(one, other, "-D");
    refuseMigrationStreams(other, one, "-D");
  }

  /** QEMU's migration and NBD ports on every lab host (HostDaemon's migration_port_min..max). */
  static final String MIGRATION_PORTS = "49152:49215";

  private void refuseMigrationStreams(TestbedHost self, TestbedHost peer, String op) {
    for (String side : List.of("--dport", "--sport")) {
      shell.runIn(
          self.namespace(),
          "iptables",
          op,
          "OUTPUT",
          "-d",
          peer.address(),
          "-p",
          "tcp",
          side,
          MIGRATION_PORTS,
          "-j",
          "REJECT",
          "--reject-with",
          "tcp-reset");
    }
  }

  /** Resets the host's migration connections to its peer; returns how many there were. */
  private int resetMigrationStreams(TestbedHost self, TestbedHost peer) {
    String[] ports = MIGRATION_PORTS.split(":");
    return (int)
        shell
            .runIn(
                self.namespace(),
                "ss",
                "-tnK",
                "dst",
                peer.address(),
                "and",
                "(",
                "(",
                "sport",
                ">=",
                ":" + ports[0],
                "and",
                "sport",
                "<=",
                ":" + ports[1],
                ")",
                "or",
                "(",
                "dport",
                ">=",
                ":" + ports[0],
                "and",
                "dport",
                "<=",
                ":" + ports[1],
                ")",
                ")")
            .stdout()
            .lines()
            .skip(1) // the header
            .filter(l -> !l.isBlank())
            .count();
  }

  /**
   * Process ids of a host's namespace whose command line contains {@code text} (e.g. a guest's
   * QEMU).
   */
  public List<Long> processesOf(TestbedHost host, String text) {
    List<Long> out = new ArrayList<>();
    for (String pid :
        shell
            .exec(List.of("ip", "netns", "pids", host.namespace()))
            .stdout()
            .lines()
            .map(String::trim)
            .filter(l -> !l.isEmpty())
            .toList()) {
      try {
        String cmd = Files.readString(Path.of("/proc", pid, "cmdline")).replace('\0', ' ');
        if (cmd.contains(text)) {
          out.add(Long.parseLong(pid));
        }
      } catch (IOException | NumberFormatException e) {
        // exited meanwhile
      }
    }
    return out;
  }

  private int index(TestbedHost host) {
    int i = hosts.indexOf(host) + 1;
    if (i == 0) {
      throw new IllegalArgumentException("unknown testbed host " + host.name());
    }
    return i;
  }

  public List<TestbedHost> hosts() {
    return List.copyOf(hosts);
  }

  public TestbedHost host(int oneBased) {
    return hosts.get(oneBased - 1);
  }

  public LabNames names() {
    return names;
  }

  public TestbedSpec spec() {
    return spec;
  }

  public Shell shell() {
    return shell;
  }

  /**
   * Where guest number {@code guest} (1-based) sits: its address with prefix and, in the routed
   * topology, its default gateway (the overlay gateway, through which it reaches the controller).
   */
  public GuestNetwork guestNetwork(int guest) {
    if (spec.routed()) {
      return new GuestNetwork(
          names.overlayGuestCidr(guest), java.util.Optional.of(names.overlayGateway()));
    }
    return new GuestNetwork(names.guestAddress(guest) + "/24", java.util.Optional.empty());
  }

  /** The controller's address on the lab LAN (root namespace). */
  public String controllerAddress() {
    return names.controllerAddress();
  }

  private static GuestImage imageIfPresent() {
    try {
      return GuestImage.locate();
    } catch (TestbedException e) {
      return null;
    }
  }

  private static void copy(Path from, Path to) {
    try {
      Files.createDirectories(to.getParent());
      Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy " + from + " to " + to, e);
    }
  }

  /**
   * Leaves the lab running after this process exits (for {@code ./spotnest testbed up}); its ledger
   * stays, so {@code testbed down} or {@code testbed clean} remove it later.
   */
  public synchronized void detach() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException ignored) {
      // JVM shutting down
    }
    lock.close();
  }

  /** Removes every VM, daemon, namespace, link and directory of this lab. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      logs.keep(spec.workRoot(), names.index(), hosts);
      janitor.clean(names, ledger);
    } finally {
      lock.close();
      if (Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
          // JVM shutting down or hook never registered
        }
      }
    }
  }
}
