package io.spotnest.hosts.ec2;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** The tags that mark a resource as ours, and the filters that restrict every describe to them. */
public final class Ec2Tags {
  public static final String CLUSTER = "spotnest:cluster";
  public static final String MANAGED = "spotnest:managed";
  public static final String POOL = "spotnest:pool";
  public static final String MARKET = "spotnest:market";

  /**
   * The caller's launch key: a controller restarted before it heard a launch's answer tells its
   * instance from an orphan by it (the ClientToken is a hash of it).
   */
  public static final String LAUNCH_KEY = "spotnest:launch-key";

  private final String cluster;

  public Ec2Tags(String cluster) {
    this.cluster = cluster;
  }

  /**
   * Tag specifications for an instance launched under {@code launchKey} and its volumes and network
   * interfaces.
   */
  public List<TagSpecification> specifications(String pool, String market, String launchKey) {
    List<Tag> tags =
        List.of(
            tag(CLUSTER, cluster),
            tag(MANAGED, "true"),
            tag(POOL, pool),
            tag(MARKET, market),
            tag(LAUNCH_KEY, launchKey),
            tag("Name", "spotnest-" + cluster + "-host"));
    return List.of(ResourceType.INSTANCE, ResourceType.VOLUME, ResourceType.NETWORK_INTERFACE)
        .stream()
        .map(type -> TagSpecification.builder().resourceType(type).tags(tags).build())
        .toList();
  }

  /** Server-side filters: our cluster, managed by us. */
  public List<Filter> ownershipFilters() {
    return List.of(filter("tag:" + CLUSTER, cluster), filter("tag:" + MANAGED, "true"));
  }

  /**
   * Client-side check of the same ownership, so a filter the server ignored can never leak a
   * foreign instance.
   */
  public boolean isOurs(List<Tag> tags) {
    Map<String, String> byKey =
        tags.stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
    return cluster.equals(byKey.get(CLUSTER)) && "true".equals(byKey.get(MANAGED));
  }

  /** The launch key an instance was tagged with, if any. */
  static Optional<String> launchKey(List<Tag> tags) {
    return tags.stream().filter(t -> LAUNCH_KEY.equals(t.key())).map(Tag::value).findFirst();
  }

  static Filter filter(String name, String... values) {
    return Filter.builder().name(name).values(values).build();
  }

  private static Tag tag(String key, String value) {
    return Tag.builder().key(key).value(value).build();
  }
}
