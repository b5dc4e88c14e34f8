package io.spotnest.jenkins;

import hudson.model.Label;
import hudson.util.VariableResolver;

/**
 * A label expression for tests: atoms joined by "&&" or "||" (no parentheses), evaluated through
 * the same {@link Label#matches(VariableResolver)} call Jenkins' own labels answer.
 */
final class TestLabel extends Label {
  TestLabel(String expression) {
    super(expression);
  }

  @Override
  public String getExpression() {
    return getName();
  }

  @Override
  public boolean matches(VariableResolver<Boolean> resolver) {
    for (String alternative : getName().split("\\|\\|")) {
      boolean all = true;
      for (String atom : alternative.split("&&")) {
        all &= Boolean.TRUE.equals(resolver.resolve(atom.trim()));
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}
