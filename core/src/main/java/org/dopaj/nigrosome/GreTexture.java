package org.dopaj.nigrosome;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;

/**
 * Texture and noise measured on real multi-echo GRE magnitude data, for {@link SmwiPhysicsPhantom}: the relative
 * residual r = |S| / smooth(|S|, FWHM 2 mm) − 1 of the echo-combined (root-mean-square) magnitude inside tissue — what is
 * left of a real image once its anatomy is smoothed away (thermal noise plus sub-millimetre tissue texture and small
 * vessels). The phantom multiplies its proton density by 1 + a·r sampled at a random offset and mirroring.
 *
 * <p>Sources ({@code ${dopaj.shared}/data}, read at run time and never copied into the project): {@code
 * gre/mriresearchtools_small_Mag.nii} (3 echoes, TE 4/8/12 ms, 0.47×0.47×1 mm, MIT) and {@code
 * swi/clearswi_small_Mag.nii} (3 echoes, 0.47×0.47×1 mm, MIT). Neither is midbrain, so the texture is cortical/white
 * matter texture, a stand-in for nigral texture. {@code ${dopaj.shared}}: {@code -Ddopaj.shared=DIR}, {@code
 * DOPAJ_SHARED}, else {@code ../shared}.
 */
public final class GreTexture {
    /** Where the residuals come from, relative to the shared data folder. */
    public static final List<String> SOURCES = List.of("data/gre/mriresearchtools_small_Mag.nii",
            "data/swi/clearswi_small_Mag.nii");

    private static volatile GreTexture instance;

    private final List<Volume> banks;
    private final double residualSd;
    private final double voxelMm;

    private GreTexture(List<Volume> banks, double residualSd, double voxelMm) {
        this.banks = banks;
        this.residualSd = residualSd;
        this.voxelMm = voxelMm;
    }

    /** The shared data folder, or {@code null}. */
    public static Path sharedDir() {
        String p = System.getProperty("dopaj.shared");
        if (p == null || p.isBlank()) {
            p = System.getenv("DOPAJ_SHARED");
        }
        Path d = p == null || p.isBlank() ? Paths.get("..", "shared") : Paths.get(p);
        return Files.isDirectory(d) ? d.toAbsolutePath().normalize() : null;
    }

    /** The banks, loaded once per JVM; refused when the real data are not reachable. */
    public static GreTexture get() {
        GreTexture t = instance;
        if (t == null) {
            synchronized (GreTexture.class) {
                if (instance == null) {
                    instance = load();
                }
                t = instance;
            }
        }
        return t;
    }

    private static GreTexture load() {
        Path shared = sharedDir();
        if (shared == null) {
            throw new DopajException("the realistic SMWI phantom takes its texture from real GRE data in ../shared/data"
                    + " (gre, swi): not found; set -Ddopaj.shared=DIR or DOPAJ_SHARED");
        }
        List<Volume> banks = new ArrayList<>();
        double ss = 0;
        long n = 0;
        double vox = 0.47;
        for (String rel : SOURCES) {
            Path f = shared.resolve(rel);
            if (!Files.isRegularFile(f)) {
                throw new DopajException(f + ": GRE texture source not found");
            }
            Volume all = Nifti.readVolume(f);
            vox = all.grid().voxelMm()[0];
            Volume rms = Volume.allocate(all.grid());
            for (int t = 0; t < all.nt(); t++) {
                Volume e = all.frame(t);
                for (int z = 0; z < rms.nz(); z++) {
                    float[] d = rms.plane(z);
                    float[] s = e.plane(z);
                    for (int i = 0; i < d.length; i++) {
                        d[i] += s[i] * s[i] / all.nt();
                    }
                }
            }
            double max = 0;
            for (float[] p : rms.planes()) {
                for (int i = 0; i < p.length; i++) {
                    p[i] = (float) Math.sqrt(p[i]);
                    max = Math.max(max, p[i]);
                }
            }
            Volume smooth = Gaussian.smooth(rms, 2.0);
            Volume r = Volume.allocate(rms.grid());
            for (int z = 0; z < r.nz(); z++) {
                float[] a = rms.plane(z);
                float[] b = smooth.plane(z);
                float[] o = r.plane(z);
                for (int i = 0; i < o.length; i++) {
                    // tissue only: the background's residual is pure noise on ~0 signal (unbounded ratio)
                    if (b[i] > 0.25 * max) {
                        o[i] = (float) Math.max(-0.6, Math.min(0.6, a[i] / b[i] - 1));
                        ss += o[i] * o[i];
                        n++;
                    }
                }
            }
            banks.add(r);
        }
        return new GreTexture(banks, Math.sqrt(ss / Math.max(1, n)), vox);
    }

    /** Standard deviation of the residual in tissue (both sources pooled). */
    public double residualSd() {
        return residualSd;
    }

    /** What the sidecar and the docs say about the texture. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sources", SOURCES);
        m.put("residual_sd", residualSd);
        m.put("definition", "rms-echo magnitude / Gaussian(FWHM 2 mm) - 1, tissue voxels (smooth > 0.25 max)");
        return m;
    }

    /**
     * A sampler: bank {@code bank}, offset (voxels) and mirroring per axis; positions in mm beyond the bank are mirrored
     * back into it (the banks are smaller than a phantom).
     */
    public Sampler sampler(int bank, double[] offsetVox, boolean[] flip) {
        return new Sampler(banks.get(Math.floorMod(bank, banks.size())), offsetVox.clone(), flip.clone(), voxelMm);
    }

    /** Nearest-voxel lookup of a residual bank at a position in mm (x, y in-plane; z through-plane, 1 mm voxels). */
    public static final class Sampler {
        private final Volume v;
        private final double[] off;
        private final boolean[] flip;
        private final double[] vox;

        Sampler(Volume v, double[] off, boolean[] flip, double inPlane) {
            this.v = v;
            this.off = off;
            this.flip = flip;
            this.vox = new double[]{inPlane, inPlane, v.grid().voxelMm()[2]};
        }

        /** Residual at (x, y, z) mm. */
        public float at(double x, double y, double z) {
            int i = mirror((int) Math.floor(x / vox[0] + off[0]), v.nx(), flip[0]);
            int j = mirror((int) Math.floor(y / vox[1] + off[1]), v.ny(), flip[1]);
            int k = mirror((int) Math.floor(z / vox[2] + off[2]), v.nz(), flip[2]);
            return v.get(i, j, k);
        }

        private static int mirror(int i, int n, boolean flip) {
            int m = Math.floorMod(i, 2 * n);
            int r = m < n ? m : 2 * n - 1 - m;
            return flip ? n - 1 - r : r;
        }
    }
}
