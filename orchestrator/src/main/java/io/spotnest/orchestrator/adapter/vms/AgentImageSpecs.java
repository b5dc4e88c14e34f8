package io.spotnest.orchestrator.adapter.vms;

import io.spotnest.migration.AgentVmSpec;
import io.spotnest.migration.StandbyMemory;
import io.spotnest.orchestrator.model.AgentBootSpec;
import io.spotnest.orchestrator.model.MemoryBacking;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Agent VMs of the SpotNest agent image (nested-agent-image/agent-image): every host holds each
 * image under {@code <imagesDir>/<image>/} ({@code vmlinuz}, {@code initramfs.cpio.gz}, {@code
 * agent-root.qcow2}); the VM gets the boot spec's memory and vCPUs, a workspace overlay of the boot
 * spec's disk size on the image's root, the kernel command line of {@code agent-domain.xml.in}, and
 * a NIC of the overlay's MTU.
 *
 * @param imagesDir absolute directory of the images on every host
 * @param bridge host bridge the VMs' NICs join
 * @param overlayMtu the MTU of the overlay the bridge is part of (the hosts' underlay MTU minus
 *     {@value AgentVmSpec#VXLAN_OVERHEAD}, what {@code setup-host.sh} gives the bridge): the VMs'
 *     NICs get it, so no guest sends a frame the tunnel must drop
 * @param standbyMemory where the VMs' standing copies keep their memory on a backup: with {@link
 *     StandbyMemory#FILE} every VM starts with its RAM in a file under its host's libvirt {@code
 *     memory_backing_dir} ({@link AgentVmSpec#fileMemory()}), since libvirt keeps a migration's
 *     memory source and a file-backed standby needs a file-backed VM; {@link StandbyMemory#RAM}
 *     starts it in anonymous RAM
 */
public record AgentImageSpecs(
    String imagesDir, String bridge, int overlayMtu, StandbyMemory standbyMemory)
    implements AgentVmSpecs {
  /** The image a boot spec without one gets. */
  public static final String DEFAULT_IMAGE = "spotnest-agent";

  /** The workspace size a boot spec without one gets. */
  public static final int DEFAULT_DISK_GIB = 20;

  private static final Pattern IMAGE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern DIR = Pattern.compile("/[A-Za-z0-9._/+-]*");

  /** The smallest and largest overlay MTU a VM's NIC takes ({@link AgentVmSpec}). */
  public static final int MIN_MTU = 576;

  public static final int MAX_MTU = 9216;

  /** VMs on an overlay of {@link AgentVmSpec#DEFAULT_MTU} (a 1550-byte underlay, as in the lab). */
  public AgentImageSpecs(String imagesDir, String bridge) {
    this(imagesDir, bridge, AgentVmSpec.DEFAULT_MTU);
  }

  /** VMs in anonymous RAM, their standbys too ({@link StandbyMemory#RAM}). */
  public AgentImageSpecs(String imagesDir, String bridge, int overlayMtu) {
    this(imagesDir, bridge, overlayMtu, StandbyMemory.RAM);
  }

  public AgentImageSpecs {
    if (imagesDir == null || !DIR.matcher(imagesDir).matches() || imagesDir.contains("..")) {
      throw new IllegalArgumentException(
          "imagesDir: expected an absolute path of letters, digits, . _ / + -, got " + imagesDir);
    }
    if (bridge == null || !bridge.matches("[A-Za-z0-9_-]{1,15}")) {
      throw new IllegalArgumentException("bridge: expected an interface name, got " + bridge);
    }
    if (overlayMtu < MIN_MTU || overlayMtu > MAX_MTU) {
      throw new IllegalArgumentException(
          "overlayMtu: expected "
              + MIN_MTU
              + ".."
              + MAX_MTU
              + " (the hosts' underlay MTU minus "
              + AgentVmSpec.VXLAN_OVERHEAD
              + "), got "
              + overlayMtu);
    }
    if (standbyMemory == null) {
      throw new IllegalArgumentException("standbyMemory: expected RAM or FILE, got null");
    }
    imagesDir =
        imagesDir.endsWith("/") ? imagesDir.substring(0, imagesDir.length() - 1) : imagesDir;
  }

  /** {@link MemoryBacking#FILE} with {@link StandbyMemory#FILE}: every VM starts in a file. */
  @Override
  public MemoryBacking memory() {
    return standbyMemory == StandbyMemory.FILE ? MemoryBacking.FILE : MemoryBacking.RAM;
  }

  @Override
  public AgentVmSpec spec(String agentId, long ramMiB) {
    return spec(agentId, AgentBootSpec.minimal(agentId, ramMiB));
  }

  @Override
  public AgentVmSpec spec(String agentId, AgentBootSpec boot) {
    String image = boot.image() == null ? DEFAULT_IMAGE : boot.image();
    if (!IMAGE.matcher(image).matches() || image.contains("..")) {
      throw new IllegalArgumentException(
          "image: expected a directory name of letters, digits, . _ -, got " + image);
    }
    String dir = imagesDir + "/" + image;
    int diskGiB = boot.diskGiB() > 0 ? boot.diskGiB() : DEFAULT_DISK_GIB;
    return new AgentVmSpec(
        agentId,
        boot.ramMiB(),
        boot.vcpus(),
        dir + "/vmlinuz",
        dir + "/initramfs.cpio.gz",
        "console=ttyS0 quiet panic=-1 sn.ip=dhcp sn.vm="
            + agentId
            + " sn.root=/dev/vda sn.config=/dev/vdb",
        dir + "/agent-root.qcow2",
        diskGiB * 1024L,
        mac(agentId),
        bridge,
        overlayMtu,
        memory() == MemoryBacking.FILE);
  }

  /**
   * A locally administered MAC derived from the agent's name (the same on every host it visits).
   */
  static String mac(String agentId) {
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256").digest(agentId.getBytes(StandardCharsets.UTF_8));
      return String.format(Locale.ROOT, "52:54:00:%02x:%02x:%02x", h[0], h[1], h[2]);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256", e);
    }
  }
}
