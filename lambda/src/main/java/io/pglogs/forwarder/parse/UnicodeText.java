package io.pglogs.forwarder.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Makes Java strings valid Unicode before they reach the SDK. A JSON payload may carry an escaped lone UTF-16
 * surrogate (backslash-u-d800 in JSON); Java keeps it, the SDK sends it on, and DynamoDB rejects the whole batch it
 * is in.
 */
public final class UnicodeText {
    public static final char REPLACEMENT = '\uFFFD';
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    private UnicodeText() {
    }

    /** {@code s} itself when it is valid (the usual case, no copy), else a copy with each lone surrogate as U+FFFD. */
    public static String repair(String s) {
        if (s == null) {
            return null;
        }
        int bad = firstLoneSurrogate(s);
        if (bad < 0) {
            return s;
        }
        char[] c = s.toCharArray();
        for (int i = bad; i < c.length; i++) {
            if (Character.isHighSurrogate(c[i]) && i + 1 < c.length && Character.isLowSurrogate(c[i + 1])) {
                i++;
            } else if (Character.isSurrogate(c[i])) {
                c[i] = REPLACEMENT;
            }
        }
        return new String(c);
    }

    /**
     * False when the JSON text {@code json} (UTF-8) cannot decode to a string with a surrogate from an escape: it has
     * no backslash-u-D8..DF. Surrogates from 4-byte UTF-8 always come in pairs, so then nothing needs repairing.
     */
    public static boolean mayHoldEscapedSurrogate(byte[] json) {
        int n = json.length;
        int i = 0;
        // Eight bytes at a time, looking closer only where one of them is a backslash: this runs on every payload.
        for (; i + 8 <= n; i += 8) {
            long v = (long) LONGS.get(json, i) ^ BACKSLASHES;
            if (((v - 0x0101010101010101L) & ~v & 0x8080808080808080L) != 0) {
                for (int k = i; k < i + 8; k++) {
                    if (isSurrogateEscape(json, k)) {
                        return true;
                    }
                }
            }
        }
        for (; i < n; i++) {
            if (isSurrogateEscape(json, i)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSurrogateEscape(byte[] json, int i) {
        if (json[i] != '\\' || i + 3 >= json.length || json[i + 1] != 'u' || (json[i + 2] | 0x20) != 'd') {
            return false;
        }
        int c = json[i + 3] | 0x20;
        return c == '8' || c == '9' || (c >= 'a' && c <= 'f');
    }

    /** True when {@code s} holds no lone surrogate. */
    public static boolean isValid(String s) {
        return firstLoneSurrogate(s) < 0;
    }

    private static int firstLoneSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }
}
