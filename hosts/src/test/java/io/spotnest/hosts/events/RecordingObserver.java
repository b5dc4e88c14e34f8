package io.spotnest.hosts.events;

import io.spotnest.hosts.HostEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** An intake observer that records what was dropped and what failed. */
public final class RecordingObserver implements IntakeObserver {
  public final List<String> dropped = Collections.synchronizedList(new ArrayList<>());
  public final List<RuntimeException> propagated = Collections.synchronizedList(new ArrayList<>());

  @Override
  public void dropped(String source, String reason) {
    dropped.add(reason);
  }

  @Override
  public void propagated(HostEvent event, RuntimeException failure) {
    propagated.add(failure);
  }
}
