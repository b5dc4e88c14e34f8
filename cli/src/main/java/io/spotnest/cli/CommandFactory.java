package io.spotnest.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * Creates the commands, handing the {@link LabControl} to those that take one in their constructor.
 */
final class CommandFactory implements CommandLine.IFactory {
  private final LabControl labs;

  CommandFactory(LabControl labs) {
    this.labs = labs;
  }

  @Override
  public <K> K create(Class<K> cls) throws Exception {
    for (Constructor<?> c : cls.getDeclaredConstructors()) {
      if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == LabControl.class) {
        return cls.cast(c.newInstance(labs));
      }
    }
    return CommandLine.defaultFactory().create(cls);
  }
}
