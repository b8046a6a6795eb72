package dev.graphfuse.util;

import dev.graphfuse.diag.BadInputException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Writes output files so that readers see either the old file or the complete new one, never a partial
 * file: each is written under a temporary name in the target's directory, forced to disk and renamed over
 * the target. Every failure is one {@link BadInputException} line naming the output (exit 2 in the CLI),
 * and no temporary file is left behind.
 *
 * <p>Only regular files are replaced. An output that exists and is anything else (a device such as
 * {@code /dev/null} or {@code /dev/full}, a FIFO, a socket, a directory) is refused before anything is
 * written, and nothing is created beside it. Why refuse rather than stream the bytes into a device: the
 * rename that makes a write atomic would replace the device node itself (as root, {@code /dev/null}
 * became a regular file); streaming instead would give up the promise that a failed run leaves no partial
 * output, and a model's {@code OUT.data} would have nowhere sensible to go ({@code /dev/null.data}). One
 * rule for every command is easier to trust than per-command exceptions.
 *
 * <p>A symbolic link as output is replaced by the new file, never written through, so the file it
 * pointed to stays as it was: a link planted in a shared directory cannot redirect a write (the classic
 * attack on a tool run as root), and {@code OUT} and {@code OUT.data} always end up side by side. A link
 * to something that is not a regular file ({@code /dev/stdout}, a directory) is refused like its target,
 * since that target is evidently what the user meant.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Something that writes content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code target} through a temporary file renamed into place. */
    public static void write(Path target, Content content) {
        try (Staged s = stage(target)) {
            s.write(content);
            commit(s);
        }
    }

    public static void writeString(Path target, String text) {
        write(target, os -> os.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * Refuses, as a one-line error naming {@code target}, an output that exists and is not a regular file,
     * or whose directory cannot hold it. Commands call this before doing any work, so that a bad {@code -o}
     * fails at once; {@link #stage} and {@link #commit} check again.
     */
    public static void checkTarget(Path target) {
        if (target.toString().equals("-")) {
            // the Unix convention for standard output: a model with its data file cannot go there
            throw refused(target, "'-' (standard output) is not an output here; give a file name");
        }
        String kind = nonRegularKind(target);
        if (kind != null) {
            throw refused(target, "output is not a regular file (it is " + kind
                    + "); outputs are written only to regular files");
        }
        Path dir = target.getParent() == null ? Path.of(".") : target.getParent();
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            existing = Path.of("."); // a relative path whose first directory is missing is made in the working directory
        }
        if (!Files.isDirectory(existing)) {
            throw refused(target, "cannot create the output: " + existing + " is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw refused(target, "cannot create the output: directory " + existing + " is not writable");
        }
    }

    /**
     * Checks {@code target}, creates its missing directories and an empty temporary file beside it. Close
     * the result (try-with-resources): that deletes the temporary file unless {@link #commit} renamed it.
     */
    public static Staged stage(Path target) {
        checkTarget(target);
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        try {
            Files.createDirectories(dir);
            return new Staged(target, Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp"));
        } catch (IOException e) {
            throw cannotWrite(target, e);
        }
    }

    /**
     * Renames the staged files into place in the order given: name a model's data file before the model,
     * so that a reader who sees the new model also sees its new data. Every target is checked again
     * before the first rename, so a target that turned into a device or directory meanwhile leaves every
     * old file as it was.
     */
    public static void commit(Staged... files) {
        for (Staged s : files) {
            checkTarget(s.target);
            makeReadable(s);
        }
        for (Staged s : files) {
            try {
                try {
                    Files.move(s.tmp, s.target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(s.tmp, s.target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw cannotWrite(s.target, e);
            }
            s.committed = true;
        }
    }

    /** A temporary file waiting to be renamed over its target. */
    public static final class Staged implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private boolean committed;

        private Staged(Path target, Path tmp) {
            this.target = target;
            this.tmp = tmp;
        }

        public Path target() {
            return target;
        }

        /** The temporary file, for writers that need a channel of their own; it lives in the target's directory. */
        public Path temporary() {
            return tmp;
        }

        /** Writes the whole content to the temporary file and forces it to disk. */
        public void write(Content content) {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(os);
                os.flush();
                ch.force(false);
            } catch (IOException e) {
                throw cannotWrite(target, e);
            }
        }

        /** Deletes the temporary file unless it was committed. */
        @Override
        public void close() {
            if (!committed) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the error that got us here is the one to report
                }
            }
        }
    }

    /** Temp files are created owner-only; a finished output should have ordinary permissions. */
    private static void makeReadable(Staged s) {
        if (s.tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            try {
                Files.setPosixFilePermissions(s.tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (IOException e) {
                throw cannotWrite(s.target, e);
            }
        }
    }

    /** What {@code target} is when it exists (links followed) and is not a regular file; else null. */
    private static String nonRegularKind(Path target) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(target, BasicFileAttributes.class);
        } catch (IOException e) {
            return null; // absent (or a dangling link, which the new file replaces)
        }
        if (a.isRegularFile()) {
            return null;
        }
        if (a.isDirectory()) {
            return "a directory";
        }
        try {
            int mode = (Integer) Files.getAttribute(target, "unix:mode");
            return switch (mode & 0170000) {
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0010000 -> "a FIFO";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a special file";
        }
    }

    private static BadInputException refused(Path target, String detail) {
        return new BadInputException(target.toString(), null, detail);
    }

    private static BadInputException cannotWrite(Path target, IOException e) {
        return new BadInputException(target.toString(), null, "cannot write the output: " + reason(e), e);
    }

    /** The operating system's reason, without the temporary file's name that a FileSystemException leads with. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException a) {
            return "permission denied" + (a.getFile() != null && !isTemporary(a.getFile()) ? " (" + a.getFile() + ")" : "");
        }
        if (e instanceof FileAlreadyExistsException f && f.getFile() != null) {
            return f.getFile() + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException n && n.getFile() != null) {
            return "no such file or directory (" + n.getFile() + ")";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static boolean isTemporary(String file) {
        Path name = Path.of(file).getFileName();
        return name != null && name.toString().startsWith(".") && name.toString().endsWith(".tmp");
    }
}
