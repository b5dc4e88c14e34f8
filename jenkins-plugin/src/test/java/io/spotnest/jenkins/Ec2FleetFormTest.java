package io.spotnest.jenkins;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import hudson.util.FormValidation;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jenkinsci.Symbol;
import org.junit.jupiter.api.Test;

/**
 * The EC2 part of the cloud form ({@link Ec2Fleet}): its configuration-as-code names, and a bad
 * value of each field is one line naming it, in the form check and in the setter alike.
 */
class Ec2FleetFormTest {
  static final Set<String> EC2_ATTRIBUTES =
      Set.of(
          "region",
          "ami",
          "pools",
          "subnets",
          "securityGroups",
          "instanceProfile",
          "maxHosts",
          "maxSpotHosts",
          "onDemandPrices",
          "queueUrl",
          "relayUrl",
          "relayBind",
          "identityCertificate",
          "ec2Endpoint",
          "sqsEndpoint",
          "overlayGateways");

  @Test
  void the_ec2_fleet_binds_these_attribute_names_under_the_symbol_ec2() {
    assertEquals(
        new TreeSet<>(EC2_ATTRIBUTES), ConfigurationSurfaceTest.attributes(Ec2Fleet.class));
    assertArrayEquals(
        new String[] {"ec2"}, Ec2Fleet.DescriptorImpl.class.getAnnotation(Symbol.class).value());
    assertTrue(ConfigurationSurfaceTest.attributes(SpotNestCloud.class).contains("ec2"));
  }

  @Test
  void every_ec2_attribute_has_a_getter_help_file_form_entry_and_check() throws Exception {
    ConfigurationSurfaceTest.check(
        Ec2Fleet.class, Ec2Fleet.DescriptorImpl.class, EC2_ATTRIBUTES, Set.of());
  }

  private static Ec2Fleet fleet() {
    return new Ec2Fleet("eu-west-1", "ami-0123456789abcdef0", "c8i.2xlarge@eu-west-1a");
  }

  @Test
  void a_bad_value_is_one_line_naming_the_field_in_the_form_and_in_the_setter() {
    Ec2Fleet.DescriptorImpl form = new Ec2Fleet.DescriptorImpl();
    Map<String, Map.Entry<FormValidation, Consumer<Ec2Fleet>>> bad =
        Map.ofEntries(
            Map.entry(
                "region",
                Map.entry(
                    form.doCheckRegion("Europe"),
                    f ->
                        new Ec2Fleet("Europe", "ami-0123456789abcdef0", "c8i.2xlarge@eu-west-1a"))),
            Map.entry(
                "ami",
                Map.entry(
                    form.doCheckAmi("debian"),
                    f -> new Ec2Fleet("eu-west-1", "debian", "c8i.2xlarge@eu-west-1a"))),
            Map.entry(
                "pools",
                Map.entry(
                    form.doCheckPools("c8i.2xlarge"),
                    f -> new Ec2Fleet("eu-west-1", "ami-0123456789abcdef0", "c8i.2xlarge"))),
            Map.entry(
                "subnets",
                Map.entry(
                    form.doCheckSubnets("eu-west-1a=net-1"),
                    f -> f.setSubnets("eu-west-1a=net-1"))),
            Map.entry(
                "securityGroups",
                Map.entry(
                    form.doCheckSecurityGroups("default"), f -> f.setSecurityGroups("default"))),
            Map.entry(
                "instanceProfile",
                Map.entry(form.doCheckInstanceProfile("a b"), f -> f.setInstanceProfile("a b"))),
            Map.entry("maxHosts", Map.entry(form.doCheckMaxHosts("0"), f -> f.setMaxHosts(0))),
            Map.entry(
                "maxSpotHosts",
                Map.entry(form.doCheckMaxSpotHosts("-1"), f -> f.setMaxSpotHosts(-1))),
            Map.entry(
                "onDemandPrices",
                Map.entry(
                    form.doCheckOnDemandPrices("c8i.2xlarge=cheap"),
                    f -> f.setOnDemandPrices("c8i.2xlarge=cheap"))),
            Map.entry(
                "queueUrl",
                Map.entry(form.doCheckQueueUrl("sqs:queue"), f -> f.setQueueUrl("sqs:queue"))),
            Map.entry(
                "relayUrl",
                Map.entry(
                    form.doCheckRelayUrl("10.0.0.5:8443"), f -> f.setRelayUrl("10.0.0.5:8443"))),
            Map.entry(
                "relayBind",
                Map.entry(form.doCheckRelayBind("10.0.0.5"), f -> f.setRelayBind("10.0.0.5"))),
            Map.entry(
                "identityCertificate",
                Map.entry(
                    form.doCheckIdentityCertificate("../aws.pem"),
                    f -> f.setIdentityCertificate("../aws.pem"))),
            Map.entry(
                "ec2Endpoint",
                Map.entry(
                    form.doCheckEc2Endpoint("ec2 endpoint"),
                    f -> f.setEc2Endpoint("ec2 endpoint"))),
            Map.entry(
                "sqsEndpoint",
                Map.entry(
                    form.doCheckSqsEndpoint("ftp://sqs"), f -> f.setSqsEndpoint("ftp://sqs"))),
            Map.entry(
                "overlayGateways",
                Map.entry(
                    form.doCheckOverlayGateways("10.0.9.1, gateway.example"),
                    f -> f.setOverlayGateways("10.0.9.1, gateway.example"))));
    assertEquals(EC2_ATTRIBUTES, bad.keySet());
    bad.forEach(
        (field, checkAndSet) -> {
          FormValidation check = checkAndSet.getKey();
          assertEquals(FormValidation.Kind.ERROR, check.kind, field);
          assertTrue(check.getMessage().startsWith(field + ": "), check.getMessage());
          assertFalse(check.getMessage().contains("\n"), check.getMessage());
          IllegalArgumentException set =
              assertThrows(
                  IllegalArgumentException.class, () -> checkAndSet.getValue().accept(fleet()));
          assertEquals(check.getMessage(), set.getMessage(), field);
        });
  }

  @Test
  void good_values_pass_and_optional_fields_may_stay_empty() {
    Ec2Fleet.DescriptorImpl form = new Ec2Fleet.DescriptorImpl();
    assertEquals(FormValidation.Kind.OK, form.doCheckRegion("us-east-1").kind);
    assertEquals(
        FormValidation.Kind.OK,
        form.doCheckPools("c8i.2xlarge@us-east-1a, m8i.2xlarge@us-east-1b\nc8i.2xlarge@us-east-1b")
            .kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckSubnets("us-east-1a=subnet-0aaa1111").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckOnDemandPrices("c8i.2xlarge=0.4032").kind);
    assertEquals(FormValidation.Kind.OK, form.doCheckRelayBind("10.0.0.5:8443").kind);
    assertEquals(
        FormValidation.Kind.OK, form.doCheckOverlayGateways("10.0.9.1, 10.0.9.2\n10.1.9.1").kind);
    for (String empty :
        new String[] {
          form.doCheckSubnets("").kind.name(),
          form.doCheckSecurityGroups("").kind.name(),
          form.doCheckInstanceProfile("").kind.name(),
          form.doCheckQueueUrl("").kind.name(),
          form.doCheckRelayBind("").kind.name(),
          form.doCheckIdentityCertificate("").kind.name(),
          form.doCheckEc2Endpoint("").kind.name(),
          form.doCheckSqsEndpoint("").kind.name(),
          form.doCheckOverlayGateways("").kind.name()
        }) {
      assertEquals("OK", empty);
    }
    assertEquals(FormValidation.Kind.ERROR, form.doCheckRelayUrl("").kind);

    Ec2Fleet fleet =
        new Ec2Fleet(
            " eu-west-1",
            "ami-0123456789abcdef0",
            " c8i.2xlarge@eu-west-1a ,m8i.2xlarge@eu-west-1b ");
    fleet.setMaxHosts(20);
    fleet.setMaxSpotHosts(16);
    fleet.setRelayUrl("http://10.0.0.5:8443");
    fleet.setOverlayGateways(" 10.0.9.1 ");
    SpotNestCloud cloud = new SpotNestCloud("ci");
    assertEquals(Optional.empty(), cloud.fleetSettings().ec2());
    cloud.setEc2(fleet);
    Ec2FleetSettings settings = cloud.fleetSettings().ec2().orElseThrow();
    assertEquals("c8i.2xlarge@eu-west-1a ,m8i.2xlarge@eu-west-1b", settings.pools());
    assertEquals(20, settings.maxHosts());
    assertEquals(16, settings.maxSpotHosts());
    assertEquals("http://10.0.0.5:8443", settings.relayUrl());
    assertEquals("10.0.9.1", settings.overlayGateways());
  }

  @Test
  void an_overlay_gateway_is_an_ipv4_address_as_the_hosts_vxlan_underlay_takes() {
    Ec2Fleet.DescriptorImpl form = new Ec2Fleet.DescriptorImpl();
    for (String bad : new String[] {"fd00::1", "10.0.9", "10.0.9.256", "10.0.9.1;reboot"}) {
      FormValidation check = form.doCheckOverlayGateways("10.0.9.1 " + bad);
      assertEquals(FormValidation.Kind.ERROR, check.kind, bad);
      assertEquals(
          "overlayGateways: '"
              + bad
              + "' is not an IPv4 address such as 10.0.9.1, the gateway's VXLAN underlay address",
          check.getMessage());
    }
  }
}
