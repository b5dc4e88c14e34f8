package io.spotnest.jenkins;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.kohsuke.stapler.HttpResponse;
import org.kohsuke.stapler.StaplerResponse2;

/**
 * What an {@link HttpResponse} makes of the servlet response (status, content type, body): the
 * response is a recording double at Stapler's port, answering only the calls a response writer
 * makes.
 */
final class RecordedResponse {
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int status = 200;
  private String contentType;

  private RecordedResponse() {}

  /** Lets {@code response} write itself into a new recording. */
  static RecordedResponse of(HttpResponse response, Object node) throws Exception {
    RecordedResponse r = new RecordedResponse();
    StaplerResponse2 rsp =
        (StaplerResponse2)
            Proxy.newProxyInstance(
                RecordedResponse.class.getClassLoader(),
                new Class<?>[] {StaplerResponse2.class},
                (proxy, method, args) -> r.answer(method, args));
    response.generateResponse(null, rsp, node);
    return r;
  }

  int status() {
    return status;
  }

  String contentType() {
    return contentType;
  }

  byte[] body() {
    return body.toByteArray();
  }

  String text() {
    return body.toString(StandardCharsets.UTF_8);
  }

  private Object answer(Method method, Object[] args) {
    switch (method.getName()) {
      case "setStatus" -> status = (Integer) args[0];
      case "setContentType" -> contentType = (String) args[0];
      case "getOutputStream" -> {
        return new ServletOutputStream() {
          @Override
          public boolean isReady() {
            return true;
          }

          @Override
          public void setWriteListener(WriteListener listener) {}

          @Override
          public void write(int b) {
            body.write(b);
          }
        };
      }
      case "getWriter" -> {
        return new PrintWriter(new OutputStreamWriter(body, StandardCharsets.UTF_8), true);
      }
      case "toString" -> {
        return "RecordedResponse";
      }
      default -> throw new UnsupportedOperationException("not recorded: " + method.getName());
    }
    return null;
  }

  /** Status, content type and body, for assertion messages. */
  @Override
  public String toString() {
    return status + " " + contentType + " " + text();
  }
}
