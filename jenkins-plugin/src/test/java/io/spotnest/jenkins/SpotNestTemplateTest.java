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
import io.spotnest.jenkins.port.StandingCopyWish;
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
    assertEquals(StandingCopyWish.FLEET, template.getStandingCopyWish(), "left to the fleet");
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
        FormValidation.Kind.WARNING, form.doCheckStandingCopyWish("ALWAYS", "ON_DEMAND_ONLY").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckStandingCopyWish("ALWAYS", "SPOT_ONLY").kind);
    assertEquals(
        FormValidation.Kind.OK, form.doCheckStandingCopyWish("FLEET", "ON_DEMAND_ONLY").kind);
    FormValidation bad = form.doCheckStandingCopyWish("SOMETIMES", "SPOT_ONLY");
    assertEquals(FormValidation.Kind.ERROR, bad.kind);
    assertTrue(bad.getMessage().startsWith("standingCopyWish: choose ALWAYS, FLEET or NEVER"));
  }

  @Test
  void the_standing_copy_is_a_choice_of_three_and_the_old_yes_no_setter_still_binds() {
    ListBoxModel items = form.doFillStandingCopyWishItems("NEVER");
    assertEquals(
        List.of("Always keep a standing copy", "Let the fleet decide", "Never"),
        items.stream().map(o -> o.name).toList());
    assertEquals(List.of("ALWAYS", "FLEET", "NEVER"), items.stream().map(o -> o.value).toList());
    assertEquals(
        List.of(false, false, true), items.stream().map(o -> o.selected).toList(), "the saved one");

    SpotNestTemplate template = new SpotNestTemplate("linux");
    template.setStandingCopy(true); // a configuration (CasC, a job DSL) from the yes/no box
    assertEquals(StandingCopyWish.ALWAYS, template.getStandingCopyWish());
    template.setStandingCopy(false);
    assertEquals(StandingCopyWish.NEVER, template.getStandingCopyWish(), "no was never copied");
    template.setStandingCopyWish(StandingCopyWish.FLEET);
    assertEquals(StandingCopyWish.FLEET, template.getStandingCopyWish());
    assertEquals(
        "standingCopyWish: required, one of ALWAYS, FLEET, NEVER",
        refused(() -> template.setStandingCopyWish(null)));
  }

  @Test
  void a_template_saved_with_the_yes_no_box_reads_back_as_always_or_never() throws Exception {
    // XStream fills the fields of a saved config.xml without running a constructor or setter:
    // a saved <standingCopy> fills the old field, the new one stays null until readResolve
    for (Boolean saved : new Boolean[] {true, false, null}) {
      SpotNestTemplate template = new SpotNestTemplate("linux");
      field("standingCopyWish").set(template, null);
      field("standingCopy").set(template, saved);
      Object resolved = template.readResolve();
      assertSame(template, resolved);
      assertEquals(
          Boolean.TRUE.equals(saved) ? StandingCopyWish.ALWAYS : StandingCopyWish.NEVER,
          template.getStandingCopyWish(),
          "saved " + saved);
    }
    SpotNestTemplate current = new SpotNestTemplate("linux");
    current.setStandingCopyWish(StandingCopyWish.FLEET);
    current.readResolve();
    assertEquals(StandingCopyWish.FLEET, current.getStandingCopyWish(), "a new one is kept");
    assertTrue(
        java.lang.reflect.Modifier.isTransient(field("standingCopy").getModifiers()),
        "the old field is read, never written");
  }

  private static java.lang.reflect.Field field(String name) throws NoSuchFieldException {
    java.lang.reflect.Field f = SpotNestTemplate.class.getDeclaredField(name);
    f.setAccessible(true);
    return f;
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
