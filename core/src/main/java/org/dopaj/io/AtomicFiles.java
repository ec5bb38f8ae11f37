package org.dopaj.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.dopaj.DopajException;

/**
 * Writes an output file so that it is either complete or absent: the content goes to a hidden temporary file
 * in the target folder, which is then moved over the target (atomically where the file system allows).
 * On any failure the temporary file is deleted and the target is left as it was.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** Something that writes a whole file to the given path (e.g. ImageJ's FileSaver). */
    @FunctionalInterface
    public interface PathWriter {
        void write(Path tmp) throws IOException;
    }

    /** Writes {@code file} through {@code writer}, gzip-compressed when {@code gzip}. */
    public static void write(Path file, boolean gzip, Writer writer) {
        writeVia(file, tmp -> {
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
                 OutputStream out = gzip ? Nifti.gzip(raw) : raw) {
                writer.write(out);
            }
        });
    }

    /**
     * createTempFile makes owner-only files (rw-------); outputs are results to share, so give them the
     * permissions a plain new file gets (rw-r--r--) where the file system has POSIX permissions.
     */
    private static void readableLikeANewFile(Path tmp) throws IOException {
        if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Lets {@code writer} write a temporary file beside {@code file}, then moves it into place. */
    public static void writeVia(Path file, PathWriter writer) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new DopajException(file + ": output folder " + dir + " does not exist");
        }
        if (Files.isDirectory(abs)) {
            throw new DopajException(file + ": is a directory; give an output file name");
        }
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".part");
            writer.write(tmp);
            readableLikeANewFile(tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            tmp = null;
        } catch (IOException e) {
            throw new DopajException(file + ": cannot write (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the original error matters more
                }
            }
        }
    }
}
