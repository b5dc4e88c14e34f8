package io.spotnest.jenkins;

import hudson.security.Permission;
import jenkins.model.Jenkins;

/**
 * Checks that the current user holds a permission; throws (Jenkins' AccessDeniedException) when
 * not.
 */
@FunctionalInterface
interface PermissionGate {
  void check(Permission permission);

  /** Jenkins' own check for the current user. */
  static PermissionGate jenkins() {
    return permission -> Jenkins.get().checkPermission(permission);
  }
}
