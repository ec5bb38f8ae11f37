package org.dopaj.brainmask;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared public data folder (../shared/data), or a visible skip when it is absent. */
final class SharedData {
    private SharedData() {
    }

    static Path dir() {
        Path d = Path.of(System.getProperty("dopaj.shared", "../shared")).resolve("data");
        assumeTrue(Files.isDirectory(d.resolve("mni152_2mm")) && Files.isDirectory(d.resolve("icbm2009a")),
                "../shared/data absent: skipping brain-mask tests that need the MNI152/ICBM templates");
        return d;
    }
}
