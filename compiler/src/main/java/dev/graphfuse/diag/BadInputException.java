package dev.graphfuse.diag;

/**
 * An input file is malformed. The message is one line: {@code FILE: LOCATION: WHAT}, where the
 * location names the offending node, value or field; for text inputs it is {@code line:col} and
 * the message reads {@code FILE:LINE:COL: error: WHAT}. The CLI prints it and exits 2.
 */
public final class BadInputException extends RuntimeException {
    private final String file;
    private final String location;
    private final String detail;

    public BadInputException(String file, String location, String detail) {
        this(file, location, detail, null);
    }

    public BadInputException(String file, String location, String detail, Throwable cause) {
        super(format(file, location, detail), cause);
        this.file = file;
        this.location = location;
        this.detail = detail;
    }

    private static String format(String file, String location, String detail) {
        // callers quote the names they put in (Quote.quote); this is the last line of defence for
        // the "one line" promise against text they did not quote (a path, a library's message)
        file = file == null ? null : Quote.oneLine(file);
        location = location == null ? null : Quote.oneLine(location);
        detail = Quote.oneLine(detail);
        StringBuilder sb = new StringBuilder();
        boolean lineCol = location != null && location.matches("\\d+:\\d+");
        if (file != null && !file.isEmpty()) {
            sb.append(file).append(lineCol ? ":" : ": ");
        }
        if (location != null && !location.isEmpty()) {
            sb.append(location).append(": ");
        }
        return sb.append("error: ").append(detail).toString();
    }

    public String file() {
        return file;
    }

    public String location() {
        return location;
    }

    public String detail() {
        return detail;
    }
}
