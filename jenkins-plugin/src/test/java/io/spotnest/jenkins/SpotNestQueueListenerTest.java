package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;

import hudson.model.Label;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which waiting builds wake their label's provisioner at once. */
class SpotNestQueueListenerTest {
  private final List<String> reviewed = new ArrayList<>();
  private final SpotNestCloud cloud =
      new SpotNestCloud("nest", new FakeController(), null, () -> "http://127.0.0.1:8080/");
  private final SpotNestQueueListener listener =
      new SpotNestQueueListener(() -> List.of(cloud), label -> reviewed.add(label.getName()));

  SpotNestQueueListenerTest() {
    cloud.setTemplates(List.of(new SpotNestTemplate("linux big")));
  }

  @Test
  void a_build_for_a_spotnest_label_wakes_its_provisioner() {
    listener.buildable(new TestLabel("linux&&big"));
    assertEquals(List.of("linux&&big"), reviewed);
  }

  @Test
  void builds_for_other_labels_or_none_are_left_to_jenkins() {
    listener.buildable(new TestLabel("windows"));
    listener.buildable((Label) null);
    assertEquals(List.of(), reviewed);
  }

  @Test
  void nothing_is_woken_when_no_delay_provisioning_is_off() {
    cloud.setNoDelayProvisioning(false);
    listener.buildable(new TestLabel("linux"));
    assertEquals(List.of(), reviewed);
  }
}
