package dev.streamline.record;

import java.time.Instant;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;

/**
 * The instant an ISO-8601 date-time with a zone names: {@code YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH[:]MM)},
 * the form the contract's timestamp pattern admits (the pattern checks ranges; this reads the values).
 * The fraction is cut to microseconds, as Spark's timestamps are. Proleptic Gregorian calendar, as
 * Spark's: a day the month lacks (Feb 30, Feb 29 of a common year) is not an instant.
 */
final class IsoInstant {
  private IsoInstant() {}

  /** null when the text is not of that form or its day does not exist. */
  static Instant parse(String s) {
    int n = s.length();
    if (n < 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':' || s.charAt(16) != ':') return null;
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return null;
    int i = 19;
    long micros = 0;
    if (i < n && s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') i++;
      if (i == start) return null;
      for (int k = 0; k < 6; k++) micros = micros * 10 + (start + k < i ? s.charAt(start + k) - '0' : 0);
    }
    if (i >= n) return null;
    int offsetSeconds;
    char z = s.charAt(i);
    if (z == 'Z' && i + 1 == n) {
      offsetSeconds = 0;
    } else if (z == '+' || z == '-') {
      int hh = digits(s, i + 1, 2);
      int at = i + 3;
      if (at < n && s.charAt(at) == ':') at++;
      int mm = digits(s, at, 2);
      if (hh < 0 || mm < 0 || mm > 59 || at + 2 != n) return null;
      offsetSeconds = (z == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
    } else {
      return null;
    }
    if (day > Month.of(month).length(Year.isLeap(year))) return null;
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    long seconds = epochDay * 86_400L + hour * 3_600L + minute * 60L + second - offsetSeconds;
    return Instant.ofEpochSecond(seconds, micros * 1_000L);
  }

  /** The decimal value of s[from, from + count), or -1 if that is not all ASCII digits. */
  private static int digits(String s, int from, int count) {
    if (from + count > s.length()) return -1;
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
