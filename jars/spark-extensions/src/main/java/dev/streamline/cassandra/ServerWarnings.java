package dev.streamline.cassandra;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cassandra's warnings on this executor's writes, logged once per table and kind. The driver's own
 * logging (one WARN line per answer, with the request formatted into it) is off for this writer's
 * statements: an unlogged batch of rows of different partitions, which replica-set grouping makes on
 * purpose, draws "Unlogged batch covering N partitions" on every batch, so the executor's log grew by
 * a line per batch (21,488 lines for 300,000 rows) and formatting them cost the task threads CPU.
 */
final class ServerWarnings {
  private static final Logger LOG = LoggerFactory.getLogger(ServerWarnings.class);
  /** Tables and kinds already logged by this JVM. */
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();
  private static final Pattern NUMBER = Pattern.compile("[0-9]+");

  private ServerWarnings() {}

  static void record(String target, List<String> warnings) {
    if (warnings.isEmpty()) return;
    for (String warning : warnings) {
      if (LOGGED.add(target + '\n' + kindOf(warning))) {
        LOG.warn("{}: Cassandra answered a write with a warning (logged once per executor for this table and kind of warning): {}", target, warning);
      }
    }
  }

  /** The warning with its numbers taken out: "covering 67 partitions" and "covering 12 partitions" are one kind. */
  static String kindOf(String warning) {
    return NUMBER.matcher(warning).replaceAll("#");
  }
}
