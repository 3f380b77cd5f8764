package io.pglogs.forwarder.parse;

/**
 * Makes Java strings valid Unicode before they reach the SDK. A JSON payload may carry an escaped lone UTF-16
 * surrogate (backslash-u-d800 in JSON); Java keeps it, the SDK sends it on, and DynamoDB rejects the whole batch it
 * is in.
 */
public final class UnicodeText {
    public static final char REPLACEMENT = '\uFFFD';

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
