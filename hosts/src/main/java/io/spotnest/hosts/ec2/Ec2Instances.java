package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;

/** Maps EC2 instances to hosts, with their size, zone id and price from the {@link Ec2Catalog}. */
final class Ec2Instances {
  private final LibvirtAccess libvirt;
  private final Ec2Catalog catalog;

  Ec2Instances(LibvirtAccess libvirt, Ec2Catalog catalog) {
    this.libvirt = libvirt;
    this.catalog = catalog;
  }

  /** Hosts for these instances, looking up what the catalog lacks in one call per kind. */
  List<Host> toHosts(Collection<Instance> instances) {
    catalog.prefetch(
        instances.stream().map(Ec2Instances::pool).toList(),
        instances.stream().filter(i -> market(i) == Market.SPOT).map(Ec2Instances::pool).toList());
    return instances.stream().map(this::toHost).toList();
  }

  Host toHost(Instance i) {
    Pool pool = pool(i);
    Market market = market(i);
    // A VPC instance has its private address from RunInstances on; the controller and the other
    // hosts reach
    // libvirtd there.
    String address = i.privateIpAddress() != null ? i.privateIpAddress() : "unassigned.invalid";
    URI uri = libvirt.uriFor(address);
    return new Host(
        i.instanceId(),
        pool,
        market,
        state(i.state().nameAsString()),
        uri,
        uri,
        Optional.ofNullable(i.privateIpAddress()),
        catalog.capacity(pool.instanceType()),
        catalog.zoneId(pool.zone(), i.placement().availabilityZoneId()),
        catalog.price(pool, market),
        i.launchTime(),
        Ec2Tags.launchKey(i.tags()));
  }

  static Pool pool(Instance i) {
    return new Pool(i.instanceTypeAsString(), i.placement().availabilityZone());
  }

  static Market market(Instance i) {
    return i.instanceLifecycle() == InstanceLifecycleType.SPOT ? Market.SPOT : Market.ON_DEMAND;
  }

  static HostState state(String ec2State) {
    return switch (ec2State) {
      case "pending" -> HostState.PENDING;
      case "running" -> HostState.RUNNING;
      case "stopping" -> HostState.STOPPING;
      case "stopped" -> HostState.STOPPED;
      case "shutting-down" -> HostState.TERMINATING;
      case "terminated" -> HostState.TERMINATED;
      default ->
          throw new IllegalArgumentException("unknown EC2 instance state '" + ec2State + "'");
    };
  }
}
