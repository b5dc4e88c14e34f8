package io.spotnest.orchestrator.tick;

import java.util.UUID;

/** Makes fresh ids for launch keys, moves and requeued agents. */
@FunctionalInterface
public interface Ids {

  /**
   * A new id starting with {@code prefix}; never repeats (launch keys must be unique per cluster).
   */
  String next(String prefix);

  /** Random ids: prefix plus 16 hex digits (fits an EC2 ClientToken and a libvirt domain name). */
  static Ids random() {
    return prefix -> prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
  }
}
