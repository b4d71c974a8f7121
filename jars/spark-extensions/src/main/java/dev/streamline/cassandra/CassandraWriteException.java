package dev.streamline.cassandra;

/**
 * A write Cassandra refused or never answered. The message carries the driver's own on the same line
 * ("All 1 node(s) tried for the query failed ...", "Cassandra timeout during write query ..."): the
 * first line of a failed query is what a user sees first.
 */
final class CassandraWriteException extends RuntimeException {
  CassandraWriteException(String target, Throwable cause) {
    super(CassandraWriterProvider.NAME + ": writing to " + target + " failed: " + describe(cause), cause);
  }

  private static String describe(Throwable cause) {
    String message = cause.getMessage();
    String text = message == null || message.isBlank() ? cause.getClass().getName() : cause.getClass().getSimpleName() + ": " + message.strip();
    return text.replace('\n', ' ');
  }
}
