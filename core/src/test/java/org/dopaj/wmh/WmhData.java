package org.dopaj.wmh;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;

/** Shared test inputs: ../shared/data (skipped with a message when absent) and derived images. */
public final class WmhData {
    private WmhData() {
    }

    /** The shared data folder, or a visible skip. */
    public static Path shared() {
        Path d = Path.of(System.getProperty("dopaj.shared", "../shared")).resolve("data");
        assumeTrue(Files.isDirectory(d.resolve("mni152_2mm")) && Files.isDirectory(d.resolve("realheads")),
                "../shared/data absent: skipping WMH tests that need the MNI152 head and the real heads");
        return d;
    }

    /** The FSL MNI152 T1 2 mm head (a real, lesion-free T1 head). */
    public static Volume mniHead() {
        return ImageFiles.read(shared().resolve("mni152_2mm/MNI152_T1_2mm.nii.gz"));
    }

    /**
     * The MNI152 head with its brain's contrast inverted (max − I inside the template's brain mask): white matter
     * darker than grey matter, as in T2 or FLAIR; the brain outline is unchanged.
     */
    public static Volume invertedBrain() {
        Volume t1 = mniHead();
        Volume m = ImageFiles.read(shared().resolve("mni152_2mm/MNI152_T1_2mm_Brain_Mask.nii.gz"));
        float max = 0;
        for (float[] p : t1.planes()) {
            for (float v : p) {
                max = Math.max(max, v);
            }
        }
        Volume o = t1.copy();
        for (int z = 0; z < o.nz(); z++) {
            float[] a = o.plane(z);
            float[] b = m.plane(z);
            for (int i = 0; i < a.length; i++) {
                if (b[i] > 0) {
                    a[i] = max - a[i];
                }
            }
        }
        return o;
    }

    /** Whether the trained WMH package is installed under models/. */
    public static boolean hasModel() {
        return Files.isRegularFile(Path.of("models", WmhModel.ID, "rdf.yaml"));
    }
}
