package io.spotnest.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * Removes what labs left behind (VMs, daemons, namespaces, links, directories), from their ledgers
 * and, as a second net, from the namespace names only labs use. Also reports leftovers ({@code
 * --report}).
 */
public final class LabJanitor {

  private final Shell shell;
  private final Path stateRoot;

  public LabJanitor(Shell shell, Path stateRoot) {
    this.shell = shell;
    this.stateRoot = stateRoot;
  }

  /** Where ledgers and locks live: on tmpfs, like the namespaces they describe. */
  public static Path defaultStateRoot() {
    return Path.of(System.getProperty("spotnest.labState", "/run/spotnest/labs"));
  }

  /**
   * Removes everything recorded in one lab's ledger plus any namespace carrying the lab's index.
   */
  public List<String> clean(LabNames names, LabLedger ledger) {
    List<String> removed = new ArrayList<>();
    Set<String> namespaces = new LinkedHashSet<>();
    List<LabLedger.Entry> entries = ledger.entries();
    for (LabLedger.Entry e : entries) {
      if (e.kind() == LabLedger.Kind.NETNS) {
        namespaces.add(e.value());
      }
    }
    for (String ns : listNamespaces()) {
      Matcher m = LabNames.NAMESPACE.matcher(ns);
      if (m.matches() && Integer.parseInt(m.group(1)) == names.index()) {
        namespaces.add(ns);
      }
    }
    // hosts first (their QEMUs and daemons), the switch last
    List<String> ordered = new ArrayList<>(namespaces);
    ordered.sort(Comparator.comparing((String ns) -> ns.equals(names.switchNamespace())));
    for (String ns : ordered) {
      removeNamespace(ns, removed);
    }
    for (LabLedger.Entry e : entries) {
      switch (e.kind()) {
        case PID -> {
          ProcessRecord p = ProcessRecord.parse(e.value());
          if (p.alive()) {
            shell.exec(List.of("kill", "-9", Long.toString(p.pid())));
            removed.add("process " + p.pid());
          }
        }
        case LINK -> {
          if (shell.exec(List.of("ip", "link", "del", e.value())).ok()) {
            removed.add("link " + e.value());
          }
        }
        case DIR -> {
          if (deleteTree(Path.of(e.value()))) {
            removed.add("directory " + e.value());
          }
        }
        case NETNS -> {}
      }
    }
    ledger.delete();
    return removed;
  }

  /** Cleans every lab whose lock no live process holds. */
  public List<String> cleanAll() {
    List<String> removed = new ArrayList<>();
    Set<Integer> indexes = new LinkedHashSet<>();
    for (String ns : listNamespaces()) {
      Matcher m = LabNames.NAMESPACE.matcher(ns);
      if (m.matches()) {
        indexes.add(Integer.parseInt(m.group(1)));
      }
    }
    if (Files.isDirectory(stateRoot)) {
      try (Stream<Path> s = Files.list(stateRoot)) {
        s.map(p -> p.getFileName().toString())
            .filter(n -> n.matches("\\d+\\.ledger"))
            .forEach(n -> indexes.add(Integer.parseInt(n.substring(0, n.indexOf('.')))));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    for (int k : indexes) {
      if (k < LabNames.MIN_INDEX || k > LabNames.MAX_INDEX) {
        continue;
      }
      removed.addAll(cleanIfUnused(k));
    }
    for (String ns : listNamespaces()) {
      if (FIXTURE_NAMESPACE.matcher(ns).matches()) {
        removeNamespace(ns, removed);
      }
    }
    return removed;
  }

  /** Cleans lab {@code index} unless a live process holds its lock (then says it skipped it). */
  public List<String> cleanIfUnused(int index) {
    try (LabLock lock = LabLock.tryAcquire(stateRoot, index)) {
      if (lock == null) {
        return List.of("lab " + index + " skipped: in use by a running process");
      }
      return clean(new LabNames(index), ledgerFor(index));
    }
  }

  /**
   * Namespaces other SpotNest test fixtures create (the SSH and image smoke labs); cleaned by
   * {@link #cleanAll}.
   */
  static final java.util.regex.Pattern FIXTURE_NAMESPACE =
      java.util.regex.Pattern.compile("sn(ssh|img)[A-Za-z0-9_-]*");

  /** Lists leftovers without touching them. */
  public List<String> leftovers() {
    List<String> found = new ArrayList<>();
    for (String ns : listNamespaces()) {
      if (LabNames.NAMESPACE.matcher(ns).matches() || FIXTURE_NAMESPACE.matcher(ns).matches()) {
        Shell.Result pids = shell.exec(List.of("ip", "netns", "pids", ns));
        long n = pids.stdout().lines().filter(l -> !l.isBlank()).count();
        found.add("namespace " + ns + " with " + n + " processes");
      }
    }
    return found;
  }

  public LabLedger ledgerFor(int index) {
    return new LabLedger(stateRoot.resolve(index + ".ledger"));
  }

  List<String> listNamespaces() {
    Shell.Result r = shell.exec(List.of("ip", "netns", "list"));
    List<String> out = new ArrayList<>();
    for (String line : r.stdout().split("\n")) {
      if (!line.isBlank()) {
        out.add(line.trim().split("\\s+")[0]);
      }
    }
    return out;
  }

  /** Kills every process in the namespace (daemons, QEMUs), then deletes it. */
  private void removeNamespace(String ns, List<String> removed) {
    int killed = killAllIn(ns);
    if (shell.exec(List.of("ip", "netns", "del", ns)).ok()) {
      removed.add("namespace " + ns + (killed > 0 ? " (" + killed + " processes)" : ""));
    }
  }

  /**
   * Kills every process in the namespace (SIGKILL, repeated until none is left); returns how many
   * there were.
   */
  int killAllIn(String ns) {
    int killed = 0;
    for (int attempt = 0; attempt < 100; attempt++) {
      Shell.Result pids = shell.exec(List.of("ip", "netns", "pids", ns));
      List<String> live =
          pids.stdout().lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
      if (!pids.ok() || live.isEmpty()) {
        return killed;
      }
      List<String> cmd = new ArrayList<>(List.of("kill", "-9"));
      cmd.addAll(live);
      shell.exec(cmd);
      killed = Math.max(killed, live.size());
      Pause.millis(100);
    }
    throw new TestbedException("processes in namespace " + ns + " would not die");
  }

  private static boolean deleteTree(Path root) {
    if (!Files.exists(root)) {
      return false;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }

  /** {@code --clean}: remove every leftover; {@code --report}: list them and exit 1 if any. */
  public static void main(String[] args) {
    LabJanitor janitor = new LabJanitor(new Shell(), defaultStateRoot());
    String mode = args.length > 0 ? args[0] : "--report";
    if (mode.equals("--clean")) {
      janitor.cleanAll().forEach(s -> System.out.println("removed " + s));
      return;
    }
    List<String> left = janitor.leftovers();
    left.forEach(s -> System.out.println("leftover: " + s));
    if (!left.isEmpty()) {
      System.exit(1);
    }
  }
}
