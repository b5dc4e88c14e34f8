package io.spotnest.testbed;

import java.util.regex.Pattern;

/**
 * Names and addresses of one lab (index {@code k}): every namespace, link and address a lab creates is derived
 * here, so that the janitor can recognise leftovers by name alone.
 */
public record LabNames(int index) {

  /** Lab indexes use the subnets 10.231.1.0/24 .. 10.231.60.0/24. */
  public static final int MIN_INDEX = 1;
  public static final int MAX_INDEX = 60;
  /** Every namespace a lab creates matches this. */
  public static final Pattern NAMESPACE = Pattern.compile("sn[lh](\\d+)(x\\d+)?");

  public LabNames {
    if (index < MIN_INDEX || index > MAX_INDEX) {
      throw new IllegalArgumentException("lab index must be " + MIN_INDEX + ".." + MAX_INDEX + ", was " + index);
    }
  }

  public String subnet() {
    return "10.231." + index;
  }

  /** The namespace holding the bridge that joins every host (the "LAN"). */
  public String switchNamespace() {
    return "snl" + index;
  }

  /** The veth end in the root namespace through which the controller reaches the lab. */
  public String managementDevice() {
    return "snm" + index;
  }

  public String managementPort() {
    return "snp" + index;
  }

  /** The controller's address (root namespace, on {@link #managementDevice()}). */
  public String controllerAddress() {
    return subnet() + ".254";
  }

  public String hostNamespace(int host) {
    return "snh" + index + "x" + host;
  }

  public String hostUplink(int host) {
    return "snu" + index + "x" + host;
  }

  public String switchPort(int host) {
    return "sns" + index + "x" + host;
  }

  public String hostAddress(int host) {
    return subnet() + "." + (10 + host);
  }

  /** Address for guest number {@code guest} (1-based). */
  public String guestAddress(int guest) {
    if (guest < 1 || guest > 99) {
      throw new IllegalArgumentException("guest number must be 1..99, was " + guest);
    }
    return subnet() + "." + (100 + guest);
  }
}
