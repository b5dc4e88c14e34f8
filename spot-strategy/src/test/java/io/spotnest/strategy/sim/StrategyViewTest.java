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
 * carries the trace, and no host field with the reclamation time before the notice.
 */
class StrategyViewTest {
  private static final Set<String> FUTURE =
      Set.of(
          "io.spotnest.strategy.sim.Market",
          "io.spotnest.strategy.sim.Market$Drop",
          "io.spotnest.strategy.data.CapacityTrace",
          "io.spotnest.strategy.sim.PoolMarket",
          "io.spotnest.strategy.sim.Simulator");

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
        addTypes(m.getGenericReturnType(), todo);
        for (Type p : m.getGenericParameterTypes()) {
          addTypes(p, todo);
        }
      }
    }
    assertTrue(leaks.isEmpty(), "reachable by a strategy: " + leaks);
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
