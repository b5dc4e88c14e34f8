package io.spotnest.strategy.sim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Issue 12 item 2, by construction: from what the simulator hands a strategy (its context and the
 * hosts, agents and pools reachable from it through non-private members) no type that holds the
 * future is reachable: not the market with its drops, not the trace, not the pool record that
 * carries the trace, no host field with the reclamation time before the notice, not a build with
 * its true length ({@link Build}) nor the run's true lengths; and nothing reachable shows a pool's
 * signals for a time the strategy names (it could name a future one). The length estimate a
 * strategy reads, other than hindsight ({@code exact}), holds no true length in any field.
 */
class StrategyViewTest {
  private static final Set<String> FUTURE =
      Set.of(
          "io.spotnest.strategy.sim.Market",
          "io.spotnest.strategy.sim.Market$Drop",
          "io.spotnest.strategy.data.CapacityTrace",
          "io.spotnest.strategy.sim.PoolMarket",
          "io.spotnest.strategy.sim.Simulator",
          "io.spotnest.strategy.sim.Build",
          "io.spotnest.strategy.sim.TrueLengths",
          "io.spotnest.strategy.sim.Workload");

  @Test
  void nothingAStrategyIsGivenLeadsToTheFuture() throws Exception {
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(Class.forName("io.spotnest.strategy.sim.SimContext"));
    for (Method m : Class.forName("io.spotnest.strategy.sim.Strategy").getDeclaredMethods()) {
      for (Type p : m.getGenericParameterTypes()) {
        addTypes(p, todo);
      }
    }
    Set<Class<?>> seen = new HashSet<>();
    List<String> leaks = new ArrayList<>();
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (!seen.add(c) || !c.getName().startsWith("io.spotnest.strategy")) {
        continue;
      }
      if (FUTURE.contains(c.getName())) {
        leaks.add(c.getName());
        continue;
      }
      for (Field f : c.getDeclaredFields()) {
        if (Modifier.isPrivate(f.getModifiers())) {
          continue;
        }
        if (f.getName().equals("reclaimAt") || f.getName().equals("noticeAt")) {
          leaks.add(c.getSimpleName() + "." + f.getName());
        }
        addTypes(f.getGenericType(), todo);
      }
      for (Method m : c.getDeclaredMethods()) {
        if (Modifier.isPrivate(m.getModifiers())) {
          continue;
        }
        if (m.getReturnType().getName().equals("io.spotnest.strategy.signal.PoolSnapshot")
            && m.getParameterCount() > 0) {
          leaks.add(c.getSimpleName() + "." + m.getName() + " (signals at a time it is given)");
        }
        addTypes(m.getGenericReturnType(), todo);
        for (Type p : m.getGenericParameterTypes()) {
          addTypes(p, todo);
        }
      }
    }
    assertTrue(leaks.isEmpty(), "reachable by a strategy: " + leaks);
  }

  /** Keeps the length estimate it is shown, and asks for spot so that builds run and finish. */
  private static final class EstimateKeeper implements Strategy {
    final List<BuildLengthEstimate> seen = new ArrayList<>();

    @Override
    public String name() {
      return "estimate keeper";
    }

    @Override
    public SpotPool choosePool(BuildRequest build, SimContext ctx) {
      seen.add(ctx.fleet().lengths);
      return ctx.pools().get(0);
    }
  }

  @Test
  void anEstimateOtherThanHindsightHoldsNoTrueLength() throws Exception {
    int[] counts = new int[12 * 60];
    java.util.Arrays.fill(counts, 1);
    Simulator sim =
        new Simulator(SimConfig.DEFAULTS, List.of(HandPool.of("hand", "us-east-1b", counts)));
    Workload w =
        new Workload(
            "three",
            List.of(new Build(0, 0, 30, 16), new Build(1, 10, 50, 16), new Build(2, 100, 40, 16)));
    for (BuildLengthEstimate.Mode mode :
        List.of(BuildLengthEstimate.Mode.HISTORY, BuildLengthEstimate.Mode.CONDITIONAL)) {
      EstimateKeeper strategy = new EstimateKeeper();
      SimResult r = sim.withBuildEstimate(mode).run(strategy, w);
      assertTrue(r.completed() == 3, "the builds ran: " + r.completed());
      List<String> found = new ArrayList<>();
      Set<Object> visited = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      for (BuildLengthEstimate e : strategy.seen) {
        walk(e, visited, found);
      }
      assertTrue(found.isEmpty(), mode + ": the estimate a strategy reads holds " + found);
    }
  }

  /**
   * Every object reachable from {@code o} through any field (private ones too) of our classes and
   * through the contents of JDK collections and maps; what holds true lengths goes to {@code
   * found}.
   */
  private static void walk(Object o, Set<Object> visited, List<String> found) throws Exception {
    if (o == null || !visited.add(o)) {
      return;
    }
    if (o instanceof Build || o instanceof TrueLengths || o instanceof Workload) {
      found.add(o.getClass().getSimpleName());
      return;
    }
    if (o instanceof java.util.Map<?, ?> m) {
      for (var e : m.entrySet()) {
        walk(e.getKey(), visited, found);
        walk(e.getValue(), visited, found);
      }
    } else if (o instanceof Iterable<?> i) {
      for (Object x : i) {
        walk(x, visited, found);
      }
    } else if (o.getClass().isArray() && !o.getClass().getComponentType().isPrimitive()) {
      for (Object x : (Object[]) o) {
        walk(x, visited, found);
      }
    } else if (o.getClass().getName().startsWith("io.spotnest.")) {
      for (Class<?> c = o.getClass();
          c != null && c.getName().startsWith("io.spotnest.");
          c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
            f.setAccessible(true);
            walk(f.get(o), visited, found);
          }
        }
      }
    }
  }

  private static void addTypes(Type t, Deque<Class<?>> todo) {
    if (t instanceof Class<?> c) {
      todo.add(c.isArray() ? c.getComponentType() : c);
    } else if (t instanceof ParameterizedType p) {
      addTypes(p.getRawType(), todo);
      for (Type a : p.getActualTypeArguments()) {
        addTypes(a, todo);
      }
    }
  }
}
