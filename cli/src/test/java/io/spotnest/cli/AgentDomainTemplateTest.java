package io.spotnest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The libvirt domain template of the agent image
 * (nested-agent-image/agent-image/make-agent-domain.sh).
 */
class AgentDomainTemplateTest {
  private static final Path SCRIPT =
      Path.of(System.getProperty("spotnest.root", ".."))
          .resolve("nested-agent-image/agent-image/make-agent-domain.sh")
          .toAbsolutePath();

  private record Run(int exit, String output) {}

  private static Run render(Path xml, String... opts) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), xml.toString()));
    cmd.addAll(List.of(opts));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "make-agent-domain.sh hung");
    return new Run(
        p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  @Test
  void theDomainHasTheOverlayAndAReadOnlyConfigDisk(@TempDir Path dir) throws Exception {
    Path xml = dir.resolve("agent-7.xml");
    Run r =
        render(
            xml,
            "--name",
            "agent-7",
            "--image",
            "/srv/img",
            "--overlay",
            "/srv/vms/agent-7.qcow2",
            "--config",
            "/srv/vms/agent-7-config.img",
            "--serial",
            "/srv/vms/agent-7.log",
            "--ip",
            "10.9.0.7/24",
            "--gw",
            "10.9.0.1",
            "--mem",
            "2048",
            "--mac",
            "52:54:00:0a:00:07");
    assertEquals(0, r.exit(), r.output());
    Document d = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
    Element root = d.getDocumentElement();
    assertEquals("domain", root.getTagName());
    assertEquals("agent-7", text(d, "name"));
    assertEquals("2048", text(d, "memory"));
    assertEquals("/srv/img/vmlinuz", text(d, "kernel"));
    assertEquals("/srv/img/initramfs.cpio.gz", text(d, "initrd"));
    String cmdline = text(d, "cmdline");
    assertTrue(cmdline.contains("sn.ip=10.9.0.7/24 sn.gw=10.9.0.1 sn.vm=agent-7"), cmdline);
    assertTrue(cmdline.contains("sn.config=/dev/vdb"), cmdline);
    assertFalse(
        cmdline.toLowerCase().contains("secret"),
        "nothing secret on the kernel command line: " + cmdline);

    NodeList disks = d.getElementsByTagName("disk");
    assertEquals(2, disks.getLength(), "two disks: the image overlay and the config disk");
    Element vda = (Element) disks.item(0);
    assertEquals("vda", attr(vda, "target", "dev"));
    assertEquals("qcow2", attr(vda, "driver", "type"));
    assertEquals("/srv/vms/agent-7.qcow2", attr(vda, "source", "file"));
    assertEquals(0, vda.getElementsByTagName("readonly").getLength(), "the overlay is writable");
    Element vdb = (Element) disks.item(1);
    assertEquals("vdb", attr(vdb, "target", "dev"));
    assertEquals("raw", attr(vdb, "driver", "type"));
    assertEquals("/srv/vms/agent-7-config.img", attr(vdb, "source", "file"));
    assertEquals(
        1, vdb.getElementsByTagName("readonly").getLength(), "the config disk is read-only");
    assertEquals("52:54:00:0a:00:07", attr(root, "mac", "address"));
    Element serial = (Element) root.getElementsByTagName("serial").item(0);
    assertEquals("/srv/vms/agent-7.log", attr(serial, "source", "path"));
  }

  @Test
  void aBadValueIsRefusedInOneLineNamingTheOption(@TempDir Path dir) throws Exception {
    Run r =
        render(
            dir.resolve("x.xml"),
            "--name",
            "agent-7",
            "--image",
            "relative/img",
            "--overlay",
            "/o.qcow2",
            "--config",
            "/c.img",
            "--serial",
            "/s.log");
    assertEquals(2, r.exit(), r.output());
    assertEquals(1, r.output().strip().lines().count(), r.output());
    assertTrue(r.output().startsWith("make-agent-domain: --image:"), r.output());
    Run quote =
        render(
            dir.resolve("y.xml"),
            "--name",
            "a'b",
            "--image",
            "/i",
            "--overlay",
            "/o.qcow2",
            "--config",
            "/c.img",
            "--serial",
            "/s.log");
    assertEquals(2, quote.exit(), quote.output());
    assertTrue(quote.output().startsWith("make-agent-domain: --name:"), quote.output());
  }

  private static String text(Document d, String tag) {
    return d.getElementsByTagName(tag).item(0).getTextContent().strip();
  }

  private static String attr(Element parent, String tag, String attribute) {
    NodeList l = parent.getElementsByTagName(tag);
    return l.getLength() == 0 ? null : ((Element) l.item(0)).getAttribute(attribute);
  }
}
