package dev.streamline.sink;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A route's writer failed inside a task of the one-pass write: says which route, so that the driver's
 * message can (both routes are written by the same tasks).
 */
final class RouteWriteException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** How the route reads in a task failure's text (a failure whose cause does not serialize reaches the driver as text only). */
  private static final Pattern IN_TEXT = Pattern.compile(Pattern.quote(RouteWriteException.class.getName()) + ": the (\\w+) rows: ");

  private final String route;

  RouteWriteException(String route, Throwable cause) {
    super("the " + route + " rows: " + SplitSink.messageOf(cause), cause);
    this.route = route;
  }

  /** The route whose writer failed, found in a job failure (its causes, or its text). */
  static Optional<String> routeOf(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RouteWriteException e) return Optional.of(e.route);
      if (t.getMessage() != null) {
        Matcher m = IN_TEXT.matcher(t.getMessage());
        if (m.find()) return Optional.of(m.group(1));
      }
      if (t.getCause() == t) break;
    }
    return Optional.empty();
  }
}
