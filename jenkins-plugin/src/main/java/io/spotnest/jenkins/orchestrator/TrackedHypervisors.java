package io.spotnest.jenkins.orchestrator;

import io.spotnest.migration.Hypervisor;
import io.spotnest.migration.HypervisorEndpoint;
import io.spotnest.migration.HypervisorFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The fleet's libvirt connections: each one the engine and the VM adapter open is known until it is
 * closed, and {@link #close()} closes those still open (a move or a boot in flight when the fleet
 * is replaced or Jenkins stops). Once closed, no new connection is opened.
 */
final class TrackedHypervisors implements HypervisorFactory, AutoCloseable {
  private final HypervisorFactory factory;
  private final Set<Hypervisor> open = new LinkedHashSet<>();
  private boolean closed;

  TrackedHypervisors(HypervisorFactory factory) {
    this.factory = factory;
  }

  @Override
  public Hypervisor connect(HypervisorEndpoint endpoint) {
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException(
            "SpotNest: this fleet was closed (host " + endpoint.name() + ")");
      }
    }
    Hypervisor hv = factory.connect(endpoint);
    Hypervisor tracked =
        (Hypervisor)
            Proxy.newProxyInstance(
                Hypervisor.class.getClassLoader(),
                new Class<?>[] {Hypervisor.class},
                (proxy, method, args) -> call(hv, (Hypervisor) proxy, method, args));
    boolean late;
    synchronized (this) {
      late = closed;
      if (!late) {
        open.add(tracked);
      }
    }
    if (late) {
      hv.close();
      throw new IllegalStateException(
          "SpotNest: this fleet was closed (host " + endpoint.name() + ")");
    }
    return tracked;
  }

  private Object call(Hypervisor hv, Hypervisor proxy, Method method, Object[] args)
      throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "tracked " + hv;
      };
    }
    if (method.getName().equals("close") && method.getParameterCount() == 0) {
      synchronized (this) {
        if (!open.remove(proxy)) {
          return null; // closed already
        }
      }
    }
    try {
      return method.invoke(hv, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /** How many connections are open now. */
  synchronized int openCount() {
    return open.size();
  }

  @Override
  public void close() {
    List<Hypervisor> left;
    synchronized (this) {
      closed = true;
      left = new ArrayList<>(open);
    }
    left.forEach(Hypervisor::close);
  }
}
