package dev.graphfuse.text;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/** Quoting, escaping and name rules shared by the text writer and reader. */
final class TextStrings {
    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    /** Words the grammar reserves; names spelled like them are quoted to keep parsing unambiguous. */
    private static final Set<String> KEYWORDS = Set.of("model", "opset", "metadata", "graph", "function",
            "attributes", "defaults", "doc", "init", "sparse_init", "value", "preserved", "tensor", "raw",
            "external", "offset", "length", "checksum", "extra", "seq", "optional", "map", "sparse", "opaque");

    private TextStrings() {
    }

    /** Same as matching {@code [A-Za-z_][A-Za-z0-9_.]*}, without a regex (printing calls this per value). */
    private static boolean isIdentifier(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
            boolean rest = (c >= '0' && c <= '9') || c == '.';
            if (!(letter || (i > 0 && rest))) {
                return false;
            }
        }
        return true;
    }

    static String name(String s) {
        return isIdentifier(s) && !KEYWORDS.contains(s) ? s : quote(s);
    }

    /** A STRING literal of the text format, which {@link #unquote} reads back: its syntax, not a diagnostic's (that is {@code diag.Quote}). */
    static String quote(String s) {
        return quote(s.getBytes(StandardCharsets.UTF_8));
    }

    static String quote(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 2).append('"');
        for (byte b : bytes) {
            int c = b & 0xff;
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        sb.append((char) c);
                    } else {
                        sb.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A STRING token holds an escape the format does not have; the message, if any, says why. */
    static final class BadEscape extends Exception {
        BadEscape(String why) {
            super(why, null, false, false);
        }
    }

    /** Decodes a STRING token (with its quotes) to bytes. */
    static byte[] unquote(String token) throws BadEscape {
        ByteArrayOutputStream out = new ByteArrayOutputStream(token.length());
        String body = token.substring(1, token.length() - 1);
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\') {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < body.length()) {
                    utf8 = body.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                out.writeBytes(utf8);
                continue;
            }
            if (++i >= body.length()) {
                throw new BadEscape(null);
            }
            char e = body.charAt(i);
            switch (e) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case '"' -> out.write('"');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    // exactly two ASCII hex digits: Integer.parseInt(s, 16) would also take "-1" or
                    // "+f" (a sign) and non-ASCII digits
                    int hi = i + 1 < body.length() ? hexDigit(body.charAt(i + 1)) : -1;
                    int lo = i + 2 < body.length() ? hexDigit(body.charAt(i + 2)) : -1;
                    if (hi < 0 || lo < 0) {
                        throw new BadEscape("\\x takes two hex digits");
                    }
                    out.write(hi << 4 | lo);
                    i += 2;
                }
                default -> throw new BadEscape(null);
            }
        }
        return out.toByteArray();
    }

    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    }
}
