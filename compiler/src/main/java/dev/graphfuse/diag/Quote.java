package dev.graphfuse.diag;

/**
 * The escaper for diagnostics: renders text taken from an input file (value and node names,
 * locations, source excerpts) for a message. Such text may hold line breaks and other control
 * characters; put into a message verbatim they split the one-line {@code FILE: LOCATION: error: WHAT}
 * form or garble a terminal. (A format's own string syntax, such as the text format's
 * {@code TextStrings.quote}, is not this: it must read back.)
 */
public final class Quote {
    /** Source excerpts longer than this are cut (a bad token may be a megabyte of base64). */
    private static final int MAX_EXCERPT = 60;

    /**
     * How an escaped character is written. Both are pinned by tests: the importers' and the text
     * format's diagnostics use C's notation, as the text format's own strings do; the pattern DSL's
     * use Java's, as a .fuse file's strings do.
     */
    public enum Notation {
        /** {@code \n}, {@code \r}, {@code \t}, {@code \x01} below U+0080, {@code \u2028} above. */
        C,
        /** {@code \u000a}, {@code \u0001}, {@code \u2028}: every escape in one form. */
        UNICODE
    }

    private Quote() {
    }

    /**
     * {@code 'name'} with backslash, {@code '} and every character that is not plainly visible on one
     * line escaped ({@code \n}, {@code \x01}, {@code \u2028}, …), so that two different names never
     * read the same.
     */
    public static String quote(String s) {
        return "'" + escape(s, true, Notation.C) + "'";
    }

    /**
     * {@code s} with only line breaks and other invisible characters escaped: backslashes and
     * quotes stay as they are, for text that already is in source notation (a string token as
     * written, a file path).
     */
    public static String oneLine(String s) {
        return oneLine(s, Notation.C);
    }

    /** {@link #oneLine(String)} with escapes written in {@code notation}. */
    public static String oneLine(String s, Notation notation) {
        return escape(s, false, notation);
    }

    /** A source excerpt (token text) for a message: {@link #oneLine} and cut to a readable length. */
    public static String excerpt(String s) {
        return excerpt(s, Notation.C);
    }

    /** {@link #excerpt(String)} with escapes written in {@code notation}. */
    public static String excerpt(String s, Notation notation) {
        String e = oneLine(s, notation);
        return e.length() > MAX_EXCERPT ? e.substring(0, MAX_EXCERPT) + "…" : e;
    }

    private static String escape(String s, boolean quoteSyntax, Notation notation) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = replacement(s, i, c, quoteSyntax, notation);
            if (rep == null) {
                if (sb != null) {
                    sb.append(c);
                }
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            sb.append(rep);
        }
        return sb == null ? s : sb.toString();
    }

    /** The escape for {@code s.charAt(i)}, or null to keep it. */
    private static String replacement(String s, int i, char c, boolean quoteSyntax, Notation notation) {
        if (c == '\\' || c == '\'') {
            return quoteSyntax ? "\\" + c : null;
        }
        if (!invisible(s, i, c)) {
            return null;
        }
        if (notation == Notation.UNICODE || c >= 0x80) {
            return String.format("\\u%04x", (int) c);
        }
        return switch (c) {
            case '\n' -> "\\n";
            case '\r' -> "\\r";
            case '\t' -> "\\t";
            default -> String.format("\\x%02x", (int) c);
        };
    }

    /**
     * C0 and C1 controls and DEL (U+0085 is a line break to some tools), U+2028/U+2029, format
     * characters such as bidi overrides, and unpaired surrogates: what splits a line, moves the
     * cursor or makes two names look the same.
     */
    private static boolean invisible(String s, int i, char c) {
        boolean paired = Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT || (type == Character.SURROGATE && !paired);
    }
}
