package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @Test
    void outputsAreReadableByOthersLikeAnyNewFile(@TempDir Path dir) throws IOException {
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"), "no POSIX permissions here");
        Path f = dir.resolve("out.bin");
        AtomicFiles.writeVia(f, tmp -> Files.write(tmp, new byte[]{1, 2, 3}));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }

    @Test
    void aFailingWriterLeavesNothingBehind(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("out.bin");
        assertThrows(DopajException.class, () -> AtomicFiles.writeVia(f, tmp -> {
            Files.write(tmp, new byte[]{1});
            throw new IOException("disk full");
        }));
        assertFalse(Files.exists(f));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(0, s.count(), "no temporary file left");
        }
    }
}
