package org.dopaj.brainmask;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dopaj.DopajException;
import org.dopaj.image.Components;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;

/**
 * Soft tissue-class maps of a real head, the raw material of brain-mask training by synthesis
 * (SynthStrip-style: the network never sees a template's intensities, only images drawn from these labels).
 *
 * <p>Built from the FSL MNI152 T1 2 mm template ({@code mni152_2mm/}): inside its brain mask the classes
 * are the FAST partial-volume maps (CSF, GM, WM; mask voxels without FAST tissue count as CSF); outside
 * it, the head's own T1 intensities give four non-brain classes with fixed thresholds on the template's
 * intensity scale (brain-tissue range ≈ 500–8200, measured): background (outside the head, i.e. T1 &lt;
 * {@value #HEAD_T1} and not enclosed by the head), bone (&lt; {@value #BONE_T1}), fluid/dura
 * ({@value #BONE_T1}–{@value #FLUID_T1}), muscle/soft tissue ({@value #FLUID_T1}–{@value #FAT_T1}) and
 * fat/marrow (&gt; {@value #FAT_T1}). The template stops at z = −72 mm, just below the cerebellum; real scans
 * often go on into the neck, so the grid is extended {@value #NECK_VOXELS} voxels downward by repeating the
 * lowest slice's non-brain labels, with its brain labels turned into muscle (a neck, not a brain).
 *
 * <p>A second variant ({@link #icbmComposite}) puts the ICBM 2009a brain (GM and WM probabilities, CSF =
 * the rest of its skull-stripped T1's support) into the same head, for a second brain shape and a second
 * brain-mask convention.
 */
public final class TissueMaps {
    /** Class indices (channel order). */
    public static final int BACKGROUND = 0;
    public static final int CSF = 1;
    public static final int GM = 2;
    public static final int WM = 3;
    public static final int BONE = 4;
    public static final int FLUID = 5;
    public static final int MUSCLE = 6;
    public static final int FAT = 7;
    public static final int CLASSES = 8;
    public static final String[] NAMES = {"background", "csf", "grey matter", "white matter", "bone",
        "extra-cerebral fluid/dura", "muscle/soft tissue", "fat/marrow"};

    static final double HEAD_T1 = 900;
    static final double BONE_T1 = 1800;
    static final double FLUID_T1 = 3200;
    static final double FAT_T1 = 5500;
    static final int NECK_VOXELS = 20;

    /** The FSL MNI152 2 mm files used, relative to the shared data folder. */
    public static final String MNI_HEAD = "mni152_2mm/MNI152_T1_2mm.nii.gz";
    public static final String MNI_MASK = "mni152_2mm/MNI152_T1_2mm_Brain_Mask.nii.gz";
    public static final String MNI_PVE = "mni152_2mm/MNI152_T1_2mm_Brain_FAST_pve_%d.nii.gz";
    public static final String ICBM_T1 = "icbm2009a/mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz";
    public static final String ICBM_GM = "icbm2009a/mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz";
    public static final String ICBM_WM = "icbm2009a/mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz";

    private final Grid grid;
    private final float[][] channels; // [class][x + nx*(y + ny*z)]
    private final float[] brain;      // brain mask 0/1
    private final float[] intracranial; // intracranial mask 0/1 (brain + CSF to the inner skull), contains brain
    private final double[] intracranialFractions; // share of intracranial voxels per class
    private final double[] fractions; // share of head (non-background) voxels per class
    private final double[] headCentreMm;
    private final double headTopMm;

    private TissueMaps(Grid grid, float[][] channels, float[] brain, float[] intracranial) {
        this.grid = grid;
        this.channels = channels;
        this.brain = brain;
        for (int i = 0; i < brain.length; i++) {
            if (brain[i] > 0.5f) {
                intracranial[i] = 1; // the intracranial mask holds the brain by definition
            }
        }
        this.intracranial = intracranial;
        double[] fi = new double[CLASSES];
        double ti = 0;
        for (int i = 0; i < brain.length; i++) {
            if (intracranial[i] > 0.5f) {
                for (int k = 1; k < CLASSES; k++) {
                    fi[k] += channels[k][i];
                }
                ti++;
            }
        }
        for (int k = 1; k < CLASSES; k++) {
            fi[k] /= Math.max(1, ti);
        }
        this.intracranialFractions = fi;
        double[] f = new double[CLASSES];
        double total = 0;
        double[] c = new double[3];
        double cn = 0;
        int nx = grid.nx();
        int ny = grid.ny();
        for (int i = 0; i < brain.length; i++) {
            double head = 1 - channels[BACKGROUND][i];
            for (int k = 1; k < CLASSES; k++) {
                f[k] += channels[k][i];
            }
            total += head;
            if (head > 0.5) {
                double[] mm = grid.toMm(i % nx, (i / nx) % ny, i / (nx * ny));
                for (int a = 0; a < 3; a++) {
                    c[a] += mm[a];
                }
                cn++;
            }
        }
        for (int k = 1; k < CLASSES; k++) {
            f[k] /= total;
        }
        this.fractions = f;
        this.headCentreMm = new double[] {c[0] / cn, c[1] / cn, c[2] / cn};
        // Top of the head as inference finds it (BrainMasker.headGeometry): the highest axial plane holding at
        // least 1 % of the fullest plane's head voxels. The grids here are axis-aligned (k = inferior->superior).
        int[] perZ = new int[grid.nz()];
        int maxPlane = 0;
        for (int i = 0; i < brain.length; i++) {
            if (channels[BACKGROUND][i] < 0.5f) {
                maxPlane = Math.max(maxPlane, ++perZ[i / (nx * ny)]);
            }
        }
        int top = 0;
        for (int z = 0; z < perZ.length; z++) {
            if (perZ[z] >= 0.01 * maxPlane) {
                top = z;
            }
        }
        this.headTopMm = grid.toMm(0, 0, top)[2];
    }

    /** The MNI152 head with its FAST tissue maps, from {@code sharedData} (the folder holding mni152_2mm/). */
    public static TissueMaps mni152(Path sharedData) {
        Volume head = read(sharedData, MNI_HEAD);
        Volume mask = read(sharedData, MNI_MASK);
        Volume[] pve = new Volume[3];
        for (int k = 0; k < 3; k++) {
            pve[k] = read(sharedData, String.format(MNI_PVE, k));
        }
        Grid g = extendedGrid(head.grid());
        Volume headX = Resample.toGrid(head, g, Resample.Interpolation.NEAREST, 0);
        Volume maskX = Resample.toGrid(mask, g, Resample.Interpolation.NEAREST, 0);
        float[][] pveX = new float[3][];
        for (int k = 0; k < 3; k++) {
            pveX[k] = Resample.toGrid(pve[k], g, Resample.Interpolation.NEAREST, 0).toArray();
        }
        float[] t1 = headX.toArray();
        float[] m = maskX.toArray();
        float[] inHead = enclosedHead(t1, g);
        int n = t1.length;
        float[] tissue = new float[n];
        for (int i = 0; i < n; i++) {
            tissue[i] = m[i] > 0.5f ? pveX[1][i] + pveX[2][i] : 0;
        }
        float[] brain = tissueBrain(Volume.of(g, tissue)).toArray();
        float[][] ch = new float[CLASSES][n];
        for (int i = 0; i < n; i++) {
            if (m[i] > 0.5f) {
                // FSL's mask is generous (a shell of extra-cerebral CSF): voxels outside the tissue brain keep
                // their FAST classes (mostly CSF) but are not brain
                float s = pveX[0][i] + pveX[1][i] + pveX[2][i];
                if (s < 0.3f) {
                    ch[CSF][i] = 1;
                } else {
                    ch[CSF][i] = pveX[0][i] / s;
                    ch[GM][i] = pveX[1][i] / s;
                    ch[WM][i] = pveX[2][i] / s;
                }
            } else {
                ch[nonBrainClass(t1[i], inHead[i] > 0)][i] = 1;
            }
        }
        extendNeck(ch, brain, g);
        // FSL's MNI152 mask is the intracranial convention (brain + CSF out to the inner skull); its neck planes
        // (added below the template) are outside the grid it was resampled from, hence 0
        float[] icv = new float[n];
        for (int i = 0; i < n; i++) {
            icv[i] = m[i] > 0.5f ? 1 : 0;
        }
        return new TissueMaps(g, ch, brain, icv);
    }

    /**
     * The MNI152 head with the ICBM 2009a brain in place of its own: GM/WM from the ICBM probabilities and CSF
     * the rest of the skull-stripped ICBM T1's support (&gt; 5 % of its maximum); MNI brain voxels outside that
     * support become extra-cerebral fluid. Brain = {@link #tissueBrain} of the ICBM GM + WM.
     */
    public static TissueMaps icbmComposite(Path sharedData, TissueMaps mni) {
        Grid g = mni.grid;
        float[] t1 = Resample.toGrid(read(sharedData, ICBM_T1), g, Resample.Interpolation.LINEAR, 0).toArray();
        float[] gm = Resample.toGrid(read(sharedData, ICBM_GM), g, Resample.Interpolation.LINEAR, 0).toArray();
        float[] wm = Resample.toGrid(read(sharedData, ICBM_WM), g, Resample.Interpolation.LINEAR, 0).toArray();
        float max = 0;
        for (float v : t1) {
            max = Math.max(max, v);
        }
        int n = t1.length;
        float[] tissue = new float[n];
        for (int i = 0; i < n; i++) {
            tissue[i] = t1[i] > 0.05f * max ? Math.max(0, gm[i] / 255f) + Math.max(0, wm[i] / 255f) : 0;
        }
        float[] brain = tissueBrain(Volume.of(g, tissue)).toArray();
        float[][] ch = new float[CLASSES][n];
        for (int i = 0; i < n; i++) {
            if (t1[i] > 0.05f * max) {
                float pg = Math.max(0, gm[i] / 255f);
                float pw = Math.max(0, wm[i] / 255f);
                float s = pg + pw;
                if (s > 1) {
                    pg /= s;
                    pw /= s;
                }
                ch[GM][i] = pg;
                ch[WM][i] = pw;
                ch[CSF][i] = 1 - pg - pw;
            } else if (mni.brain[i] > 0.5f) {
                ch[FLUID][i] = 1;
            } else {
                for (int k = 0; k < CLASSES; k++) {
                    ch[k][i] = mni.channels[k][i];
                }
            }
        }
        float[] icv = new float[n];
        for (int i = 0; i < n; i++) {
            icv[i] = mni.intracranial[i] > 0.5f || t1[i] > 0.05f * max ? 1 : 0;
        }
        return new TissueMaps(g, ch, brain, icv);
    }

    /**
     * Tissue maps of a real individual head from its T1 image and an intracranial mask on the same field of view
     * (the {@code realheads/} silver masks), on the 2 mm RAS grid covering the image
     * ({@link BrainMasker#workingGrid}; both images smoothed before the down-sampling as at inference). Classes by
     * intensity clustering, the method documented in docs/brain-mask.md:
     * <ul>
     * <li>head = T1 above 10 % of the 97.5th percentile of the voxels above the image's mean, with the enclosed
     *     dark voxels (skull, sinuses) added plane by plane; the rest is background;</li>
     * <li>inside the mask: 1D k-means with three centres (started at the 10th, 50th, 90th percentile of the mask's
     *     T1 values), sorted as CSF &lt; GM &lt; WM; partial volume by linear interpolation between neighbouring
     *     centres (below the CSF centre: CSF; above the WM centre: WM);</li>
     * <li>outside the mask, inside the head: k-means with four centres, sorted as bone &lt; extra-cerebral fluid
     *     &lt; muscle &lt; fat (hard classes);</li>
     * <li>a voxel whose 2 mm mask fraction f lies between 0 and 1 mixes both: f × inside classes + (1 − f) ×
     *     outside class;</li>
     * <li>intracranial = f ≥ 0.5; brain = {@link #tissueBrain} of f × (GM + WM), inside the intracranial mask.</li>
     * </ul>
     */
    public static TissueMaps realHead(Path t1File, Path intracranialFile) {
        if (!Files.isRegularFile(t1File) || !Files.isRegularFile(intracranialFile)) {
            throw new DopajException("training data file missing: " + (Files.isRegularFile(t1File) ? intracranialFile
                    : t1File));
        }
        Volume t1In = Nifti.readVolume(t1File);
        Volume maskIn = Nifti.readVolume(intracranialFile);
        Grid g = BrainMasker.workingGrid(t1In.grid());
        float[] t1 = Resample.toGrid(BrainMasker.antiAlias(t1In), g, Resample.Interpolation.LINEAR, 0).toArray();
        Volume maskBin = Volume.allocate(maskIn.grid());
        for (int z = 0; z < maskIn.nz(); z++) {
            float[] a = maskIn.plane(z);
            float[] o = maskBin.plane(z);
            for (int i = 0; i < a.length; i++) {
                o[i] = a[i] > 0 ? 1 : 0;
            }
        }
        float[] f = Resample.toGrid(BrainMasker.antiAlias(maskBin), g, Resample.Interpolation.LINEAR, 0).toArray();
        int n = t1.length;
        // head
        double mean = 0;
        for (float v : t1) {
            mean += v;
        }
        mean /= n;
        float[] above = new float[n];
        int na = 0;
        for (float v : t1) {
            if (v > mean) {
                above[na++] = v;
            }
        }
        float[] sorted = java.util.Arrays.copyOf(above, na);
        java.util.Arrays.sort(sorted);
        double q = sorted[(int) Math.floor(0.975 * (na - 1))];
        Volume bright = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            float[] p = bright.plane(z);
            int off = z * g.nx() * g.ny();
            for (int i = 0; i < p.length; i++) {
                p[i] = t1[off + i] > 0.1 * q || f[off + i] >= 0.5f ? 1 : 0;
            }
        }
        float[] head = Components.fillHolesSliceWise(Components.largestComponent(bright, 26), 4).toArray();
        // clusters
        double[] in = kmeans(t1, f, head, true, 3);
        double[] out = kmeans(t1, f, head, false, 4);
        float[][] ch = new float[CLASSES][n];
        float[] gmwm = new float[n];
        float[] icv = new float[n];
        int[] outside = {BONE, FLUID, MUSCLE, FAT};
        for (int i = 0; i < n; i++) {
            if (head[i] == 0 && f[i] < 0.5f) {
                ch[BACKGROUND][i] = 1;
                continue;
            }
            float fi = Math.max(0, Math.min(1, f[i]));
            double v = t1[i];
            double csf;
            double gm;
            double wm;
            if (v <= in[0]) {
                csf = 1;
                gm = 0;
                wm = 0;
            } else if (v <= in[1]) {
                gm = (v - in[0]) / (in[1] - in[0]);
                csf = 1 - gm;
                wm = 0;
            } else if (v <= in[2]) {
                wm = (v - in[1]) / (in[2] - in[1]);
                gm = 1 - wm;
                csf = 0;
            } else {
                csf = 0;
                gm = 0;
                wm = 1;
            }
            ch[CSF][i] = (float) (fi * csf);
            ch[GM][i] = (float) (fi * gm);
            ch[WM][i] = (float) (fi * wm);
            int best = 0;
            for (int k = 1; k < out.length; k++) {
                if (Math.abs(v - out[k]) < Math.abs(v - out[best])) {
                    best = k;
                }
            }
            ch[outside[best]][i] += 1 - fi;
            gmwm[i] = (float) (fi * (gm + wm));
            icv[i] = fi >= 0.5f ? 1 : 0;
        }
        float[] brain = tissueBrain(Volume.of(g, gmwm)).toArray();
        for (int i = 0; i < n; i++) {
            if (icv[i] == 0) {
                brain[i] = 0;
            }
        }
        return new TissueMaps(g, ch, brain, icv);
    }

    /**
     * 1D k-means of {@code t1} over the voxels inside ({@code inside}: mask fraction ≥ 0.5) or outside the mask
     * but in the head; centres start at evenly spaced percentiles and come back sorted ascending.
     */
    static double[] kmeans(float[] t1, float[] f, float[] head, boolean inside, int k) {
        int n = 0;
        float[] vals = new float[t1.length];
        for (int i = 0; i < t1.length; i++) {
            boolean in = f[i] >= 0.5f;
            if (inside ? in : !in && head[i] != 0) {
                vals[n++] = t1[i];
            }
        }
        if (n < k) {
            throw new DopajException("too few voxels " + (inside ? "inside" : "outside") + " the mask to cluster");
        }
        float[] v = java.util.Arrays.copyOf(vals, n);
        java.util.Arrays.sort(v);
        double[] c = new double[k];
        for (int j = 0; j < k; j++) {
            c[j] = v[(int) ((n - 1) * (0.1 + 0.8 * j / (k - 1.0)))];
        }
        for (int it = 0; it < 50; it++) {
            double[] sum = new double[k];
            long[] cnt = new long[k];
            int j = 0;
            for (float x : v) { // sorted: the nearest centre index only grows
                while (j + 1 < k && Math.abs(x - c[j + 1]) < Math.abs(x - c[j])) {
                    j++;
                }
                sum[j] += x;
                cnt[j]++;
            }
            boolean moved = false;
            for (int a = 0; a < k; a++) {
                double nc = cnt[a] > 0 ? sum[a] / cnt[a] : c[a];
                moved |= Math.abs(nc - c[a]) > 1e-6 * (1 + Math.abs(c[a]));
                c[a] = nc;
            }
            java.util.Arrays.sort(c);
            if (!moved) {
                break;
            }
        }
        return c;
    }

    /** Closing radius of the tissue convention (mm): sulci and fissures narrower than about 2·this are brain. */
    public static final double TISSUE_CLOSING_MM = 4;

    /**
     * DopaJ's brain-mask convention, from grey + white matter probability ({@code gmPlusWm}, 0…1): tissue &gt; 0.5, closed with a {@value #TISSUE_CLOSING_MM} mm ball (sulcal and fissural CSF
     * in), holes filled (ventricles in), largest 26-connected component. The outer border is the brain's own
     * surface, as in BET-, FreeSurfer- and SynthStrip-style masks — not the generous shell of extra-cerebral CSF
     * of FSL's MNI152 template mask (about 15 % larger on the same head; measured in docs/validation/brain-mask.md).
     */
    public static Volume tissueBrain(Volume gmPlusWm) {
        Volume t = Volume.allocate(gmPlusWm.grid());
        for (int z = 0; z < t.nz(); z++) {
            float[] a = gmPlusWm.plane(z);
            float[] o = t.plane(z);
            for (int i = 0; i < a.length; i++) {
                o[i] = a[i] > 0.5f ? 1 : 0;
            }
        }
        Volume c = Components.close(t, TISSUE_CLOSING_MM);
        c = Components.fillHoles(c, 6);
        return Components.largestComponent(c, 26);
    }

    static int nonBrainClass(float t1, boolean inHead) {
        if (!inHead) {
            return BACKGROUND;
        }
        if (t1 < BONE_T1) {
            return BONE;
        }
        if (t1 < FLUID_T1) {
            return FLUID;
        }
        return t1 < FAT_T1 ? MUSCLE : FAT;
    }

    /** 1 where a voxel is head: bright (≥ HEAD_T1) or a dark voxel not reachable from the grid's border plane by plane. */
    private static float[] enclosedHead(float[] t1, Grid g) {
        Volume bright = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            float[] p = bright.plane(z);
            int off = z * g.nx() * g.ny();
            for (int i = 0; i < p.length; i++) {
                p[i] = t1[off + i] >= HEAD_T1 ? 1 : 0;
            }
        }
        // Slice-wise hole filling: the skull is dark but enclosed by scalp in every axial slice.
        return Components.fillHolesSliceWise(bright, 4).toArray();
    }

    private static Grid extendedGrid(Grid g) {
        double[][] a = g.affine();
        double[][] b = new double[4][4];
        for (int r = 0; r < 4; r++) {
            b[r] = a[r].clone();
        }
        for (int r = 0; r < 3; r++) {
            b[r][3] = a[r][3] - NECK_VOXELS * a[r][2];
        }
        return new Grid(g.nx(), g.ny(), g.nz() + NECK_VOXELS, g.voxelMm(), b);
    }

    private static void extendNeck(float[][] ch, float[] brain, Grid g) {
        int plane = g.nx() * g.ny();
        int src = NECK_VOXELS * plane; // first real slice
        for (int z = 0; z < NECK_VOXELS; z++) {
            for (int i = 0; i < plane; i++) {
                int d = z * plane + i;
                for (int k = 0; k < CLASSES; k++) {
                    ch[k][d] = 0;
                }
                if (brain[src + i] > 0.5f) {
                    ch[MUSCLE][d] = 1;
                } else {
                    for (int k = 0; k < CLASSES; k++) {
                        ch[k][d] = ch[k][src + i];
                    }
                }
                brain[d] = 0;
            }
        }
    }

    private static Volume read(Path shared, String rel) {
        Path p = shared.resolve(rel);
        if (!Files.isRegularFile(p)) {
            throw new DopajException("training data file missing: " + p);
        }
        return Nifti.readVolume(p);
    }

    public Grid grid() {
        return grid;
    }

    /** Class weights at voxel index i (x fastest); do not modify. */
    float[][] channels() {
        return channels;
    }

    float[] brain() {
        return brain;
    }

    /** Share of the head's voxels in each class (background 0). */
    public double[] fractions() {
        return fractions.clone();
    }

    /** Centre of mass of the head (non-background voxels), scanner mm. */
    public double[] headCentreMm() {
        return headCentreMm.clone();
    }

    /** Height (scanner z, mm) of the top of the head: the highest axial plane with head in it. */
    public double headTopMm() {
        return headTopMm;
    }

    /** The hard class map (arg-max per voxel) as a volume, for inspection and tests. */
    public Volume labelVolume() {
        int n = brain.length;
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int k = 1; k < CLASSES; k++) {
                if (channels[k][i] > channels[best][i]) {
                    best = k;
                }
            }
            out[i] = best;
        }
        return Volume.of(grid, out);
    }

    /** Intracranial mask (0/1, voxel index as {@link #channels()}); do not modify. */
    float[] intracranial() {
        return intracranial;
    }

    /** Share of the intracranial voxels in each class (what a skull-stripped image holds). */
    public double[] intracranialFractions() {
        return intracranialFractions.clone();
    }

    /** The intracranial mask (0/1) on {@link #grid()}: brain + CSF out to the inner skull. */
    public Volume intracranialVolume() {
        return Volume.of(grid, intracranial.clone());
    }

    /** The brain mask (0/1) on {@link #grid()}. */
    public Volume brainVolume() {
        return Volume.of(grid, brain.clone());
    }
}
