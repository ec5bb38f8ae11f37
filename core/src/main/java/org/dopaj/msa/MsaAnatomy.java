package org.dopaj.msa;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.phantom.HeadPhantom;

/**
 * The anatomy a phantom family starts from, on the MNI152 2 mm grid (91×109×91): tissue fractions (grey matter,
 * white matter, CSF; zero outside the brain) and the regions the disease patterns act on, as weights 0..1 — left and
 * right putamen (with the posterior-lateral gradient of MSA-P folded in: weight 0.35 at the anterior-medial end, 1.0 at
 * the posterior-lateral end), cerebellum, pons and the middle cerebellar peduncles (MCP).
 *
 * <p>Two sources, built differently on purpose (the second family is the check on data the first did not shape):
 * <ul>
 *   <li>{@link #aal}: FSL's MNI152 2 mm FAST partial-volume maps and brain mask; putamen and cerebellum (hemispheres
 *   91–108, vermis 109–116) from the AAL atlas (in the putamen at least 60 % of the tissue is counted as grey matter:
 *   FAST calls much of the template's putamen white matter, SPM-style GD maps do not); pons and MCP as ellipsoids in MNI mm (pons centre (0, −26, −33),
 *   radii 10×11×10 mm; MCP centres (±16, −40, −32), radii 6×9×7 mm).</li>
 *   <li>{@link #icbm}: the ICBM 2009a GM and WM probabilities, CSF = the rest of the skull-stripped ICBM T1's support;
 *   putamen from the ICBM 2009 basal-ganglia labels (14/16), with a linear antero-posterior gradient only (0.5 → 1);
 *   cerebellum defined geometrically (infratentorial brain behind y = −38 mm, under a sloping tentorial plane, minus
 *   the brainstem); pons and MCP as differently placed and shaped ellipsoids (pons (0, −24, −31), radii 12×12×11 mm;
 *   MCP (±19, −42, −30), radii 7×10×8 mm).</li>
 * </ul>
 * Files are read from {@code sharedData} (../shared/data): never copied into the repository.
 */
public final class MsaAnatomy {
    public static final int GM = 0;
    public static final int WM = 1;
    public static final int CSF = 2;
    public static final int PUT_L = 3;
    public static final int PUT_R = 4;
    public static final int CEREBELLUM = 5;
    public static final int PONS = 6;
    public static final int MCP = 7;
    /** Number of maps. */
    public static final int MAPS = 8;

    private final String name;
    private final Grid grid;
    private final float[][] maps;
    private final float[] brain;

    private MsaAnatomy(String name, Grid grid, float[][] maps, float[] brain) {
        this.name = name;
        this.grid = grid;
        this.maps = maps;
        this.brain = brain;
    }

    public String name() {
        return name;
    }

    public Grid grid() {
        return grid;
    }

    /** Map {@code k} (voxel index x fastest); do not modify. */
    public float[] map(int k) {
        return maps[k];
    }

    /** The brain mask (0/1) of the source; do not modify. */
    public float[] brain() {
        return brain;
    }

    /** A map as a new volume. */
    public Volume volume(int k) {
        return Volume.of(grid, maps[k].clone());
    }

    /** Family A's anatomy: MNI152 FAST maps + AAL regions. */
    public static MsaAnatomy aal(Path shared) {
        Grid g = HeadPhantom.mni2mm();
        Volume mask = onGrid(read(shared, "mni152_2mm/MNI152_T1_2mm_Brain_Mask.nii.gz"), g, true);
        Volume[] pve = new Volume[3];
        for (int k = 0; k < 3; k++) {
            pve[k] = onGrid(read(shared, "mni152_2mm/MNI152_T1_2mm_Brain_FAST_pve_" + k + ".nii.gz"), g, false);
        }
        Volume aal = onGrid(read(shared, "atlas/aal.nii.gz"), g, true);
        int n = (int) g.voxelCount();
        float[][] m = new float[MAPS][n];
        float[] brain = new float[n];
        float[] mk = mask.toArray();
        float[] csf = pve[0].toArray();
        float[] gm = pve[1].toArray();
        float[] wm = pve[2].toArray();
        float[] lab = aal.toArray();
        for (int i = 0; i < n; i++) {
            if (mk[i] > 0.5f) {
                brain[i] = 1;
                setTissue(m, i, csf[i], gm[i], wm[i]);
            }
            int l = Math.round(lab[i]);
            if ((l == 73 || l == 74) && brain[i] > 0) {
                // FAST calls much of the MNI152 putamen white matter; SPM-style segmentations (the paper's GD) call
                // deep grey matter grey: at least 60 % of the tissue there is GM
                float t = m[GM][i] + m[WM][i];
                if (m[GM][i] < 0.6f * t) {
                    m[GM][i] = 0.6f * t;
                    m[WM][i] = 0.4f * t;
                }
            }
            if (l == 73) {
                m[PUT_L][i] = 1;
            } else if (l == 74) {
                m[PUT_R][i] = 1;
            } else {
                m[CEREBELLUM][i] = aalCerebellum(l);
            }
        }
        putamenGradient(g, m[PUT_L], 0.35, 0.6, 0.4);
        putamenGradient(g, m[PUT_R], 0.35, 0.6, 0.4);
        ellipsoid(g, m[PONS], brain, new double[] {0, -26, -33}, new double[] {10, 11, 10});
        ellipsoid(g, m[MCP], brain, new double[] {16, -40, -32}, new double[] {6, 9, 7});
        ellipsoid(g, m[MCP], brain, new double[] {-16, -40, -32}, new double[] {6, 9, 7});
        return new MsaAnatomy("aal", g, m, brain);
    }

    /** Family B's anatomy: ICBM 2009a tissue maps, ICBM basal-ganglia putamen, geometric cerebellum. */
    public static MsaAnatomy icbm(Path shared) {
        Grid g = HeadPhantom.mni2mm();
        Volume t1 = onGrid(read(shared, "icbm2009a/mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz"), g, false);
        Volume gmV = onGrid(read(shared, "icbm2009a/mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz"), g, false);
        Volume wmV = onGrid(read(shared, "icbm2009a/mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz"), g, false);
        Volume bg = onGrid(read(shared, "atlas/mni_basal_ganglia.nii.gz"), g, true);
        int n = (int) g.voxelCount();
        float[] t = t1.toArray();
        float[] gm = scaled01(gmV.toArray());
        float[] wm = scaled01(wmV.toArray());
        float[] lab = bg.toArray();
        float tmax = 0;
        for (float v : t) {
            tmax = Math.max(tmax, v);
        }
        float[][] m = new float[MAPS][n];
        float[] brain = new float[n];
        for (int i = 0; i < n; i++) {
            if (t[i] > 0.05f * tmax || gm[i] + wm[i] > 0.3f) {
                brain[i] = 1;
                float tissue = Math.min(1f, gm[i] + wm[i]);
                float s = gm[i] + wm[i];
                m[GM][i] = s > 0 ? gm[i] / s * tissue : 0;
                m[WM][i] = s > 0 ? wm[i] / s * tissue : 0;
                m[CSF][i] = 1 - tissue;
            }
            int l = Math.round(lab[i]);
            if (l == 14) {
                m[PUT_L][i] = 1;
            } else if (l == 16) {
                m[PUT_R][i] = 1;
            }
        }
        // which label is left is decided by position, not assumed: swap when "left" lies at x > 0
        if (meanX(g, m[PUT_L]) > 0) {
            float[] tmp = m[PUT_L];
            m[PUT_L] = m[PUT_R];
            m[PUT_R] = tmp;
        }
        putamenGradient(g, m[PUT_L], 0.5, 1.0, 0.0);
        putamenGradient(g, m[PUT_R], 0.5, 1.0, 0.0);
        int nx = g.nx();
        int ny = g.ny();
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * (y + ny * z);
                    if (brain[i] == 0) {
                        continue;
                    }
                    double[] p = g.toMm(x, y, z);
                    double tentorium = -14 + 0.3 * (-60 - p[1]);
                    boolean infra = p[1] < -38 && p[2] < tentorium && p[2] > -75;
                    boolean stem = Math.abs(p[0]) < 9 && p[1] > -50;
                    if (infra && !stem) {
                        m[CEREBELLUM][i] = m[GM][i] + m[WM][i] > 0.2f ? 1 : 0;
                    }
                }
            }
        }
        ellipsoid(g, m[PONS], brain, new double[] {0, -24, -31}, new double[] {12, 12, 11});
        ellipsoid(g, m[MCP], brain, new double[] {19, -42, -30}, new double[] {7, 10, 8});
        ellipsoid(g, m[MCP], brain, new double[] {-19, -42, -30}, new double[] {7, 10, 8});
        return new MsaAnatomy("icbm", g, m, brain);
    }

    /** Colin 27 (Debian's mricron-data), the third anatomy source: {@link #colin}. */
    public static final Path COLIN_BRAIN = Path.of("/usr/share/mricron/templates/ch2bet.nii.gz");
    /** The JHU white-matter labels on the MNI152 2 mm grid (mricron-data): pons and MCP of {@link #colin}. */
    public static final Path JHU_LABELS = Path.of("/usr/share/mricron/templates/JHU-WhiteMatter-labels-2mm.nii.gz");

    /**
     * A third anatomy, for training: Colin 27's own brain (one person scanned 27 times, in MNI space but not the
     * MNI152 average) segmented here by a three-class Gaussian mixture of its intensities on its 1 mm grid (no spatial
     * priors: another segmentation than FAST's and ICBM's), posteriors averaged onto the 2 mm grid; putamen from the
     * AICHA atlas (183/184, split by side) with a posterior-lateral gradient (0.4 → 1); cerebellum from the AAL atlas;
     * pons and MCP from the JHU white-matter labels (pontine crossing tract, corticospinal tracts and medial lemnisci
     * between z −42 and −18 mm for the pons; the middle cerebellar peduncle label at 8 mm &lt; |x| &lt; 22 mm, in front
     * of y = −50 mm, where it leaves the pons and before it fans out into the cerebellar white matter).
     */
    public static MsaAnatomy colin(Path shared) {
        if (!Files.isRegularFile(COLIN_BRAIN) || !Files.isRegularFile(JHU_LABELS)) {
            throw new DopajException("Colin 27 or the JHU labels missing (" + COLIN_BRAIN + ", " + JHU_LABELS
                    + "): install Debian's mricron-data");
        }
        Grid g = HeadPhantom.mni2mm();
        Volume t1 = Nifti.readVolume(COLIN_BRAIN);
        float[] v = t1.toArray();
        float[][] post = mixture3(v);
        Volume[] tissue = new Volume[3];
        for (int c = 0; c < 3; c++) {
            // a 2 mm voxel's fraction: the mean of its 1 mm posteriors (a 2 mm box ≈ Gaussian of 2 mm FWHM)
            tissue[c] = Resample.toGrid(Gaussian.smooth(Volume.of(t1.grid(), post[c]), 2), g,
                    Resample.Interpolation.LINEAR, 0);
        }
        float[] inside = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            inside[i] = v[i] > 0 ? 1 : 0;
        }
        float[] brainFrac = Resample.toGrid(Volume.of(t1.grid(), inside), g, Resample.Interpolation.LINEAR, 0).toArray();
        Volume aicha = onGrid(read(shared, "atlas/AICHAmc.nii.gz"), g, true);
        Volume aal = onGrid(read(shared, "atlas/aal.nii.gz"), g, true);
        float[] jhu = onGrid(Nifti.readVolume(JHU_LABELS), g, true).toArray();
        int n = (int) g.voxelCount();
        int nx = g.nx();
        int ny = g.ny();
        float[][] m = new float[MAPS][n];
        float[] brain = new float[n];
        float[] csf = tissue[0].toArray();
        float[] gm = tissue[1].toArray();
        float[] wm = tissue[2].toArray();
        float[] la = aicha.toArray();
        float[] lb = aal.toArray();
        float[] pons = new float[n];
        float[] mcp = new float[n];
        for (int i = 0; i < n; i++) {
            double[] p = g.toMm(i % nx, (i / nx) % ny, i / (nx * ny));
            if (brainFrac[i] >= 0.5f) {
                brain[i] = 1;
                setTissue(m, i, csf[i], gm[i], wm[i]);
            }
            int a = Math.round(la[i]);
            if (a == 183 || a == 184) {
                m[p[0] < 0 ? PUT_L : PUT_R][i] = 1;
            }
            m[CEREBELLUM][i] = aalCerebellum(Math.round(lb[i]));
            int j = Math.round(jhu[i]);
            if ((j == 2 || (j >= 7 && j <= 10)) && p[2] > -42 && p[2] < -18) {
                pons[i] = 1;
            } else if (j == 1 && Math.abs(p[0]) > 8 && Math.abs(p[0]) < 22 && p[1] > -50) {
                mcp[i] = 1;
            }
        }
        putamenGradient(g, m[PUT_L], 0.4, 0.7, 0.3);
        putamenGradient(g, m[PUT_R], 0.4, 0.7, 0.3);
        m[PONS] = pons;
        m[MCP] = mcp;
        return new MsaAnatomy("colin", g, m, brain);
    }

    /**
     * Posteriors of a three-class Gaussian mixture (CSF, GM, WM by ascending mean: T1-weighted) of the positive
     * voxels' intensities, started at their 15th, 55th and 85th percentiles; 40 EM iterations. 0 elsewhere.
     */
    static float[][] mixture3(float[] v) {
        int cnt = 0;
        for (float x : v) {
            cnt += x > 0 ? 1 : 0;
        }
        float[] in = new float[cnt];
        int k = 0;
        for (float x : v) {
            if (x > 0) {
                in[k++] = x;
            }
        }
        float[] sorted = in.clone();
        java.util.Arrays.sort(sorted);
        double[] mu = {sorted[(int) (0.15 * cnt)], sorted[(int) (0.55 * cnt)], sorted[(int) (0.85 * cnt)]};
        double spread = sorted[(int) (0.95 * cnt)] - sorted[(int) (0.05 * cnt)];
        double[] var = {spread * spread / 36, spread * spread / 36, spread * spread / 36};
        double[] w = {1 / 3.0, 1 / 3.0, 1 / 3.0};
        double[] l = new double[3];
        for (int it = 0; it < 40; it++) {
            double[] sw = new double[3];
            double[] s1 = new double[3];
            double[] s2 = new double[3];
            for (float x : in) {
                double tot = 0;
                for (int c = 0; c < 3; c++) {
                    double d = x - mu[c];
                    l[c] = w[c] * Math.exp(-0.5 * d * d / var[c]) / Math.sqrt(var[c]);
                    tot += l[c];
                }
                for (int c = 0; c < 3; c++) {
                    double r = tot > 0 ? l[c] / tot : 1 / 3.0;
                    sw[c] += r;
                    s1[c] += r * x;
                    s2[c] += r * x * (double) x;
                }
            }
            for (int c = 0; c < 3; c++) {
                mu[c] = s1[c] / Math.max(1e-12, sw[c]);
                var[c] = Math.max(1e-6 * (mu[c] * mu[c] + 1), s2[c] / Math.max(1e-12, sw[c]) - mu[c] * mu[c]);
                w[c] = sw[c] / cnt;
            }
        }
        float[][] post = new float[3][v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] <= 0) {
                continue;
            }
            double tot = 0;
            for (int c = 0; c < 3; c++) {
                double d = v[i] - mu[c];
                l[c] = w[c] * Math.exp(-0.5 * d * d / var[c]) / Math.sqrt(var[c]);
                tot += l[c];
            }
            for (int c = 0; c < 3; c++) {
                post[c][i] = (float) (tot > 0 ? l[c] / tot : 1 / 3.0);
            }
        }
        return post;
    }

    /** Voxel i's GM/WM/CSF fractions from partial-volume estimates, summing to 1 (all CSF where there is no tissue). */
    private static void setTissue(float[][] m, int i, float csf, float gm, float wm) {
        float s = csf + gm + wm;
        if (s < 0.05f) {
            m[CSF][i] = 1;
        } else {
            m[GM][i] = gm / s;
            m[WM][i] = wm / s;
            m[CSF][i] = csf / s;
        }
    }

    /** Cerebellum weight of an AAL label: hemispheres 91–108 count 1, the vermis 109–116 0.8, anything else 0. */
    private static float aalCerebellum(int label) {
        return label >= 91 && label <= 108 ? 1f : label >= 109 && label <= 116 ? 0.8f : 0f;
    }

    private static float[] scaled01(float[] v) {
        float max = 0;
        for (float x : v) {
            max = Math.max(max, x);
        }
        float s = max > 1.5f ? 1f / max : 1f;
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = Math.max(0, Math.min(1, v[i] * s));
        }
        return o;
    }

    private static double meanX(Grid g, float[] w) {
        double s = 0;
        double n = 0;
        int nx = g.nx();
        int ny = g.ny();
        for (int i = 0; i < w.length; i++) {
            if (w[i] > 0) {
                s += g.toMm(i % nx, (i / nx) % ny, i / (nx * ny))[0];
                n++;
            }
        }
        return n == 0 ? 0 : s / n;
    }

    /**
     * Replaces a 0/1 putamen mask by weights lo..1 that grow toward its posterior (weight {@code wPost}) and lateral
     * (weight {@code wLat}) ends, along the structure's own extents.
     */
    static void putamenGradient(Grid g, float[] m, double lo, double wPost, double wLat) {
        int nx = g.nx();
        int ny = g.ny();
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        double aMin = Double.MAX_VALUE;
        double aMax = -Double.MAX_VALUE;
        for (int i = 0; i < m.length; i++) {
            if (m[i] > 0) {
                double[] p = g.toMm(i % nx, (i / nx) % ny, i / (nx * ny));
                yMin = Math.min(yMin, p[1]);
                yMax = Math.max(yMax, p[1]);
                aMin = Math.min(aMin, Math.abs(p[0]));
                aMax = Math.max(aMax, Math.abs(p[0]));
            }
        }
        if (yMin > yMax) {
            throw new DopajException("putamen label missing from the atlas");
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i] > 0) {
                double[] p = g.toMm(i % nx, (i / nx) % ny, i / (nx * ny));
                double post = (yMax - p[1]) / Math.max(1, yMax - yMin);
                double lat = (Math.abs(p[0]) - aMin) / Math.max(1, aMax - aMin);
                double t = Math.max(0, Math.min(1, wPost * post + wLat * lat));
                m[i] = (float) (lo + (1 - lo) * t);
            }
        }
    }

    /** Sets weight 1 in an axis-aligned ellipsoid (mm), inside the brain. */
    static void ellipsoid(Grid g, float[] m, float[] brain, double[] c, double[] r) {
        int nx = g.nx();
        int ny = g.ny();
        for (int i = 0; i < m.length; i++) {
            if (brain[i] == 0) {
                continue;
            }
            double[] p = g.toMm(i % nx, (i / nx) % ny, i / (nx * ny));
            double d = 0;
            for (int a = 0; a < 3; a++) {
                double u = (p[a] - c[a]) / r[a];
                d += u * u;
            }
            if (d <= 1) {
                m[i] = 1;
            }
        }
    }

    static Volume onGrid(Volume v, Grid g, boolean labels) {
        if (v.nx() == g.nx() && v.ny() == g.ny() && v.nz() == g.nz() && v.grid().sameAs(g, 0.01)) {
            return v;
        }
        return Resample.toGrid(v, g, labels ? Resample.Interpolation.NEAREST : Resample.Interpolation.LINEAR, 0);
    }

    static Volume read(Path shared, String rel) {
        Path p = shared.resolve(rel);
        if (!Files.isRegularFile(p)) {
            throw new DopajException("shared data file missing: " + p + " (see ../shared/data/README.md)");
        }
        return Nifti.readVolume(p);
    }
}
