package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.model.Node;
import hudson.slaves.Cloud.CloudState;
import hudson.slaves.NodeProvisioner.PlannedNode;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.spotnest.jenkins.port.MarketPolicy;
import io.spotnest.jenkins.port.StandingCopyWish;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.strategy.fleet.CopyMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpotNestCloudTest {
  private final FakeController orchestrator = new FakeController();
  private final Map<String, Integer> existing = new HashMap<>();
  private final AgentCensus census =
      new AgentCensus() {
        @Override
        public int agents(String cloudName) {
          return existing.values().stream().mapToInt(Integer::intValue).sum();
        }

        @Override
        public int agents(String cloudName, String templateKey) {
          return existing.getOrDefault(templateKey, 0);
        }
      };

  private SpotNestCloud cloud(SpotNestTemplate... templates) {
    SpotNestCloud cloud =
        new SpotNestCloud("nest", orchestrator, census, () -> "http://127.0.0.1:8080/");
    cloud.setTemplates(List.of(templates));
    return cloud;
  }

  private static SpotNestTemplate template(String labels, int maxAgents) {
    SpotNestTemplate template = new SpotNestTemplate(labels);
    template.setMaxAgents(maxAgents);
    return template;
  }

  private static List<SpotNestAgent> agents(Collection<PlannedNode> planned) throws Exception {
    List<SpotNestAgent> agents = new ArrayList<>();
    for (PlannedNode node : planned) {
      Node made = node.future.get();
      agents.add(assertInstanceOf(SpotNestAgent.class, made));
      assertEquals(1, node.numExecutors);
    }
    return agents;
  }

  @Test
  void provisions_only_for_labels_a_template_carries() {
    SpotNestCloud cloud = cloud(template("linux big", 3));
    assertTrue(cloud.canProvision(new CloudState(new TestLabel("linux"), 0)));
    assertTrue(cloud.canProvision(new CloudState(new TestLabel("linux&&big"), 0)));
    assertTrue(cloud.canProvision(new CloudState(new TestLabel("windows||big"), 0)));
    assertFalse(cloud.canProvision(new CloudState(new TestLabel("windows"), 0)));
    assertFalse(cloud.canProvision(new CloudState(new TestLabel("linux&&windows"), 0)));
  }

  @Test
  void never_provisions_for_builds_without_a_label() {
    SpotNestCloud cloud = cloud(template("linux", 3));
    assertFalse(cloud.canProvision(new CloudState(null, 0)));
    assertTrue(cloud.provision(new CloudState(null, 0), 2).isEmpty());
  }

  @Test
  void provisioned_agents_carry_the_template_labels_and_settings() throws Exception {
    SpotNestTemplate template = template("linux big", 3);
    template.setIdleMinutes(7);
    template.setRemoteFs("/srv/agent");
    List<SpotNestAgent> agents =
        agents(cloud(template).provision(new CloudState(new TestLabel("big"), 0), 2));

    assertEquals(2, agents.size());
    SpotNestAgent agent = agents.get(0);
    assertTrue(agent.getNodeName().startsWith("nest-"));
    assertEquals("linux big", agent.getLabelString());
    assertEquals("/srv/agent", agent.getRemoteFS());
    assertEquals(1, agent.getNumExecutors());
    assertEquals(Node.Mode.EXCLUSIVE, agent.getMode());
    assertEquals("nest", agent.getCloudName());
    assertEquals("http://127.0.0.1:8080/", agent.getControllerUrl());
    assertEquals(
        7,
        assertInstanceOf(SpotNestRetentionStrategy.class, agent.getRetentionStrategy())
            .getIdleMinutes());
    SpotNestLauncher launcher = assertInstanceOf(SpotNestLauncher.class, agent.getLauncher());
    assertTrue(launcher.isWebSocket(), "agents connect inbound over WebSocket");
    assertFalse(
        agents.get(0).getNodeName().equals(agents.get(1).getNodeName()), "agent names are unique");
  }

  @Test
  void the_template_cap_limits_provisioning() throws Exception {
    SpotNestTemplate template = template("linux", 3);
    existing.put(template.key(), 2);
    assertEquals(
        1, agents(cloud(template).provision(new CloudState(new TestLabel("linux"), 0), 5)).size());
    existing.put(template.key(), 3);
    assertTrue(cloud(template).provision(new CloudState(new TestLabel("linux"), 0), 5).isEmpty());
  }

  @Test
  void the_cloud_cap_limits_provisioning_across_templates() throws Exception {
    SpotNestTemplate small = template("linux small", 10);
    SpotNestTemplate large = template("linux large", 10);
    SpotNestCloud cloud = cloud(small, large);
    cloud.setMaxAgents(4);
    existing.put(small.key(), 1);
    List<SpotNestAgent> agents =
        agents(cloud.provision(new CloudState(new TestLabel("linux"), 0), 10));
    assertEquals(3, agents.size(), "4 allowed, 1 running");
  }

  @Test
  void a_second_template_takes_what_the_first_cannot() throws Exception {
    SpotNestTemplate first = template("linux a", 1);
    SpotNestTemplate second = template("linux b", 5);
    List<SpotNestAgent> agents =
        agents(cloud(first, second).provision(new CloudState(new TestLabel("linux"), 0), 3));
    assertEquals(
        List.of("linux a", "linux b", "linux b"),
        agents.stream().map(SpotNestAgent::getLabelString).toList());
  }

  @Test
  void the_launch_request_carries_the_template() throws Exception {
    SpotNestTemplate template = template("linux", 1);
    template.setVcpus(4);
    template.setMemoryMb(8192);
    template.setDiskGb(40);
    template.setImage("spotnest-agent-jdk21");
    template.setMarketPolicy(MarketPolicy.SPOT_ONLY);
    template.setStandingCopyWish(StandingCopyWish.ALWAYS);
    template.setInitScript("apt-get install -y make");
    SpotNestAgent agent =
        agents(cloud(template).provision(new CloudState(new TestLabel("linux"), 0), 1)).get(0);
    var request = agent.launchRequest(new io.spotnest.jenkins.port.AgentSecret("s3cr3t"));
    assertEquals(Set.of("linux"), request.labels());
    assertEquals(new io.spotnest.jenkins.port.AgentSize(4, 8192, 40), request.size());
    assertEquals("spotnest-agent-jdk21", request.image());
    assertEquals(MarketPolicy.SPOT_ONLY, request.marketPolicy());
    assertEquals(StandingCopyWish.ALWAYS, request.standingCopy());
    assertEquals("apt-get install -y make", request.initScript());
    assertEquals("nest", request.cloudName());
    assertFalse(request.toString().contains("s3cr3t"), "the request never prints the secret");
  }

  @Test
  void terminating_an_agent_ends_its_vm() throws Exception {
    SpotNestAgent agent =
        agents(cloud(template("linux", 1)).provision(new CloudState(new TestLabel("linux"), 0), 1))
            .get(0);
    agent._terminate(Listeners.capture());
    assertEquals(List.of(agent.getNodeName()), orchestrator.terminated);
  }

  @Test
  void bad_cloud_settings_are_refused_with_the_field_name() {
    assertEquals(
        "name: required, e.g. spotnest",
        assertThrows(IllegalArgumentException.class, () -> new SpotNestCloud(" ")).getMessage());
    SpotNestCloud cloud = cloud();
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> cloud.setMaxAgents(0))
            .getMessage()
            .startsWith("maxAgents:"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> cloud.setJenkinsUrl("ftp://x"))
            .getMessage()
            .startsWith("jenkinsUrl:"));
  }

  @Test
  void the_standing_copies_mode_is_the_clouds_to_choose_and_defaults_to_at_risk() throws Exception {
    SpotNestCloud cloud = cloud();
    assertEquals(CopyMode.AT_RISK, cloud.getStandingCopies(), "a new cloud");
    assertEquals(CopyMode.AT_RISK, cloud.fleetSettings().copyMode());
    cloud.setStandingCopies(CopyMode.HAZARD);
    assertEquals(CopyMode.HAZARD, cloud.getStandingCopies());
    assertEquals(CopyMode.HAZARD, cloud.fleetSettings().copyMode());
    assertEquals(
        "standingCopies: required, one of OFF, HAZARD, ALWAYS, AFFORDABLE, AT_RISK",
        assertThrows(IllegalArgumentException.class, () -> cloud.setStandingCopies(null))
            .getMessage());
    // XStream fills a saved config.xml's fields without a setter: a cloud saved before the field
    // existed has none, and keeps the mode it ran with then (AT_RISK)
    java.lang.reflect.Field saved = SpotNestCloud.class.getDeclaredField("standingCopies");
    saved.setAccessible(true);
    saved.set(cloud, null);
    assertEquals(CopyMode.AT_RISK, cloud.getStandingCopies(), "a cloud saved before the field");
    assertEquals(CopyMode.AT_RISK, cloud.fleetSettings().copyMode());
  }

  @Test
  void the_standby_memory_is_the_clouds_to_choose_and_defaults_to_ram() {
    SpotNestCloud cloud = cloud();
    assertEquals(StandbyMemory.RAM, cloud.getStandbyMemory(), "a new cloud");
    assertEquals(StandbyMemory.RAM, cloud.fleetSettings().standbyMemory());
    cloud.setStandbyMemory(StandbyMemory.FILE);
    assertEquals(StandbyMemory.FILE, cloud.getStandbyMemory());
    assertEquals(StandbyMemory.FILE, cloud.fleetSettings().standbyMemory());
    assertEquals(
        "standbyMemory: required, RAM or FILE",
        assertThrows(IllegalArgumentException.class, () -> cloud.setStandbyMemory(null))
            .getMessage());
  }

  @Test
  void a_cloud_saved_before_the_standby_memory_field_runs_in_ram() throws Exception {
    SpotNestCloud cloud = cloud();
    cloud.setStandbyMemory(StandbyMemory.FILE);
    // XStream fills a saved config.xml's fields without a setter: a cloud saved before the field
    // existed has none, and keeps what it ran with then (standbys in RAM, VMs in anonymous RAM)
    java.lang.reflect.Field saved = SpotNestCloud.class.getDeclaredField("standbyMemory");
    saved.setAccessible(true);
    assertEquals(StandbyMemory.FILE, saved.get(cloud), "the field XStream saves");
    saved.set(cloud, null);
    assertEquals(StandbyMemory.RAM, cloud.getStandbyMemory());
    assertEquals(StandbyMemory.RAM, cloud.fleetSettings().standbyMemory());
  }

  @Test
  void the_standby_memory_drop_down_names_ram_and_file_and_a_bad_value_is_one_line() {
    SpotNestCloud.DescriptorImpl form = new SpotNestCloud.DescriptorImpl();
    ListBoxModel items = form.doFillStandbyMemoryItems("FILE");
    assertEquals(List.of("RAM", "FILE"), items.stream().map(o -> o.value).toList());
    assertEquals(
        List.of("FILE"), items.stream().filter(o -> o.selected).map(o -> o.value).toList());
    assertTrue(
        items.stream().allMatch(o -> !o.name.isBlank() && !o.name.equals(o.value)),
        "each choice has a readable name");
    assertEquals(FormValidation.Kind.OK, form.doCheckStandbyMemory("RAM").kind);
    FormValidation file = form.doCheckStandbyMemory("FILE");
    assertEquals(FormValidation.Kind.OK, file.kind);
    assertTrue(file.getMessage().contains("memory_backing_dir"), file.getMessage());
    FormValidation bad = form.doCheckStandbyMemory("DISK");
    assertEquals(FormValidation.Kind.ERROR, bad.kind);
    assertEquals("standbyMemory: choose RAM or FILE", bad.getMessage());
    assertEquals(FormValidation.Kind.ERROR, form.doCheckStandbyMemory(null).kind);
  }

  @Test
  void the_standby_store_is_zero_by_default_and_a_bad_value_is_refused_in_one_line_naming_it() {
    SpotNestCloud.DescriptorImpl form = new SpotNestCloud.DescriptorImpl();
    SpotNestCloud cloud = new SpotNestCloud("ci");
    assertEquals(0, cloud.getStandbyStoreGb(), "no store known: every standby in RAM");
    assertEquals(0, cloud.fleetSettings().standbyStoreMiB());
    cloud.setStandbyStoreGb(100);
    assertEquals(0, cloud.fleetSettings().standbyStoreMiB(), "RAM standbys need no store");
    cloud.setStandbyMemory(io.spotnest.migration.StandbyMemory.FILE);
    assertEquals(100 * 1024, cloud.fleetSettings().standbyStoreMiB());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> cloud.setStandbyStoreGb(-1));
    assertEquals("standbyStoreGb: must be between 0 and 1048576, was -1", e.getMessage());
    assertEquals(FormValidation.Kind.OK, form.doCheckStandbyStoreGb("64").kind);
    FormValidation none = form.doCheckStandbyStoreGb("0");
    assertEquals(FormValidation.Kind.OK, none.kind);
    assertTrue(none.getMessage().contains("RAM"), none.getMessage());
    FormValidation bad = form.doCheckStandbyStoreGb("lots");
    assertEquals(FormValidation.Kind.ERROR, bad.kind);
    assertEquals("standbyStoreGb: 'lots' is not a whole number", bad.getMessage());
    assertFalse(bad.getMessage().contains("\n"));
  }

  @Test
  void the_standing_copies_drop_down_names_every_mode_and_marks_the_chosen_one() {
    SpotNestCloud.DescriptorImpl form = new SpotNestCloud.DescriptorImpl();
    ListBoxModel items = form.doFillStandingCopiesItems("HAZARD");
    assertEquals(
        List.of("OFF", "HAZARD", "ALWAYS", "AFFORDABLE", "AT_RISK"),
        items.stream().map(o -> o.value).toList());
    assertEquals(
        List.of("HAZARD"), items.stream().filter(o -> o.selected).map(o -> o.value).toList());
    assertTrue(
        items.stream().allMatch(o -> !o.name.isBlank() && !o.name.equals(o.value)),
        "each mode has a readable name");
    assertEquals(FormValidation.Kind.OK, form.doCheckStandingCopies("ALWAYS").kind);
    FormValidation bad = form.doCheckStandingCopies("SOMETIMES");
    assertEquals(FormValidation.Kind.ERROR, bad.kind);
    assertEquals(
        "standingCopies: choose OFF, HAZARD, ALWAYS, AFFORDABLE or AT_RISK", bad.getMessage());
    assertEquals(FormValidation.Kind.WARNING, form.doCheckStandingCopies("OFF").kind);
  }

  @Test
  void the_cloud_form_checks_every_field() {
    SpotNestCloud.DescriptorImpl form = new SpotNestCloud.DescriptorImpl();
    assertEquals(FormValidation.Kind.OK, form.doCheckName("spot-nest_1").kind);
    assertEquals(FormValidation.Kind.ERROR, form.doCheckName("").kind);
    assertEquals(FormValidation.Kind.ERROR, form.doCheckName("a b").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckMaxAgents("20").kind);
    FormValidation notANumber = form.doCheckMaxAgents("many");
    assertEquals(FormValidation.Kind.ERROR, notANumber.kind);
    assertEquals("maxAgents: 'many' is not a whole number", notANumber.getMessage());
    assertEquals(
        "maxAgents: must be between 1 and 10000, was 0", form.doCheckMaxAgents("0").getMessage());
    assertEquals(FormValidation.Kind.OK, form.doCheckJenkinsUrl("").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckJenkinsUrl("http://127.0.0.1:8080/").kind);
    assertEquals(FormValidation.Kind.ERROR, form.doCheckJenkinsUrl("127.0.0.1:8080").kind);
  }
}
