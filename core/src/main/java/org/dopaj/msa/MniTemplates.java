package org.dopaj.msa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.phantom.HeadPhantom;

/**
 * The MNI152 2 mm templates the map makers normalise to: the T1 head and brain, the brain mask and FAST's CSF/GM/WM
 * partial-volume maps (tissue priors), in the layout of ../shared/data ({@code mni152_2mm/MNI152_T1_2mm.nii.gz}, …).
 * They are FSL's (MNI/McGill notice) and not bundled with DopaJ: the folder holding {@code mni152_2mm/} is found at
 * {@code --templates DIR}, {@code -Ddopaj.templates=DIR}, {@code $DOPAJ_TEMPLATES}, or {@code ../shared/data} /
 * {@code shared/data} relative to the working folder or to {@code -Ddopaj.home}.
 */
public record MniTemplates(Volume t1, Volume t1Brain, Volume brainMask, Volume csf, Volume gm, Volume wm) {
    static final String DIR = "mni152_2mm/";

    /** Finds and reads the templates; {@code explicit} (may be null) wins. */
    public static MniTemplates find(Path explicit) {
        return load(locate(explicit));
    }

    /** The folder holding mni152_2mm/. */
    public static Path locate(Path explicit) {
        List<Path> tried = new ArrayList<>();
        if (explicit != null) {
            return check(explicit);
        }
        String p = System.getProperty("dopaj.templates");
        if (p != null && !p.isBlank()) {
            return check(Path.of(p));
        }
        String env = System.getenv("DOPAJ_TEMPLATES");
        if (env != null && !env.isBlank()) {
            return check(Path.of(env));
        }
        List<Path> bases = new ArrayList<>();
        bases.add(Path.of("").toAbsolutePath());
        String home = System.getProperty("dopaj.home");
        if (home != null) {
            bases.add(Path.of(home).toAbsolutePath());
        }
        for (Path b : bases) {
            for (String rel : new String[] {"../shared/data", "shared/data"}) {
                Path c = b.resolve(rel).normalize();
                tried.add(c);
                if (Files.isRegularFile(c.resolve(DIR + "MNI152_T1_2mm.nii.gz"))) {
                    return c;
                }
            }
        }
        throw new DopajException("MNI152 2 mm templates not found (tried " + tried + "); give --templates DIR, the folder"
                + " holding mni152_2mm/MNI152_T1_2mm.nii.gz and its FAST maps");
    }

    private static Path check(Path d) {
        if (!Files.isRegularFile(d.resolve(DIR + "MNI152_T1_2mm.nii.gz"))) {
            throw new DopajException(d + ": no " + DIR + "MNI152_T1_2mm.nii.gz there (templates folder)");
        }
        return d;
    }

    public static MniTemplates load(Path d) {
        Grid g = HeadPhantom.mni2mm();
        return new MniTemplates(read(d, "MNI152_T1_2mm.nii.gz", g), read(d, "MNI152_T1_2mm_Brain.nii.gz", g),
                read(d, "MNI152_T1_2mm_Brain_Mask.nii.gz", g), read(d, "MNI152_T1_2mm_Brain_FAST_pve_0.nii.gz", g),
                read(d, "MNI152_T1_2mm_Brain_FAST_pve_1.nii.gz", g), read(d, "MNI152_T1_2mm_Brain_FAST_pve_2.nii.gz", g));
    }

    private static Volume read(Path d, String name, Grid g) {
        Path f = d.resolve(DIR + name);
        if (!Files.isRegularFile(f)) {
            throw new DopajException("template file missing: " + f);
        }
        return MsaAnatomy.onGrid(Nifti.readVolume(f), g, false);
    }
}
