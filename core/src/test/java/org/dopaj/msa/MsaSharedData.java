package org.dopaj.msa;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared public data folder (../shared/data), or a visible skip when it is absent. */
public final class MsaSharedData {
    private MsaSharedData() {
    }

    public static Path dir() {
        Path d = Path.of(System.getProperty("dopaj.shared", "../shared")).resolve("data");
        assumeTrue(Files.isDirectory(d.resolve("mni152_2mm")) && Files.isDirectory(d.resolve("atlas"))
                        && Files.isDirectory(d.resolve("icbm2009a")),
                "../shared/data absent: skipping MSA tests that need the MNI152/ICBM templates and atlases");
        return d;
    }

    /** The real DWI folder, or a skip. */
    public static Path diffusion() {
        Path d = Path.of(System.getProperty("dopaj.shared", "../shared")).resolve("data/diffusion");
        assumeTrue(Files.isRegularFile(d.resolve("small_64D.nii")), "../shared/data/diffusion absent: skipping");
        return d;
    }
}
