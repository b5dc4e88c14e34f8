// Compile-only signature copy of the Jenkins API (see jenkins-api/README.md). Not packaged.
package org.kohsuke.stapler;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

// The real annotation also carries @InjectedParameter(HandlerImpl.class); only Stapler reads that.
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
@Documented
public @interface QueryParameter {
  String value() default "";

  boolean required() default false;

  boolean fixEmpty() default false;
}
