package dev.streamline.record;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Well-formed UTF-8 (RFC 3629): no overlong form, no encoded surrogate, nothing above U+10FFFF. */
final class Utf8 {
  /** Eight bytes at a time: a record is nearly all ASCII, and a word without a high bit is eight valid bytes. */
  private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long HIGH_BITS = 0x8080808080808080L;

  private Utf8() {}

  static boolean isValid(byte[] b) {
    int i = 0;
    int n = b.length;
    while (i < n) {
      if (i + 8 <= n && ((long) WORD.get(b, i) & HIGH_BITS) == 0) {
        i += 8;
        continue;
      }
      int c = b[i];
      if (c >= 0) { // ASCII, nearly every byte of a record
        i++;
        continue;
      }
      c &= 0xFF;
      if (c < 0xC2) return false; // a continuation byte, or the lead of an overlong 2-byte form
      if (c < 0xE0) {
        if (i + 1 >= n || !continuation(b[i + 1])) return false;
        i += 2;
      } else if (c < 0xF0) {
        if (i + 2 >= n || !continuation(b[i + 1]) || !continuation(b[i + 2])) return false;
        int c1 = b[i + 1] & 0xFF;
        if (c == 0xE0 && c1 < 0xA0) return false; // overlong
        if (c == 0xED && c1 >= 0xA0) return false; // U+D800-U+DFFF
        i += 3;
      } else if (c < 0xF5) {
        if (i + 3 >= n || !continuation(b[i + 1]) || !continuation(b[i + 2]) || !continuation(b[i + 3])) return false;
        int c1 = b[i + 1] & 0xFF;
        if (c == 0xF0 && c1 < 0x90) return false; // overlong
        if (c == 0xF4 && c1 >= 0x90) return false; // above U+10FFFF
        i += 4;
      } else {
        return false;
      }
    }
    return true;
  }

  private static boolean continuation(byte b) {
    return (b & 0xC0) == 0x80;
  }
}
