package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.security.Permission;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.spotnest.jenkins.port.MarketPolicy;
import java.util.ArrayList;
import java.util.List;
import jenkins.model.Jenkins;
import org.junit.jupiter.api.Test;

class SpotNestTemplateTest {
  private final FakeController orchestrator = new FakeController();
  private final List<Permission> checked = new ArrayList<>();
  private final SpotNestTemplate.DescriptorImpl form =
      new SpotNestTemplate.DescriptorImpl(() -> orchestrator, checked::add);

  private static String refused(Runnable setter) {
    return assertThrows(IllegalArgumentException.class, setter::run).getMessage();
  }

  @Test
  void defaults_make_a_usable_template() {
    SpotNestTemplate template = new SpotNestTemplate(" linux  spotnest ");
    assertEquals("linux  spotnest", template.getLabels());
    assertEquals(List.of("linux", "spotnest"), List.copyOf(template.labelSet()));
    assertEquals("linux spotnest", template.key());
    assertEquals(MarketPolicy.PREFER_SPOT, template.getMarketPolicy());
    assertFalse(template.isStandingCopy());
    assertEquals("/home/jenkins/agent", template.getRemoteFs());
  }

  @Test
  void setters_refuse_bad_values_naming_the_field() {
    SpotNestTemplate template = new SpotNestTemplate("linux");
    assertTrue(refused(() -> new SpotNestTemplate("")).startsWith("labels: required"));
    assertTrue(
        refused(() -> new SpotNestTemplate("linux&&big"))
            .startsWith("labels: 'linux&&big' is not a plain label"));
    assertEquals("vcpus: must be between 1 and 64, was 0", refused(() -> template.setVcpus(0)));
    assertEquals(
        "memoryMb: must be between 512 and 262144, was 256",
        refused(() -> template.setMemoryMb(256)));
    assertEquals(
        "diskGb: must be between 4 and 2048, was 3000", refused(() -> template.setDiskGb(3000)));
    assertEquals(
        "maxAgents: must be between 1 and 1000, was 0", refused(() -> template.setMaxAgents(0)));
    assertEquals(
        "idleMinutes: must be between 0 and 10080, was -1",
        refused(() -> template.setIdleMinutes(-1)));
    assertTrue(
        refused(() -> template.setRemoteFs("agent"))
            .startsWith("remoteFs: must be an absolute path"));
    assertTrue(refused(() -> template.setRemoteFs("/a/../etc")).startsWith("remoteFs:"));
    assertTrue(refused(() -> template.setImage("bad image")).startsWith("image:"));
    assertTrue(refused(() -> template.setMarketPolicy(null)).startsWith("marketPolicy:"));
    assertTrue(
        refused(() -> template.setInitScript("x".repeat(FieldRules.MAX_INIT_SCRIPT_CHARS + 1)))
            .startsWith("initScript:"));
    assertEquals(2, template.getVcpus(), "a refused value leaves the old one");
  }

  @Test
  void form_checks_numbers_with_clear_messages() {
    assertEquals(FormValidation.Kind.OK, form.doCheckVcpus("4").kind);
    assertEquals("vcpus: 'four' is not a whole number", form.doCheckVcpus("four").getMessage());
    assertEquals(
        "vcpus: required, a whole number between 1 and 64", form.doCheckVcpus("").getMessage());
    assertEquals(FormValidation.Kind.ERROR, form.doCheckMemoryMb("100").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckDiskGb("20").kind);
    assertEquals(FormValidation.Kind.ERROR, form.doCheckMaxAgents("0").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckIdleMinutes("15").kind);
    FormValidation zero = form.doCheckIdleMinutes("0");
    assertEquals(FormValidation.Kind.OK, zero.kind);
    assertTrue(zero.getMessage().contains("as soon as its build is done"));
    assertEquals(FormValidation.Kind.ERROR, form.doCheckIdleMinutes("-3").kind);
  }

  @Test
  void form_checks_text_fields() {
    assertEquals(FormValidation.Kind.OK, form.doCheckLabels("linux spotnest").kind);
    assertEquals(FormValidation.Kind.ERROR, form.doCheckLabels("linux || big").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckRemoteFs("/home/jenkins/agent").kind);
    assertEquals(FormValidation.Kind.ERROR, form.doCheckRemoteFs("").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckInitScript("").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckMarketPolicy("SPOT_ONLY").kind);
    assertEquals(FormValidation.Kind.ERROR, form.doCheckMarketPolicy("CHEAP").kind);
    assertEquals(
        FormValidation.Kind.WARNING, form.doCheckStandingCopy(true, "ON_DEMAND_ONLY").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckStandingCopy(true, "SPOT_ONLY").kind);
  }

  @Test
  void the_image_check_asks_the_orchestrator_as_an_administrator() {
    assertEquals(FormValidation.Kind.OK, form.doCheckImage("spotnest-agent").kind);
    FormValidation missing = form.doCheckImage("other-image");
    assertEquals(FormValidation.Kind.WARNING, missing.kind);
    assertTrue(
        missing.getMessage().startsWith("image: the orchestrator has no image 'other-image'"));
    assertEquals(FormValidation.Kind.ERROR, form.doCheckImage("").kind);
    assertEquals(List.of(Jenkins.ADMINISTER, Jenkins.ADMINISTER, Jenkins.ADMINISTER), checked);
  }

  @Test
  void the_image_list_comes_from_the_orchestrator_and_keeps_the_selection() {
    ListBoxModel items = form.doFillImageItems("spotnest-agent-jdk21");
    assertEquals(
        List.of("spotnest-agent", "spotnest-agent-jdk21"),
        items.stream().map(o -> o.value).toList());
    assertTrue(items.get(1).selected);
    assertSame(Jenkins.ADMINISTER, checked.get(0));
  }

  @Test
  void when_the_fleet_cannot_start_the_image_field_says_why_and_keeps_its_value() {
    SpotNestTemplate.DescriptorImpl broken =
        new SpotNestTemplate.DescriptorImpl(
            () -> {
              throw new io.spotnest.jenkins.orchestrator.FleetConfigException(
                  "staticHosts: no hosts listed");
            },
            checked::add);
    FormValidation check = broken.doCheckImage("spotnest-agent");
    assertEquals(FormValidation.Kind.WARNING, check.kind);
    assertEquals(
        "image: cannot ask the orchestrator (staticHosts: no hosts listed)", check.getMessage());
    ListBoxModel items = broken.doFillImageItems("spotnest-agent");
    assertEquals(List.of("spotnest-agent"), items.stream().map(o -> o.value).toList());
    assertTrue(items.get(0).selected);
  }

  @Test
  void a_non_administrator_gets_no_image_list() {
    SpotNestTemplate.DescriptorImpl guarded =
        new SpotNestTemplate.DescriptorImpl(
            () -> orchestrator,
            p -> {
              throw new SecurityException("denied");
            });
    orchestrator.images.clear();
    orchestrator.images.add("secret-image");
    assertThrows(SecurityException.class, () -> guarded.doFillImageItems(""));
    assertThrows(SecurityException.class, () -> guarded.doCheckImage("secret-image"));
  }

  @Test
  void the_market_policy_list_offers_every_policy() {
    ListBoxModel items = form.doFillMarketPolicyItems("ON_DEMAND_ONLY");
    assertEquals(
        List.of("SPOT_ONLY", "PREFER_SPOT", "ON_DEMAND_ONLY"),
        items.stream().map(o -> o.value).toList());
    assertEquals("Spot only", items.get(0).name);
    assertTrue(items.get(2).selected);
    assertFalse(items.get(0).selected);
  }
}
