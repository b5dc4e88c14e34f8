package io.spotnest.hosts.ec2;

import io.spotnest.hosts.Host;
import io.spotnest.hosts.HostState;
import io.spotnest.hosts.Market;
import io.spotnest.hosts.Pool;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceLifecycleType;

/** Maps EC2 instances to hosts. */
final class Ec2Instances {
    private final LibvirtAccess libvirt;

    Ec2Instances(LibvirtAccess libvirt) {
        this.libvirt = libvirt;
    }

    Host toHost(Instance i) {
        Pool pool = new Pool(i.instanceTypeAsString(), i.placement().availabilityZone());
        Market market = i.instanceLifecycle() == InstanceLifecycleType.SPOT ? Market.SPOT : Market.ON_DEMAND;
        // A VPC instance has its private address from RunInstances on; the controller reaches libvirtd there.
        String address = i.privateIpAddress() != null ? i.privateIpAddress() : "unassigned.invalid";
        return new Host(i.instanceId(), pool, market, state(i.state().nameAsString()), libvirt.uriFor(address), i.launchTime());
    }

    static HostState state(String ec2State) {
        return switch (ec2State) {
            case "pending" -> HostState.PENDING;
            case "running" -> HostState.RUNNING;
            case "stopping" -> HostState.STOPPING;
            case "stopped" -> HostState.STOPPED;
            case "shutting-down" -> HostState.TERMINATING;
            case "terminated" -> HostState.TERMINATED;
            default -> throw new IllegalArgumentException("unknown EC2 instance state '" + ec2State + "'");
        };
    }
}
