package io.spotnest.migration;

/**
 * An agent VM's workspace disk: a qcow2 overlay over a base image that every host holds at the same
 * path.
 *
 * @param target the guest's device name (e.g. vda)
 * @param backingPath the base image under the overlay
 * @param capacityBytes the disk's size as the guest sees it
 * @param allocationBytes bytes written into the overlay
 */
public record WorkspaceDisk(
    String target, String backingPath, long capacityBytes, long allocationBytes) {}
