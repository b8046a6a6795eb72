package dev.graphfuse.diag;

/**
 * Renders text taken from an input file (value and node names, locations, source excerpts) for a
 * diagnostic. Such text may hold line breaks and other control characters; put into a message
 * verbatim they split the one-line {@code FILE: LOCATION: error: WHAT} form or garble a terminal.
 */
public final class Quote {
    /** Source excerpts longer than this are cut (a bad token may be a megabyte of base64). */
    private static final int MAX_EXCERPT = 60;

    private Quote() {
    }

    /**
     * {@code 'name'} with backslash, {@code '} and every character that is not plainly visible on one
     * line escaped ({@code \n}, {@code \x01}, {@code \u2028}, …), so that two different names never
     * read the same.
     */
    public static String quote(String s) {
        return "'" + escape(s, true) + "'";
    }

    /**
     * {@code s} with only line breaks and other invisible characters escaped: backslashes and
     * quotes stay as they are, for text that already is in source notation (a string token as
     * written, a file path).
     */
    public static String oneLine(String s) {
        return escape(s, false);
    }

    /** A source excerpt (token text) for a message: {@link #oneLine} and cut to a readable length. */
    public static String excerpt(String s) {
        String e = oneLine(s);
        return e.length() > MAX_EXCERPT ? e.substring(0, MAX_EXCERPT) + "…" : e;
    }

    private static String escape(String s, boolean quoteSyntax) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = replacement(s, i, c, quoteSyntax);
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
    private static String replacement(String s, int i, char c, boolean quoteSyntax) {
        switch (c) {
            case '\n':
                return "\\n";
            case '\r':
                return "\\r";
            case '\t':
                return "\\t";
            case '\\':
                return quoteSyntax ? "\\\\" : null;
            case '\'':
                return quoteSyntax ? "\\'" : null;
            default:
                break;
        }
        if (c < 0x20 || c == 0x7f) {
            return String.format("\\x%02x", (int) c);
        }
        // C1 controls (U+0085 is a line break to some tools), U+2028/U+2029, format characters such
        // as bidi overrides, and unpaired surrogates
        boolean paired = Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
        int type = Character.getType(c);
        if (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT || (type == Character.SURROGATE && !paired)) {
            return String.format("\\u%04x", (int) c);
        }
        return null;
    }
}
