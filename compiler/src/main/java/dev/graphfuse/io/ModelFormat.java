package dev.graphfuse.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The two file formats graphfuse reads and writes. */
public enum ModelFormat {
    ONNX, TEXT;

    /** By extension ({@code .onnx}; {@code .gft}/{@code .txt}), else by sniffing the first bytes. */
    public static ModelFormat of(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".onnx")) {
            return ONNX;
        }
        if (n.endsWith(".gft") || n.endsWith(".txt")) {
            return TEXT;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64);
            String s = new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).stripLeading();
            return s.startsWith("model") || s.startsWith("graph") || s.startsWith("#") ? TEXT : ONNX;
        } catch (IOException e) {
            return ONNX;
        }
    }
}
