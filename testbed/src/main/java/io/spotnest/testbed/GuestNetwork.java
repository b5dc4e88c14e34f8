package io.spotnest.testbed;

import java.util.Optional;

/**
 * A lab guest's network settings.
 *
 * @param cidr its address with prefix, e.g. {@code 10.231.4.101/27}
 * @param gateway its default gateway, when it needs one to reach the controller
 */
public record GuestNetwork(String cidr, Optional<String> gateway) {

  /** The address without prefix. */
  public String address() {
    return cidr.substring(0, cidr.indexOf('/'));
  }
}
