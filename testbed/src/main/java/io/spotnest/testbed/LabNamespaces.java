package io.spotnest.testbed;

/**
 * The lab's network namespaces and the controller's link into the first of them (the switch's or
 * the router's), each recorded in the lab's ledger before it is created, so that the janitor
 * removes it even when the controller dies half-way.
 */
record LabNamespaces(Shell shell, LabNames names, LabLedger ledger) {

  /** Adds namespace {@code ns}, its loopback up. */
  void add(String ns) {
    ledger.record(LabLedger.Kind.NETNS, ns);
    shell.run("ip", "netns", "add", ns);
    shell.run("ip", "-n", ns, "link", "set", "lo", "up");
  }

  /**
   * The controller's veth pair: {@link LabNames#managementDevice()} in the root namespace, its peer
   * {@link LabNames#managementPort()} in {@code ns} (neither up nor addressed yet).
   */
  void linkController(String ns) {
    ledger.record(LabLedger.Kind.LINK, names.managementDevice());
    shell.run(
        "ip",
        "link",
        "add",
        names.managementDevice(),
        "type",
        "veth",
        "peer",
        "name",
        names.managementPort(),
        "netns",
        ns);
  }
}
