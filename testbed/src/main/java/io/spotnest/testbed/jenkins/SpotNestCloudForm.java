package io.spotnest.testbed.jenkins;

import io.spotnest.testbed.LabHostServices;
import io.spotnest.testbed.Testbed;
import io.spotnest.testbed.TestbedHost;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The SpotNest cloud created the way an administrator does it: the two steps of Jenkins' "New
 * cloud" form ({@code manage/cloud/create}, then {@code manage/cloud/doCreate}) with a crumb.
 */
public final class SpotNestCloudForm {
  /** The plugin's cloud class, the form's descriptor name. */
  public static final String CLOUD_CLASS = "io.spotnest.jenkins.SpotNestCloud";

  private SpotNestCloudForm() {}

  /**
   * The fields of a lab cloud with one template of 512 MB, one vCPU and a 4 GB disk for {@code
   * label}, preferring spot, one agent at most, over {@code staticHosts} (each offering {@code
   * hostMemoryMib}) with the images under {@code images} and the market feed file {@code feed}.
   */
  public static Map<String, Object> labCloud(
      String name,
      String label,
      String image,
      String jenkinsUrl,
      CharSequence staticHosts,
      long hostMemoryMib,
      Path images,
      String feed) {
    Map<String, Object> template = new HashMap<>();
    template.put("labels", label);
    template.put("vcpus", "1");
    template.put("memoryMb", "512");
    template.put("diskGb", "4");
    template.put("image", image);
    template.put("marketPolicy", "PREFER_SPOT");
    template.put("standingCopy", false);
    template.put("maxAgents", "1");
    template.put("idleMinutes", "5");
    template.put("remoteFs", "/var/lib/jenkins-agent/work");
    template.put("initScript", "");
    Map<String, Object> cloud = new HashMap<>();
    cloud.put("name", name);
    cloud.put("maxAgents", "1");
    cloud.put("jenkinsUrl", jenkinsUrl);
    cloud.put("staticHosts", staticHosts.toString());
    cloud.put("hostMemoryMb", String.valueOf(hostMemoryMib));
    cloud.put("imagesDir", images.toString());
    cloud.put("bridge", "br0");
    cloud.put("linkMbps", "1000");
    cloud.put("marketFeed", feed);
    cloud.put("templates", List.of(template));
    return cloud;
  }

  /**
   * Submits the cloud's fields ({@code name} among them); returns the answer of the second step
   * (302 when Jenkins took the cloud).
   *
   * @throws IllegalStateException when the first step is refused
   */
  public static HttpResponse<String> create(JenkinsHttp http, Map<String, Object> fields)
      throws IOException, InterruptedException {
    JenkinsHttp.Crumb crumb = http.crumb();
    HttpResponse<String> form = open(http, (String) fields.get("name"), crumb);
    if (form.statusCode() != 200) {
      throw new IllegalStateException("step 1 of New cloud failed with HTTP " + form.statusCode());
    }
    return submit(http, fields, crumb);
  }

  /**
   * The first step: the new cloud's name and type; Jenkins answers with the SpotNest form (200).
   */
  public static HttpResponse<String> open(JenkinsHttp http, String name, JenkinsHttp.Crumb crumb)
      throws IOException, InterruptedException {
    return http.post(
        "manage/cloud/create",
        Map.of(
            "name", name,
            "mode", CLOUD_CLASS,
            "json", JenkinsHttp.json(Map.of("name", name, "mode", CLOUD_CLASS))),
        crumb);
  }

  /**
   * The second step: the filled-in form ({@code fields}) as Jenkins' JSON form submission, with
   * {@code crumb} (null sends none); 302 when Jenkins took the cloud.
   */
  public static HttpResponse<String> submit(
      JenkinsHttp http, Map<String, Object> fields, JenkinsHttp.Crumb crumb)
      throws IOException, InterruptedException {
    Map<String, Object> submitted = new HashMap<>(fields);
    submitted.put("cloudDescriptorName", CLOUD_CLASS);
    return http.post(
        "manage/cloud/doCreate",
        Map.of("cloudDescriptorName", CLOUD_CLASS, "json", JenkinsHttp.json(submitted)),
        crumb);
  }

  /**
   * One line of the cloud's "static hosts" field: {@code name root@address pool=... key=...
   * known_hosts=known_hosts libvirt=unix:<socket> peer=<uri>}.
   */
  public static String staticHost(
      String name, String address, String pool, String key, String libvirtSocket, String peer) {
    return name
        + " root@"
        + address
        + " pool="
        + pool
        + " key="
        + key
        + " known_hosts=known_hosts libvirt=unix:"
        + libvirtSocket
        + " peer="
        + peer;
  }

  /**
   * The static-hosts field for every host of {@code tb}: each gets an sshd of {@code services}
   * (checked to be routed through the lab first), whose host key goes to {@code sshDir}'s
   * known_hosts; host 1 is in {@code spotPool}, the others in {@code onDemandPool}, all reached
   * with the client key {@code key}, their peers over the lab's TLS.
   */
  public static String labStaticHosts(
      Testbed tb,
      LabHostServices services,
      Path sshDir,
      String key,
      String spotPool,
      String onDemandPool)
      throws Exception {
    StringBuilder knownHosts = new StringBuilder();
    StringBuilder staticHosts = new StringBuilder();
    for (TestbedHost h : tb.hosts()) {
      tb.requireLabRoute(h.address());
      knownHosts.append(services.sshd(h.name(), h.namespace(), h.address())).append('\n');
      staticHosts
          .append(
              staticHost(
                  h.name(),
                  h.address(),
                  h == tb.host(1) ? spotPool : onDemandPool,
                  key,
                  h.dir().resolve("run/libvirt-sock").toString(),
                  h.peerUri()))
          .append('\n');
    }
    Files.writeString(sshDir.resolve("known_hosts"), knownHosts);
    return staticHosts.toString();
  }
}
