package io.spotnest.migration;

/** Renders libvirt domain and volume XML for agent VMs. */
final class DomainXml {

  private DomainXml() {}

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
          <memory unit='MiB'>%d</memory>
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
