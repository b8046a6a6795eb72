package dev.graphfuse.text;

import java.nio.file.Path;

/**
 * How the text writer prints tensor data and annotations.
 *
 * @param inlineLimit   tensors with at most this many elements print as decimal lists, larger ones as base64
 * @param elideData     print large tensors' data as {@code ...} (readable, but cannot be parsed back)
 * @param nodeMetadata  print node metadata_props (exporters write many; goldens usually omit them)
 * @param externalBase  directory the text will live in; external data locations are printed relative
 *                      to it (null: print locations as the model stores them)
 * @param inlineExternal print external tensors' contents instead of their file reference, so two
 *                      models compare equal exactly when their data is equal wherever it is stored
 */
public record TextWriterOptions(int inlineLimit, boolean elideData, boolean nodeMetadata, Path externalBase,
                                boolean inlineExternal) {
    /** Everything, losslessly. */
    public static final TextWriterOptions FULL = new TextWriterOptions(64, false, true, null, false);
    /** For golden files: no node metadata, large tensors elided. */
    public static final TextWriterOptions GOLDEN = new TextWriterOptions(16, true, false, null, false);
    /** For graph equality: everything, with external data compared by content. */
    public static final TextWriterOptions CANONICAL = new TextWriterOptions(64, false, true, null, true);

    public TextWriterOptions withExternalBase(Path dir) {
        return new TextWriterOptions(inlineLimit, elideData, nodeMetadata, dir, inlineExternal);
    }
}
