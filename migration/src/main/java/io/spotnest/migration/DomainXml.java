package io.spotnest.migration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * Renders libvirt domain and volume XML for agent VMs, and edits a domain's XML (parsed and written
 * back with the JDK's DOM parser and serializer).
 */
final class DomainXml {

  private DomainXml() {}

  /**
   * {@code domainXml} with its memory backed by a shared file: {@code <memoryBacking>} gets {@code
   * <source type='file'/>} and {@code <access mode='shared'/>} (libvirt then puts the guest's RAM
   * in a file under the host's {@code memory_backing_dir}). The rest of the document is unchanged:
   * the element is added after {@code <memory>} (or {@code <currentMemory>}) when the domain has
   * none, and an existing one keeps its other children.
   *
   * @throws IllegalArgumentException when {@code domainXml} is not a domain
   */
  static String withFileMemory(String domainXml) {
    Document doc = parse(domainXml);
    Element domain = doc.getDocumentElement();
    if (!"domain".equals(domain.getTagName())) {
      throw new IllegalArgumentException("not a domain: <" + domain.getTagName() + ">");
    }
    Element backing = child(domain, "memoryBacking");
    if (backing == null) {
      backing = doc.createElement("memoryBacking");
      Element after = child(domain, "currentMemory");
      after = after != null ? after : child(domain, "memory");
      domain.insertBefore(backing, after == null ? domain.getFirstChild() : after.getNextSibling());
    }
    replace(backing, "source", "type", "file");
    replace(backing, "access", "mode", "shared");
    return write(doc);
  }

  /**
   * The type of the domain's memory source ({@code <memoryBacking><source type=.../>}), empty when
   * it has none (anonymous memory).
   *
   * @throws IllegalArgumentException when {@code domainXml} cannot be parsed
   */
  static String memorySource(String domainXml) {
    Element backing = child(parse(domainXml).getDocumentElement(), "memoryBacking");
    Element source = backing == null ? null : child(backing, "source");
    return source == null ? "" : source.getAttribute("type");
  }

  private static void replace(Element parent, String tag, String attribute, String value) {
    Element old = child(parent, tag);
    Element e = parent.getOwnerDocument().createElement(tag);
    e.setAttribute(attribute, value);
    if (old == null) {
      parent.appendChild(e);
    } else {
      parent.replaceChild(e, old);
    }
  }

  private static Element child(Element parent, String tag) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && tag.equals(e.getTagName())) {
        return e;
      }
    }
    return null;
  }

  private static Document parse(String xml) {
    try {
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setExpandEntityReferences(false);
      return f.newDocumentBuilder()
          .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    } catch (ParserConfigurationException | SAXException | IOException e) {
      throw new IllegalArgumentException("cannot parse the domain XML: " + e.getMessage(), e);
    }
  }

  private static String write(Document doc) {
    try {
      var t = TransformerFactory.newInstance().newTransformer();
      t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
      StringWriter out = new StringWriter();
      t.transform(new DOMSource(doc), new StreamResult(out));
      return out.toString();
    } catch (TransformerException e) {
      throw new IllegalStateException("cannot write the domain XML: " + e.getMessage(), e);
    }
  }

  static String domain(AgentVmSpec vm, String overlayPath, String serialLogPath) {
    return domain(vm, overlayPath, null, serialLogPath);
  }

  /**
   * The domain; {@code configPath}, when given, is its config disk: raw, read-only and shareable as
   * {@link ConfigDisk#TARGET}.
   */
  static String domain(
      AgentVmSpec vm, String overlayPath, String configPath, String serialLogPath) {
    return """
        <domain type='qemu'>
          <name>%s</name>
          <memory unit='MiB'>%d</memory>%s
          <vcpu>%d</vcpu>
          <os>
            <type arch='x86_64' machine='pc'>hvm</type>
            <kernel>%s</kernel>
            <initrd>%s</initrd>
            <cmdline>%s</cmdline>
          </os>
          <features><acpi/></features>
          <cpu mode='custom' match='exact'><model fallback='allow'>qemu64</model></cpu>
          <on_reboot>destroy</on_reboot>
          <on_crash>destroy</on_crash>
          <devices>
            %s
            %s
            <interface type='bridge'>
              <source bridge='%s'/>
              <mac address='%s'/>
              <model type='virtio'/>
              <mtu size='%d'/>
              <rom enabled='no'/>
            </interface>
            <serial type='file'>
              <source path='%s' append='on'/>
              <target port='0'/>
            </serial>
            <memballoon model='none'/>
          </devices>
        </domain>
        """
        .formatted(
            vm.name(),
            vm.memoryMib(),
            vm.fileMemory() ? "\n  <memoryBacking><source type='file'/></memoryBacking>" : "",
            vm.vcpus(),
            vm.kernel(),
            vm.initramfs(),
            vm.cmdline(),
            overlayPath == null ? "" : disk(overlayPath),
            configPath == null ? "" : configDisk(configPath),
            vm.bridge(),
            vm.mac(),
            vm.mtu(),
            serialLogPath);
  }

  private static String disk(String overlayPath) {
    return """
        <disk type='file' device='disk'>
              <driver name='qemu' type='qcow2' cache='none'/>
              <source file='%s'/>
              <target dev='vda' bus='virtio'/>
            </disk>"""
        .formatted(overlayPath);
  }

  private static String configDisk(String path) {
    if (!path.startsWith("/") || path.contains("'") || path.contains("<") || path.contains("&")) {
      throw new IllegalArgumentException(
          "config disk path must be absolute and plain, was " + path);
    }
    return """
        <disk type='file' device='disk'>
              <driver name='qemu' type='raw'/>
              <source file='%s'/>
              <target dev='%s' bus='virtio'/>
              <readonly/>
              <shareable/>
            </disk>"""
        .formatted(path, ConfigDisk.TARGET);
  }

  /** A raw volume of {@code capacityBytes}, file mode 0600. */
  static String rawVolume(String name, long capacityBytes) {
    return """
        <volume>
          <name>%s</name>
          <capacity unit='bytes'>%d</capacity>
          <allocation unit='bytes'>%d</allocation>
          <target><format type='raw'/><permissions><mode>0600</mode></permissions></target>
        </volume>
        """
        .formatted(name, capacityBytes, capacityBytes);
  }

  static String overlayVolume(String name, long capacityBytes, String backingPath) {
    return """
        <volume>
          <name>%s</name>
          <capacity unit='bytes'>%d</capacity>
          <target><format type='qcow2'/></target>
          <backingStore><path>%s</path><format type='qcow2'/></backingStore>
        </volume>
        """
        .formatted(name, capacityBytes, backingPath);
  }
}
