package io.spotnest.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The domain XML libvirt gets for an agent VM, parsed back. */
class DomainXmlTest {

  static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  static String at(Document d, String xpath) throws Exception {
    return (String) XPathFactory.newInstance().newXPath().evaluate(xpath, d, XPathConstants.STRING);
  }

  @Test
  void the_config_disk_is_a_read_only_shareable_raw_vdb() throws Exception {
    Document d =
        parse(
            DomainXml.domain(
                ConfigDiskMigrationTest.spec(),
                "/var/lib/libvirt/images/vm.qcow2",
                "/var/lib/libvirt/images/vm-config.img",
                "/var/log/vm-serial.log"));

    String vdb = "/domain/devices/disk[target/@dev='vdb']";
    assertEquals("/var/lib/libvirt/images/vm-config.img", at(d, vdb + "/source/@file"));
    assertEquals("raw", at(d, vdb + "/driver/@type"));
    assertEquals("virtio", at(d, vdb + "/target/@bus"));
    assertEquals("1", at(d, "count(" + vdb + "/readonly)"));
    assertEquals("1", at(d, "count(" + vdb + "/shareable)"));
    assertEquals("", at(d, "/domain/devices/disk[target/@dev='vda']/readonly"));
    assertEquals("2", at(d, "count(/domain/devices/disk)"));
  }

  @Test
  void without_a_config_disk_the_vm_has_only_its_overlay() throws Exception {
    Document d =
        parse(
            DomainXml.domain(
                ConfigDiskMigrationTest.spec(), "/images/vm.qcow2", "/var/log/vm-serial.log"));
    assertEquals("1", at(d, "count(/domain/devices/disk)"));
  }

  @Test
  void the_config_volume_is_raw_with_mode_0600() throws Exception {
    Document v = parse(DomainXml.rawVolume("vm-config.img", 1 << 20));
    assertEquals("vm-config.img", at(v, "/volume/name"));
    assertEquals("1048576", at(v, "/volume/capacity"));
    assertEquals("raw", at(v, "/volume/target/format/@type"));
    assertEquals("0600", at(v, "/volume/target/permissions/mode"));
  }

  @Test
  void a_config_path_that_would_break_the_xml_is_refused() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            DomainXml.domain(
                ConfigDiskMigrationTest.spec(), null, "/x'/><disk", "/var/log/vm-serial.log"));
  }

  @Test
  void a_vm_with_more_vcpus_renders_them_and_keeps_everything_else() throws Exception {
    AgentVmSpec one = ConfigDiskMigrationTest.spec();
    AgentVmSpec two = one.withVcpus(2);
    assertEquals(2, two.vcpus());
    assertEquals(
        new AgentVmSpec(
            one.name(),
            one.memoryMib(),
            2,
            one.kernel(),
            one.initramfs(),
            one.cmdline(),
            one.baseImage(),
            one.workspaceMib(),
            one.mac(),
            one.bridge(),
            one.mtu(),
            one.fileMemory()),
        two);
    Document d = parse(DomainXml.domain(two, "/images/vm.qcow2", "/var/log/vm-serial.log"));
    assertEquals("2", at(d, "/domain/vcpu"));
    assertThrows(IllegalArgumentException.class, () -> one.withVcpus(0));
  }

  @Test
  void file_memory_is_added_after_memory_and_changes_nothing_else() throws Exception {
    String plain =
        DomainXml.domain(
            ConfigDiskMigrationTest.spec(), "/images/vm.qcow2", "/var/log/vm-serial.log");
    Document d = parse(DomainXml.withFileMemory(plain));
    assertEquals("file", at(d, "/domain/memoryBacking/source/@type"));
    assertEquals("shared", at(d, "/domain/memoryBacking/access/@mode"));
    assertEquals("memory", at(d, "name(/domain/memoryBacking/preceding-sibling::*[1])"));
    org.w3c.dom.Node backing = d.getElementsByTagName("memoryBacking").item(0);
    backing.getParentNode().removeChild(backing);
    org.junit.jupiter.api.Assertions.assertTrue(parse(plain).isEqualNode(d));
  }

  @Test
  void an_existing_memory_backing_keeps_its_other_children_and_gets_one_source_and_access()
      throws Exception {
    String xml =
        "<domain type='qemu'><name>vm</name><memory unit='KiB'>262144</memory>"
            + "<memoryBacking><nosharepages/><source type='memfd'/><access mode='private'/>"
            + "</memoryBacking><vcpu>1</vcpu></domain>";
    Document d = parse(DomainXml.withFileMemory(xml));
    assertEquals("1", at(d, "count(/domain/memoryBacking/nosharepages)"));
    assertEquals("1", at(d, "count(/domain/memoryBacking/source)"));
    assertEquals("file", at(d, "/domain/memoryBacking/source/@type"));
    assertEquals("1", at(d, "count(/domain/memoryBacking/access)"));
    assertEquals("shared", at(d, "/domain/memoryBacking/access/@mode"));
    assertEquals("1", at(d, "count(/domain/memoryBacking)"));
    assertEquals("1", at(d, "/domain/vcpu"));
  }

  @Test
  void what_is_not_a_domain_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> DomainXml.withFileMemory("<volume/>"));
    assertThrows(IllegalArgumentException.class, () -> DomainXml.withFileMemory("<domain>"));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            DomainXml.withFileMemory(
                "<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><domain>&x;</domain>"));
  }

  @Test
  void a_vm_with_file_memory_is_defined_with_a_private_file_source_and_others_with_none()
      throws Exception {
    AgentVmSpec spec = ConfigDiskMigrationTest.spec();
    String plain = DomainXml.domain(spec, "/images/vm.qcow2", "/var/log/vm-serial.log");
    String file =
        DomainXml.domain(spec.withFileMemory(), "/images/vm.qcow2", "/var/log/vm-serial.log");
    assertEquals("", DomainXml.memorySource(plain));
    assertEquals("0", at(parse(plain), "count(/domain/memoryBacking)"));
    assertEquals("file", DomainXml.memorySource(file));
    assertEquals("", at(parse(file), "/domain/memoryBacking/access/@mode"), "private: the default");
    assertEquals("file", DomainXml.memorySource(DomainXml.withFileMemory(plain)));
    org.junit.jupiter.api.Assertions.assertTrue(spec.withFileMemory().withVcpus(2).fileMemory());
  }
}
