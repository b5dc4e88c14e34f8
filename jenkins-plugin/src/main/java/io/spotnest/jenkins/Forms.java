package io.spotnest.jenkins;

import hudson.util.FormValidation;

/** Turns a {@link FieldRules} verdict into a form answer. */
final class Forms {
  private Forms() {}

  static FormValidation check(String problem) {
    return problem == null ? FormValidation.ok() : FormValidation.error(problem);
  }
}
