package org.dopaj.brainmask;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.dopaj.image.Components;
import org.dopaj.image.CropPad;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.progress.ProgressListener;

/**
 * Brain extraction with the bundled 2.5D DeepLabv3+ network ({@link BrainMaskModel}), any MRI contrast, any
 * orientation the header states, any voxel size, in either convention ({@link BrainMaskModel.Convention}).
 *
 * <ol>
 * <li>Working grid: 2 mm isotropic, axes along the scanner's R, A, S, covering the input's field of view (an oblique
 *     or LPS/PIR/... volume is read through its affine, not through its voxel order). Axes finer than 2 mm are
 *     smoothed first (Gaussian, FWHM √(2² − v²) mm) so the down-sampling does not alias.</li>
 * <li>Intensities divided by the 97.5th percentile of the head (voxels above the working grid's mean), clipped to
 *     [0, 3] — the normalisation the training images got.</li>
 * <li>A 128³ cube (256 mm): left–right and antero-posteriorly on the head's centre of mass, cranio-caudally
 *     {@link BrainMaskModel#TOP_OFFSET_MM} below the top of the head (as in training); outside the scan 0.</li>
 * <li>Every sagittal slice of the cube through the one network, with its two neighbours on each side as channels
 *     (batches of 16; slices with nothing above 5 % of the normaliser skipped); then every other coronal and axial
 *     slice near the sagittal plane's intracranial candidates, the slices between taking the mean of their two
 *     neighbours; the three planes' class probabilities averaged; the convention's probability (brain, or brain + CSF shell) interpolated
 *     trilinearly onto the input grid.</li>
 * <li>Probability ≥ the convention's threshold ({@link BrainMaskModel#threshold}), largest 26-connected component, 3D hole filling (6-connected
 *     background), optional closing (ball of {@code closingMm}) and hole filling again — first at 2 mm, then at the
 *     input's resolution inside the box around the 2 mm mask ({@link #toInputGrid}); optionally the surface moved
 *     by {@code borderMm}. The result is one connected piece without holes.</li>
 * <li>Where the mask reaches the edge of the input's field of view the result says so (a note naming the side):
 *     the brain is cut by the field of view there.</li>
 * </ol>
 *
 * <p>A 3D image in which fewer than {@value #MIN_CONFIDENT_SHARE} of the candidate brain voxels have P(brain) &gt; 0.9
 * holds no brain for this model (noise, a phantom, a non-head image): the mask is empty and a note says so (the CLI
 * then refuses with one line and writes nothing).
 *
 * <p>Refused with a one-line message: 4D input (pick a frame first), non-finite voxels, an empty (constant)
 * image, an image thinner than 6 mm in two directions. A single 2D slice runs as one slice of its plane, the slice
 * repeated as its own neighbours (as 3 % of the training samples), noted in the result.
 */
public final class BrainMasker implements AutoCloseable {
    private static final int S = BrainMaskModel.SIZE;
    private static final double MM = BrainMaskModel.VOXEL_MM;
    private static final int BATCH = 16;
    /** The largest |border| accepted, mm. */
    public static final double MAX_BORDER_MM = 10;

    private static final int C = BrainMaskModel.CHANNELS;

    private final DopajModel model;
    /** Calibration only: the intracranial probability is the raw P(brain) + P(CSF shell), without the union rule. */
    private boolean rawIntracranial;

    private BrainMasker(DopajModel model) {
        this.model = model;
    }

    /** The bundled package ({@code models/brainmask-deeplabv3plus}) on {@code device}. */
    public static BrainMasker bundled(ComputeDevice device) {
        return open(ModelRegistry.find(BrainMaskModel.ID), device);
    }

    /** A brain-mask package folder on {@code device}. */
    public static BrainMasker open(Path packageDir, ComputeDevice device) {
        return new BrainMasker(DopajModel.load(packageDir, device));
    }

    /** Calibration only (the brain-mask recipe's calibrate action): intracranial runs give raw P(brain) + P(CSF shell). */
    BrainMasker rawIntracranial(boolean on) {
        rawIntracranial = on;
        return this;
    }

    /** The device the model runs on. */
    public ComputeDevice device() {
        return model.device();
    }

    /** Masks {@code input} (3D, one frame) without closing. */
    public BrainMaskResult run(Volume input) {
        return run(input, 0);
    }

    /** Masks {@code input} (3D, one frame); {@code closingMm} &gt; 0 adds a morphological closing. The input is not changed. */
    public BrainMaskResult run(Volume input, double closingMm) {
        return run(input, closingMm, 0);
    }

    /** {@link #run(Volume, double, double, BrainMaskModel.Convention)} in the brain convention. */
    public BrainMaskResult run(Volume input, double closingMm, double borderMm) {
        return run(input, closingMm, borderMm, BrainMaskModel.Convention.BRAIN);
    }

    /**
     * Masks {@code input} (3D, one frame) in {@code convention}. {@code closingMm} &gt; 0 adds a morphological
     * closing; {@code borderMm} moves the mask's surface outwards (&gt; 0: a dilation) or inwards (&lt; 0) by that
     * distance. The input is not changed.
     */
    public BrainMaskResult run(Volume input, double closingMm, double borderMm, BrainMaskModel.Convention convention) {
        return run(input, closingMm, borderMm, convention, ProgressListener.NONE);
    }

    /** {@link #run(Volume, double, double)} (brain convention) reporting progress to {@code listener}. */
    public BrainMaskResult run(Volume input, double closingMm, double borderMm, ProgressListener listener) {
        return run(input, closingMm, borderMm, BrainMaskModel.Convention.BRAIN, listener);
    }

    /**
     * {@link #run(Volume, double, double, BrainMaskModel.Convention)} reporting progress to {@code listener}
     * (resampling, each batch of slices through the network, post-processing) and stopping with a
     * {@link DopajException} "brain mask cancelled" when the listener says so (polled between batches).
     */
    public BrainMaskResult run(Volume input, double closingMm, double borderMm, BrainMaskModel.Convention convention,
            ProgressListener listener) {
        ProgressListener pl = listener == null ? ProgressListener.NONE : listener;
        long t0 = System.nanoTime();
        List<String> notes = new ArrayList<>();
        check(input);
        if (convention == null) {
            throw new DopajException("convention must be brain or intracranial");
        }
        if (!(closingMm >= 0) || !Double.isFinite(closingMm)) {
            throw new DopajException("closing_mm must be >= 0, got " + closingMm);
        }
        if (!(Math.abs(borderMm) <= MAX_BORDER_MM)) {
            throw new DopajException("border_mm must lie within ±" + (int) MAX_BORDER_MM + " mm, got " + borderMm);
        }
        Grid wg = workingGrid(input.grid());
        BrainMaskModel.Plane single = planeOf(wg);
        if (single != null) {
            notes.add("2D input: segmented as a single " + single.name().toLowerCase(Locale.ROOT)
                    + " slice (no 3D context)");
        }
        pl.progress(0, "resampling to the 2 mm working grid");
        Volume w = Resample.toGrid(antiAlias(input), wg, Resample.Interpolation.LINEAR, 0);
        stopIfCancelled(pl);
        Head head = headGeometry(w);
        double q = head.quantile();
        if (!(q > 0)) {
            throw new DopajException("the image has no bright head voxels (97.5th percentile of the head is " + q
                    + "): nothing to mask");
        }
        // the 128³ cube: left-right and antero-posteriorly on the head's centre of mass, cranio-caudally
        // TOP_OFFSET_MM below the top of the head; a thin axis (2D input) is kept as it is
        int[] dims = w.grid().dims();
        int[] origin = {(int) Math.round(head.x()) - S / 2, (int) Math.round(head.y()) - S / 2,
            (int) Math.round(head.top() - BrainMaskModel.TOP_OFFSET_MM / MM) - S / 2};
        int[] size = {S, S, S};
        if (single != null) {
            origin[single.sliceAxis()] = 0;
            size[single.sliceAxis()] = dims[single.sliceAxis()];
        }
        Volume crop = CropPad.crop(w, origin[0], origin[1], origin[2], size[0], size[1], size[2], 0);
        Volume[] probs = predict(crop, (float) (1 / q), single, convention, pl);
        Volume prob = probs[0];
        double confident = confidentShare(probs[1]);
        if (single == null && confident < MIN_CONFIDENT_SHARE) {
            // no brain: nothing in the image looks like brain to the network with any confidence (pure noise gives
            // ~1 %, real heads 77-94 %)
            prob = Volume.allocate(prob.grid());
            notes.add(String.format(Locale.ROOT, "no brain found: only %.0f %% of the candidate brain has a brain "
                    + "probability above 0.9 (real heads: > 75 %%)", 100 * confident));
        }
        pl.progress(0.9, "post-processing the mask");
        Volume[] back = toInputGrid(prob, input.grid(), closingMm, borderMm, BrainMaskModel.threshold(convention));
        Volume p = back[0];
        Volume mask = back[1];
        long n = Components.count(mask);
        if (n == 0) {
            if (notes.stream().noneMatch(t -> t.startsWith("no brain found"))) {
                notes.add("no brain found: the mask is empty");
            }
        } else {
            notes.addAll(fieldOfViewCuts(mask));
        }
        Volume brain = input.copy();
        for (int z = 0; z < brain.nz(); z++) {
            float[] b = brain.plane(z);
            float[] m = mask.plane(z);
            for (int i = 0; i < b.length; i++) {
                if (m[i] == 0) {
                    b[i] = 0;
                }
            }
        }
        double ml = n * input.grid().voxelVolumeMm3() / 1000.0;
        pl.progress(1, "done");
        return new BrainMaskResult(mask, brain, p, ml, n, (System.nanoTime() - t0) / 1e9, notes, convention,
                confident);
    }

    /**
     * A 3D image is taken to hold no brain when fewer than this share of its candidate brain voxels (P(brain) ≥ 0.5
     * on the 2 mm grid) have P(brain) &gt; 0.9. Measured with the v4 model ({@code BrainMaskEvaluation gate}): Gaussian
     * noise 0.7 %; real heads 78 % (skull-stripped FLAIR) to 94 % (MNI152), the geometric phantom 89 %.
     */
    static final double MIN_CONFIDENT_SHARE = 0.3;

    /** Share of the voxels with P(brain) ≥ 0.5 that have P(brain) &gt; 0.9 (0 when there are none). */
    static double confidentShare(Volume brainProb) {
        long cand = 0;
        long sure = 0;
        for (float[] p : brainProb.planes()) {
            for (float v : p) {
                if (v >= 0.5f) {
                    cand++;
                    if (v > 0.9f) {
                        sure++;
                    }
                }
            }
        }
        return cand == 0 ? 0 : (double) sure / cand;
    }

    /** Mask voxels on a face of the grid at or above which the brain counts as cut by the field of view there. */
    static final int CUT_VOXELS = 20;

    /**
     * One note per side of the input grid where the mask touches the edge of the field of view with at least
     * {@value #CUT_VOXELS} voxels, naming the anatomical side (from the affine) and the voxel plane.
     */
    static List<String> fieldOfViewCuts(Volume mask) {
        List<String> out = new ArrayList<>();
        int[] d = mask.grid().dims();
        double[][] af = mask.grid().affine();
        String[][] names = {{"right", "left"}, {"anterior", "posterior"}, {"superior", "inferior"}};
        String[] ijk = {"i", "j", "k"};
        for (int a = 0; a < 3; a++) {
            if (d[a] < 3) {
                continue;
            }
            for (int side = 0; side < 2; side++) {
                int plane = side == 0 ? 0 : d[a] - 1;
                long count = 0;
                int[] v = new int[3];
                for (int z = 0; z < d[2]; z++) {
                    if (a == 2 && z != plane) {
                        continue;
                    }
                    float[] m = mask.plane(z);
                    for (int y = 0; y < d[1]; y++) {
                        if (a == 1 && y != plane) {
                            continue;
                        }
                        for (int x = 0; x < d[0]; x++) {
                            if (a == 0 && x != plane) {
                                continue;
                            }
                            if (m[x + y * d[0]] != 0) {
                                count++;
                            }
                        }
                    }
                }
                if (count >= CUT_VOXELS) {
                    // direction of leaving the grid on this side, in RAS
                    double sign = side == 0 ? -1 : 1;
                    int best = 0;
                    for (int r = 1; r < 3; r++) {
                        if (Math.abs(af[r][a]) > Math.abs(af[best][a])) {
                            best = r;
                        }
                    }
                    String anat = names[best][sign * af[best][a] > 0 ? 0 : 1];
                    v[a] = plane;
                    out.add(String.format(Locale.ROOT, BrainMaskResult.FOV_CUT + " at the %s side "
                            + "(%d mask voxels on the image's edge, %s = %d)", anat, count, ijk[a], plane));
                }
            }
        }
        return out;
    }

    /**
     * {probability, mask} on the input grid. For speed on fine grids the 2 mm result is cleaned first (largest
     * component, holes filled) and only the box around that brain (plus 4 mm) is interpolated and post-processed
     * at the input's resolution; everything outside the box is 0. Same result as post-processing the whole grid
     * whenever the brain lies inside the box, which the 2 mm cleaning guarantees up to the 4 mm margin.
     */
    static Volume[] toInputGrid(Volume prob2mm, Grid in, double closingMm, double borderMm, double threshold) {
        float th = (float) threshold;
        Volume m2 = postProcess(prob2mm, th, 0);
        Volume p2 = prob2mm.copy();
        Volume near = Components.dilate(m2, 2.9);
        double margin = 2.5 + Math.max(0, borderMm) / MM; // box half-width around a brain voxel, in 2 mm voxels
        int[] lo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
        int[] hi = {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
        double[][] toIn = org.dopaj.image.Affines.multiply(org.dopaj.image.Affines.invert(in.affine()),
                prob2mm.grid().affine());
        for (int z = 0; z < p2.nz(); z++) {
            float[] pp = p2.plane(z);
            float[] mm = m2.plane(z);
            float[] nn = near.plane(z);
            for (int i = 0; i < pp.length; i++) {
                if (nn[i] == 0) {
                    pp[i] = 0; // other components: not brain
                } else if (mm[i] != 0 && pp[i] < th) {
                    pp[i] = 1; // a filled hole
                }
                if (mm[i] != 0) {
                    int x = i % p2.nx();
                    int y = i / p2.nx();
                    for (int c = 0; c < 8; c++) { // the 2 mm voxel's box, widened by 4 mm and the border
                        double vx = x + ((c & 1) == 0 ? -margin : margin);
                        double vy = y + ((c & 2) == 0 ? -margin : margin);
                        double vz = z + ((c & 4) == 0 ? -margin : margin);
                        for (int a = 0; a < 3; a++) {
                            double v = toIn[a][0] * vx + toIn[a][1] * vy + toIn[a][2] * vz + toIn[a][3];
                            lo[a] = Math.min(lo[a], (int) Math.floor(v));
                            hi[a] = Math.max(hi[a], (int) Math.ceil(v));
                        }
                    }
                }
            }
        }
        Volume p = Volume.allocate(in);
        Volume mask = Volume.allocate(in);
        int[] n = in.dims();
        for (int a = 0; a < 3; a++) {
            lo[a] = Math.max(0, lo[a]);
            hi[a] = Math.min(n[a] - 1, hi[a]);
            if (lo[a] > hi[a]) {
                return new Volume[] {p, mask}; // no brain
            }
        }
        double[][] af = in.affine();
        for (int r = 0; r < 3; r++) {
            af[r][3] += af[r][0] * lo[0] + af[r][1] * lo[1] + af[r][2] * lo[2];
        }
        Grid box = new Grid(hi[0] - lo[0] + 1, hi[1] - lo[1] + 1, hi[2] - lo[2] + 1, in.voxelMm(), af);
        Volume pb = Resample.toGrid(p2, box, Resample.Interpolation.LINEAR, 0);
        Volume mb = postProcess(pb, th, closingMm);
        if (borderMm > 0) {
            mb = Components.dilate(mb, borderMm);
        } else if (borderMm < 0) {
            mb = Components.largestComponent(Components.erode(mb, -borderMm), 26);
        }
        for (int z = 0; z < box.nz(); z++) {
            float[] ps = pb.plane(z);
            float[] ms = mb.plane(z);
            float[] pd = p.plane(z + lo[2]);
            float[] md = mask.plane(z + lo[2]);
            for (int y = 0; y < box.ny(); y++) {
                int src = y * box.nx();
                int dst = (y + lo[1]) * n[0] + lo[0];
                System.arraycopy(ps, src, pd, dst, box.nx());
                System.arraycopy(ms, src, md, dst, box.nx());
            }
        }
        return new Volume[] {p, mask};
    }

    /** Threshold, largest 26-connected component, hole filling, optional closing: the 3D post-processing. */
    public static Volume postProcess(Volume probability, double threshold, double closingMm) {
        Volume m = Volume.allocate(probability.grid());
        for (int z = 0; z < m.nz(); z++) {
            float[] p = probability.plane(z);
            float[] o = m.plane(z);
            for (int i = 0; i < p.length; i++) {
                o[i] = p[i] >= threshold ? 1 : 0;
            }
        }
        m = Components.largestComponent(m, 26);
        m = Components.fillHoles(m, 6);
        if (closingMm > 0) {
            m = Components.fillHoles(Components.close(m, closingMm), 6);
        }
        return m;
    }

    /** Refuses what cannot be masked (missing, 4D, non-finite, empty) with one line; call before loading a model. */
    public static void check(Volume input) {
        if (input == null) {
            throw new DopajException("no image given");
        }
        if (input.nt() > 1) {
            throw new DopajException("the image is 4D (" + input.nt() + " frames): choose one frame (--frame N)");
        }
        double[] vox = input.grid().voxelMm();
        double[][] af = input.grid().affine();
        double det = af[0][0] * (af[1][1] * af[2][2] - af[1][2] * af[2][1])
                - af[0][1] * (af[1][0] * af[2][2] - af[1][2] * af[2][0])
                + af[0][2] * (af[1][0] * af[2][1] - af[1][1] * af[2][0]);
        for (int a = 0; a < 3; a++) {
            if (!(vox[a] > 0) || !Double.isFinite(vox[a]) || vox[a] > 50) {
                throw new DopajException("the image has no usable geometry (voxel size " + vox[0] + " × " + vox[1]
                        + " × " + vox[2] + " mm): set the voxel size first");
            }
        }
        if (!(Math.abs(det) > 1e-9) || !Double.isFinite(det)) {
            throw new DopajException("the image has no usable geometry (its voxel-to-mm matrix is singular or not "
                    + "finite)");
        }
        String bad = input.firstNonFinite();
        if (bad != null) {
            throw new DopajException("the image has non-finite voxels (" + bad + "): cannot normalise intensities");
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float[] pl : input.planes()) {
            for (float v : pl) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (!(hi > lo)) {
            throw new DopajException("the image is empty (every voxel is " + lo + "): nothing to mask");
        }
    }

    /** The 2 mm RAS-aligned grid covering the input's field of view (voxel boxes, not just centres). */
    static Grid workingGrid(Grid g) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int c = 0; c < 8; c++) {
            double[] mm = g.toMm((c & 1) == 0 ? -0.5 : g.nx() - 0.5, (c & 2) == 0 ? -0.5 : g.ny() - 0.5,
                    (c & 4) == 0 ? -0.5 : g.nz() - 0.5);
            for (int a = 0; a < 3; a++) {
                lo[a] = Math.min(lo[a], mm[a]);
                hi[a] = Math.max(hi[a], mm[a]);
            }
        }
        int[] n = new int[3];
        double[][] aff = {{MM, 0, 0, 0}, {0, MM, 0, 0}, {0, 0, MM, 0}, {0, 0, 0, 1}};
        for (int a = 0; a < 3; a++) {
            n[a] = (int) Math.max(1, Math.round((hi[a] - lo[a]) / MM));
            double centre = (lo[a] + hi[a]) / 2;
            aff[a][3] = centre - (n[a] - 1) * MM / 2;
        }
        return new Grid(n[0], n[1], n[2], new double[] {MM, MM, MM}, aff);
    }

    /** Gaussian pre-smoothing of axes finer than the working grid. */
    static Volume antiAlias(Volume v) {
        double[] vox = v.grid().voxelMm();
        double[] f = new double[3];
        boolean any = false;
        for (int a = 0; a < 3; a++) {
            if (vox[a] < 0.95 * MM && v.grid().dims()[a] > 1) {
                f[a] = Math.sqrt(MM * MM - vox[a] * vox[a]);
                any = true;
            }
        }
        return any ? Gaussian.smooth(v, f[0], f[1], f[2]) : v;
    }

    /**
     * The head on the working grid (voxel indices). Head = voxels above the grid's mean; quantile = their 97.5th
     * percentile (the intensity normaliser); x, y = their centre of mass; top = the highest plane holding at least
     * 1 % of the fullest plane's head voxels.
     */
    record Head(double quantile, double x, double y, double top) {
    }

    static Head headGeometry(Volume w) {
        double sum = 0;
        long n = 0;
        for (float[] pl : w.planes()) {
            for (float v : pl) {
                sum += v;
                n++;
            }
        }
        double mean = sum / n;
        int count = 0;
        double sx = 0;
        double sy = 0;
        int[] perZ = new int[w.nz()];
        for (int z = 0; z < w.nz(); z++) {
            float[] pl = w.plane(z);
            for (int i = 0; i < pl.length; i++) {
                if (pl[i] > mean) {
                    count++;
                    sx += i % w.nx();
                    sy += i / w.nx();
                    perZ[z]++;
                }
            }
        }
        if (count == 0) {
            return new Head(0, 0, 0, 0);
        }
        float[] vals = new float[count];
        int k = 0;
        for (float[] pl : w.planes()) {
            for (float v : pl) {
                if (v > mean) {
                    vals[k++] = v;
                }
            }
        }
        java.util.Arrays.sort(vals);
        double h = (count - 1) * 0.975;
        int lo = (int) Math.floor(h);
        double q = vals[lo] + (h - lo) * (vals[Math.min(count - 1, lo + 1)] - vals[lo]);
        int maxPlane = 0;
        for (int c : perZ) {
            maxPlane = Math.max(maxPlane, c);
        }
        int top = 0;
        for (int z = 0; z < perZ.length; z++) {
            if (perZ[z] >= 0.01 * maxPlane) {
                top = z;
            }
        }
        return new Head(q, sx / count, sy / count, top);
    }

    /**
     * The convention's probability on the crop's grid: every slice of the crop in each plane (only {@code single}'s
     * for a 2D input) through the network with its neighbours as channels (0 beyond the crop; a 2D input's slice
     * repeated), as images with rows and columns along the plane's axes ({@link BrainMaskModel.Plane}, as
     * {@link HeadSynthesis} draws them); the planes' probabilities averaged. Slices with nothing above 5 % of the
     * normaliser (air beside the head) cannot hold brain: skipped, probability 0.
     */
    private static void stopIfCancelled(ProgressListener pl) {
        if (pl.cancelled()) {
            throw new DopajException("brain mask cancelled");
        }
    }

    private Volume[] predict(Volume crop, float scale, BrainMaskModel.Plane single, BrainMaskModel.Convention conv,
            ProgressListener listener) {
        int[] dims = crop.grid().dims();
        int nx = dims[0];
        int ny = dims[1];
        // normalised copy, x fastest
        float[] vol = new float[nx * ny * dims[2]];
        for (int z = 0; z < dims[2]; z++) {
            float[] pl = crop.plane(z);
            for (int i = 0; i < pl.length; i++) {
                vol[z * nx * ny + i] = Math.max(0f, Math.min(3f, pl[i] * scale));
            }
        }
        float[] sum = new float[vol.length];
        float[] sumBrain = new float[vol.length];
        BrainMaskModel.Plane[] planes = single != null ? new BrainMaskModel.Plane[] {single}
            : BrainMaskModel.Plane.values();
        int[] stride = {1, nx, nx * ny};
        int planeNo = 0;
        for (BrainMaskModel.Plane plane : planes) {
            int sa = plane.sliceAxis();
            int ra = plane.rowAxis();
            int ca = plane.columnAxis();
            int n = dims[sa];
            int rows = dims[ra];
            int cols = dims[ca];
            int[] slices = new int[n];
            int kept = 0;
            boolean[] near = planeNo == 0 ? null : nearFirstPlane(sum, dims, sa);
            for (int k = 0; k < n; k++) {
                if (near != null && !near[k]) {
                    continue;
                }
                boolean any = false;
                for (int r = 0; r < rows && !any; r++) {
                    int base = k * stride[sa] + r * stride[ra];
                    for (int c = 0; c < cols; c++) {
                        if (vol[base + c * stride[ca]] > 0.05f) {
                            any = true;
                            break;
                        }
                    }
                }
                if (any) {
                    slices[kept++] = k;
                }
            }
            // the second and third planes run every other slice (and the first and last); the slices between are
            // the mean of their two neighbours: the first plane has every slice, so each voxel still gets one
            // exact estimate, and the network's cost falls by a third; against running every slice the masks agree
            // to Dice 0.995-0.997 and against the held-out heads' references they score the same or higher
            // (docs/validation/brain-mask.md, "Speed")
            boolean halve = single == null && planeNo > 0;
            float[] pSum = sum;
            float[] pBrain = sumBrain;
            boolean[] run = new boolean[n];
            boolean[] fill = new boolean[n];
            if (halve) {
                pSum = new float[vol.length];
                pBrain = new float[vol.length];
                int m = 0;
                for (int j = 0; j < kept; j++) {
                    int k = slices[j];
                    if (k % 2 == 0 || j == 0 || j == kept - 1) {
                        slices[m++] = k;
                        run[k] = true;
                    } else {
                        fill[k] = true;
                    }
                }
                kept = m;
            }
            for (int s0 = 0; s0 < kept; s0 += BATCH) {
                stopIfCancelled(listener);
                listener.progress(0.1 + 0.8 * (planeNo + (double) s0 / kept) / planes.length,
                        plane.name().toLowerCase(Locale.ROOT) + " slices " + (s0 + 1) + "–" + Math.min(kept, s0 + BATCH)
                        + " of " + kept);
                int b = Math.min(BATCH, kept - s0);
                float[] t = new float[b * S * S * C];
                for (int s = 0; s < b; s++) {
                    int k = slices[s0 + s];
                    for (int ch = 0; ch < C; ch++) {
                        int kk = single != null ? k : k + ch - C / 2;
                        if (kk < 0 || kk >= n) {
                            continue;
                        }
                        for (int r = 0; r < rows; r++) {
                            int base = kk * stride[sa] + r * stride[ra];
                            int to = ((s * S + r) * S) * C + ch;
                            for (int c = 0; c < cols; c++) {
                                t[to + c * C] = vol[base + c * stride[ca]];
                            }
                        }
                    }
                }
                float[] out = model.predict(Tensor.of(t, b, S, S, C)).data();
                for (int s = 0; s < b; s++) {
                    int k = slices[s0 + s];
                    for (int r = 0; r < rows; r++) {
                        int base = k * stride[sa] + r * stride[ra];
                        for (int c = 0; c < cols; c++) {
                            int o = ((s * S + r) * S + c) * BrainMaskModel.CLASSES;
                            pSum[base + c * stride[ca]] += out[o + 2] + out[o + 1];
                            pBrain[base + c * stride[ca]] += out[o + 2];
                        }
                    }
                }
            }
            if (halve) {
                for (int k = 0; k < n; k++) {
                    if (!run[k] && !fill[k]) {
                        continue;
                    }
                    int below = k > 0 && run[k - 1] ? k - 1 : -1;
                    int above = k + 1 < n && run[k + 1] ? k + 1 : -1;
                    float w = run[k] ? 1 : below >= 0 && above >= 0 ? 0.5f : 1;
                    for (int r = 0; r < rows; r++) {
                        for (int c = 0; c < cols; c++) {
                            int off = r * stride[ra] + c * stride[ca];
                            int at = k * stride[sa] + off;
                            if (run[k]) {
                                sum[at] += pSum[at];
                                sumBrain[at] += pBrain[at];
                                continue;
                            }
                            float a = 0;
                            float bb = 0;
                            if (below >= 0) {
                                a += pSum[below * stride[sa] + off];
                                bb += pBrain[below * stride[sa] + off];
                            }
                            if (above >= 0) {
                                a += pSum[above * stride[sa] + off];
                                bb += pBrain[above * stride[sa] + off];
                            }
                            sum[at] += w * a;
                            sumBrain[at] += w * bb;
                        }
                    }
                }
            }
            planeNo++;
        }
        Volume prob = Volume.allocate(crop.grid());
        Volume brainProb = Volume.allocate(crop.grid());
        float inv = 1f / planes.length;
        // intracranial: P(brain) + P(CSF shell) >= its threshold, or P(brain) >= the brain threshold (so the
        // intracranial mask always holds the brain mask): one score, max(P_icv, P_brain + t_icv - t_brain), not
        // capped at 1 so that linear interpolation keeps the rule (max is convex, the shift is linear)
        float lift = (float) (BrainMaskModel.INTRACRANIAL_THRESHOLD - BrainMaskModel.THRESHOLD);
        boolean icv = conv == BrainMaskModel.Convention.INTRACRANIAL;
        for (int z = 0; z < dims[2]; z++) {
            float[] pl = prob.plane(z);
            for (int i = 0; i < pl.length; i++) {
                float b = sumBrain[z * nx * ny + i] * inv;
                brainProb.plane(z)[i] = b;
                float pi = sum[z * nx * ny + i] * inv;
                pl[i] = !icv ? b : rawIntracranial ? pi : Math.max(pi, b + lift);
            }
        }
        return new Volume[] {prob, brainProb};
    }

    /** Slices this far (2 mm voxels) beyond the first plane's intracranial candidates still run in the others. */
    static final int CASCADE_MARGIN = 4;
    /** P(brain) + P(CSF shell) of the first plane above which a voxel is an intracranial candidate. */
    static final float CASCADE_CANDIDATE = 0.02f;

    /**
     * The slices across {@code axis} that hold an intracranial candidate of the first plane ({@code sum} so far:
     * P(brain) + P(CSF shell) of the sagittal slices) within {@value #CASCADE_MARGIN} slices. The other planes run
     * only there: beyond, the first plane saw nothing intracranial (≤ {@value #CASCADE_CANDIDATE}) and the average of
     * three planes stays below every threshold unless both others were certain where the first saw nothing — the
     * cascade's Dice against running all slices was ≥ 0.999 on the held-out heads (docs/validation/brain-mask.md).
     */
    static boolean[] nearFirstPlane(float[] sum, int[] dims, int axis) {
        int nx = dims[0];
        int ny = dims[1];
        boolean[] hit = new boolean[dims[axis]];
        for (int i = 0; i < sum.length; i++) {
            if (sum[i] > CASCADE_CANDIDATE) {
                int k = axis == 0 ? i % nx : axis == 1 ? (i / nx) % ny : i / (nx * ny);
                hit[k] = true;
            }
        }
        boolean[] near = new boolean[hit.length];
        for (int k = 0; k < hit.length; k++) {
            if (hit[k]) {
                for (int d = -CASCADE_MARGIN; d <= CASCADE_MARGIN; d++) {
                    if (k + d >= 0 && k + d < near.length) {
                        near[k + d] = true;
                    }
                }
            }
        }
        return near;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }

    @Override
    public void close() {
        model.close();
    }

    /**
     * The plane of a 2D input (a working grid thinner than 6 mm along one axis: the slices across that axis), or
     * null for a volume; thinner than 6 mm along two axes is refused.
     */
    static BrainMaskModel.Plane planeOf(Grid wg) {
        boolean thinX = wg.nx() < 3;
        boolean thinY = wg.ny() < 3;
        boolean thinZ = wg.nz() < 3;
        int thin = (thinX ? 1 : 0) + (thinY ? 1 : 0) + (thinZ ? 1 : 0);
        if (thin == 0) {
            return null;
        }
        if (thin == 1) {
            return thinX ? BrainMaskModel.Plane.SAGITTAL : thinY ? BrainMaskModel.Plane.CORONAL
                    : BrainMaskModel.Plane.AXIAL;
        }
        throw new DopajException("the image is thinner than 6 mm in two directions (" + fmt(wg.nx() * MM) + " × "
                + fmt(wg.ny() * MM) + " × " + fmt(wg.nz() * MM) + " mm): give a 3D volume or a 2D slice");
    }
}
