package org.dopaj.wmh;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Locale;

import org.dopaj.DopajException;
import org.dopaj.brainmask.BrainMaskResult;
import org.dopaj.brainmask.BrainMasker;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.dopaj.image.Affines;
import org.dopaj.image.Components;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.registration.AffineTransform;
import org.dopaj.progress.ProgressListener;
import org.dopaj.registration.Registration;

/**
 * White-matter hypointensities on a 3D T1-weighted head, after Thyreau et al. (Human Brain Mapping 2022,
 * deep-T1-WMH), at DopaJ's scale:
 * <ol>
 * <li>checks ({@link #check}): one 3D frame, finite, not constant, voxel sizes 0.2–4 mm, at least 60 mm in every
 *     direction (a 2D slice or a slab is refused);</li>
 * <li>brain mask: DopaJ's {@link BrainMasker} (its public open/run API); a mask outside 500–2500 mL is "no brain
 *     found" (uniform noise gets a 2700 mL mask);</li>
 * <li>T1 check: inside the mask, on a 2 mm copy, the deep core (mask eroded by 16 mm: mostly white matter) must be
 *     brighter than the outer 6 mm shell (cortex and CSF) by 3 %: white matter brighter than grey matter. T2, FLAIR,
 *     PD and inverted images fail it and are refused, not guessed;</li>
 * <li>affine registration of the masked head to the skull-stripped MNI152 template ({@link WmhAtlas}; NCC, 8 and
 *     4 mm levels, quality check NCC ≥ 0.5);</li>
 * <li>the T1 resampled into the MNI-affine box ({@link WmhModel}) through that affine, after a Gaussian
 *     anti-aliasing of axes finer than 2 mm; the second T1 check there: the median of white matter (atlas WM &gt; 0.9)
 *     must exceed the median of cortex (atlas) by 3 %;</li>
 * <li>z-scoring and the 3D U-Net ({@link Method#NETWORK}; the box and its left-right mirror, probabilities
 *     averaged), or the classical baseline ({@link Method#THRESHOLD},
 *     {@link ThresholdBaseline});</li>
 * <li>the box probability mapped back to the input grid (trilinear) and kept inside the brain mask; mask =
 *     probability ≥ the package's calibrated threshold ({@link #threshold}) without 26-connected pieces under 8 mm³ (one box voxel: below the working
 *     resolution); volumes, regions ({@link WmhAtlas}: box labels mapped back by nearest neighbour), lesion
 *     count and the volume grade ({@link #grade}).</li>
 * </ol>
 */
public final class WmhSegmenter implements AutoCloseable {
    /** The volume grade's rule (a volume-based stand-in for a Fazekas-like grade, not a visual rating). */
    public static final String GRADE_RULE = "0: < 1 mL, 1: 1-5 mL, 2: 5-15 mL, 3: >= 15 mL of WMH (mask volume)";
    static final double MIN_EXTENT_MM = 60;
    static final double T1_CONTRAST = 1.03;
    /** Brain-mask volumes accepted as a brain, mL (adult brains by DopaJ's mask convention: about 1000–1700). */
    static final double MIN_BRAIN_ML = 500;
    /** Mask pieces smaller than this (one 2 mm box voxel) are dropped, mm³. */
    public static final double MIN_LESION_MM3 = 8;
    static final double MAX_BRAIN_ML = 2500;

    /** How the box is segmented. */
    public enum Method {
        /** The trained 3D U-Net ({@link WmhModel}). */
        NETWORK,
        /** The classical baseline: a white-matter intensity threshold inside an eroded white-matter mask. */
        THRESHOLD;

        /** Parses "network" or "threshold". */
        public static Method parse(String s) {
            for (Method m : values()) {
                if (m.name().equalsIgnoreCase(s)) {
                    return m;
                }
            }
            throw new DopajException("method must be network or threshold, got " + s);
        }
    }

    private final BrainMasker masker;
    private final DopajModel network;
    private final String modelId;
    private final double threshold;
    private final WmhModel.Normalisation normalisation;

    private WmhSegmenter(BrainMasker masker, DopajModel network, String modelId) {
        this.masker = masker;
        this.network = network;
        this.modelId = modelId;
        this.threshold = network == null ? 0.5 : threshold(network.modelPackage().rdf());
        this.normalisation = network == null ? WmhModel.Normalisation.BRAIN_Z
                : WmhModel.Normalisation.of(network.modelPackage().rdf());
    }

    /**
     * The package's calibrated probability threshold ({@code config.dopaj.threshold} of its rdf.yaml, written by
     * the wmh recipe's calibrate/package actions), else {@link WmhModel#THRESHOLD}: a threshold belongs to the
     * weights it was calibrated for.
     */
    static double threshold(Map<String, Object> rdf) {
        if (rdf.get("config") instanceof Map<?, ?> c && c.get("dopaj") instanceof Map<?, ?> d
                && d.get("threshold") instanceof Number n && n.doubleValue() > 0 && n.doubleValue() < 1) {
            return n.doubleValue();
        }
        return WmhModel.THRESHOLD;
    }

    /** The probability at or above which a voxel is WMH (the network's calibrated threshold). */
    public double threshold() {
        return threshold;
    }

    /**
     * Opens the brain-mask package and, for {@link Method#NETWORK}, the WMH package ({@code wmhPackage}; ignored for
     * the threshold method).
     */
    public static WmhSegmenter open(Method method, Path wmhPackage, Path brainMaskPackage, ComputeDevice device) {
        BrainMasker m = BrainMasker.open(brainMaskPackage, device);
        if (method == Method.THRESHOLD) {
            return new WmhSegmenter(m, null, ThresholdBaseline.NAME);
        }
        try {
            DopajModel net = DopajModel.load(wmhPackage, device);
            return new WmhSegmenter(m, net, net.modelPackage().id());
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The method this segmenter runs. */
    public Method method() {
        return network == null ? Method.THRESHOLD : Method.NETWORK;
    }

    /** Brain mask and MNI registration of a head: computed once, reusable for images on the same grid. */
    public record Space(Volume brainMask, Registration.Result registration, double brainMl, List<String> notes) {
    }

    /** Refuses what cannot be analysed, with one line; call before loading any model. */
    public static void check(Volume t1) {
        if (t1 == null) {
            throw new DopajException("no image given");
        }
        if (t1.nt() > 1) {
            throw new DopajException("the image is 4D (" + t1.nt() + " frames): choose one frame (--frame N)");
        }
        double[] vox = t1.grid().voxelMm();
        for (double v : vox) {
            if (!(v >= 0.2 && v <= 4) || !Double.isFinite(v)) {
                throw new DopajException("no usable geometry: voxel size " + fmt(vox[0]) + " x " + fmt(vox[1]) + " x "
                        + fmt(vox[2]) + " mm (a head needs 0.2-4 mm voxels)");
            }
        }
        int[] n = t1.grid().dims();
        for (int a = 0; a < 3; a++) {
            if (n[a] * vox[a] < MIN_EXTENT_MM) {
                throw new DopajException("the image is 2D or a thin slab (" + n[0] + " x " + n[1] + " x " + n[2]
                        + " voxels, " + fmt(n[a] * vox[a]) + " mm along axis " + a + "): a 3D T1 head is needed");
            }
        }
        BrainMasker.check(t1);
    }

    /** Brain mask, T1 check and registration to MNI (steps 2–4). */
    public Space prepare(Volume t1, ProgressListener listener) {
        ProgressListener p = listener == null ? ProgressListener.NONE : listener;
        check(t1);
        List<String> notes = new ArrayList<>();
        p.progress(0.05, "brain mask");
        BrainMaskResult bm = masker.run(t1);
        if (!(bm.volumeMl() >= MIN_BRAIN_ML && bm.volumeMl() <= MAX_BRAIN_ML)) {
            throw new DopajException("no brain found: the brain mask holds " + fmt(bm.volumeMl()) + " mL, not a brain's "
                    + "size (" + (int) MIN_BRAIN_ML + "-" + (int) MAX_BRAIN_ML + " mL): is this a head MRI?");
        }
        notes.addAll(bm.notes());
        requireT1(t1, bm.mask());
        p.progress(0.3, "registration to MNI152");
        Volume moving = bm.brain();
        WmhAtlas atlas = WmhAtlas.load();
        Registration.Options o = Registration.Options.defaults().withMinNcc(0.5);
        Registration.Result r = Registration.register(moving, atlas.template(), o, new ProgressListener() {
            @Override
            public void progress(double f, String m) {
                p.progress(0.3 + 0.4 * f, "registration: " + m);
            }

            @Override
            public boolean cancelled() {
                return p.cancelled();
            }
        }).requireOk("the MNI152 template", "is this a T1-weighted head?");
        return new Space(bm.mask(), r, bm.volumeMl(), notes);
    }

    /** The whole pipeline. */
    public WmhResult run(Volume t1, ProgressListener listener) {
        long t0 = System.nanoTime();
        Space s = prepare(t1, listener);
        return run(t1, s, listener, t0);
    }

    /** Steps 5–7 with a prepared space (the same head's brain mask and registration). */
    public WmhResult run(Volume t1, Space space, ProgressListener listener) {
        return run(t1, space, listener, System.nanoTime());
    }

    private WmhResult run(Volume t1, Space space, ProgressListener listener, long t0) {
        ProgressListener p = listener == null ? ProgressListener.NONE : listener;
        WmhAtlas atlas = WmhAtlas.load();
        AffineTransform f2m = space.registration().fixedToMoving();
        Volume box = boxT1(t1, f2m);
        Volume maskBox = Resample.toGrid(space.brainMask(), boxGridInNative(f2m), Resample.Interpolation.LINEAR, 0)
                .withGrid(WmhModel.box());
        double[] levels = tissueLevels(box, atlas);
        if (!(levels[0] > T1_CONTRAST * levels[1])) {
            throw new DopajException("the image does not look T1-weighted: after registration to MNI, white matter ("
                    + fmt(levels[0]) + ") is not brighter than cortex (" + fmt(levels[1]) + ")");
        }
        p.progress(0.75, method() == Method.NETWORK ? "network" : "threshold baseline");
        Volume probBox;
        List<String> unlike = List.of();
        if (network != null) {
            // the box and its left-right mirror through the network, probabilities averaged
            float[] in = normalise(box, atlas, normalisation);
            // is this input like the synthetic heads the model learnt from? (a warning, never a silent volume)
            unlike = WmhApplicability.check(network.modelPackage().applicability(), in, atlas, normalisation);
            float[] mirrored = mirrorX(in, 1);
            float[] out = network.predict(Tensor.of(in, 1, WmhModel.NX, WmhModel.NY, WmhModel.NZ, 1)).data();
            float[] outM = mirrorX(network.predict(Tensor.of(mirrored, 1, WmhModel.NX, WmhModel.NY, WmhModel.NZ, 1))
                    .data(), 2);
            probBox = Volume.allocate(WmhModel.box());
            for (int z = 0; z < WmhModel.NZ; z++) {
                float[] pl = probBox.plane(z);
                for (int y = 0; y < WmhModel.NY; y++) {
                    for (int x = 0; x < WmhModel.NX; x++) {
                        int t = WmhModel.tensorIndex(x, y, z) * 2 + 1;
                        pl[x + y * WmhModel.NX] = 0.5f * (out[t] + outM[t]);
                    }
                }
            }
        } else {
            probBox = ThresholdBaseline.segment(box, atlas);
        }
        for (int z = 0; z < WmhModel.NZ; z++) {
            float[] pl = probBox.plane(z);
            float[] m = maskBox.plane(z);
            for (int i = 0; i < pl.length; i++) {
                if (m[i] < 0.5f) {
                    pl[i] = 0;
                }
            }
        }
        p.progress(0.85, "back to the input grid");
        Registration.Result reg = space.registration();
        Volume prob = reg.toMoving(probBox, t1.grid(), Resample.Interpolation.LINEAR, 0);
        Volume regions = reg.toMoving(atlas.regions(), t1.grid(), Resample.Interpolation.NEAREST, 0);
        Volume mask = Volume.allocate(t1.grid());
        double voxMm3 = t1.grid().voxelVolumeMm3();
        double vox = voxMm3 / 1000.0;
        for (int z = 0; z < t1.nz(); z++) {
            float[] pp = prob.plane(z);
            float[] bm = space.brainMask().plane(z);
            float[] mm = mask.plane(z);
            for (int i = 0; i < pp.length; i++) {
                if (bm[i] == 0) {
                    pp[i] = 0;
                }
                mm[i] = pp[i] >= threshold ? 1 : 0;
            }
        }
        // pieces smaller than one 2 mm box voxel (8 mm³) are below the working resolution: dropped
        int lesions = 0;
        if (Components.count(mask) > 0) {
            Components.Labels lab = Components.label(mask, 26);
            int[] keep = java.util.stream.IntStream.rangeClosed(1, lab.count())
                    .filter(k -> lab.sizes()[k] * voxMm3 >= MIN_LESION_MM3).toArray();
            lesions = keep.length;
            if (keep.length < lab.count()) {
                mask = keep.length == 0 ? Volume.allocate(t1.grid()) : lab.mask(keep);
            }
        }
        double ml = 0;
        double pv = 0;
        double[] byRegion = new double[4];
        for (int z = 0; z < t1.nz(); z++) {
            float[] pp = prob.plane(z);
            float[] mm = mask.plane(z);
            float[] rr = regions.plane(z);
            for (int i = 0; i < pp.length; i++) {
                if (pp[i] >= 0.1f) {
                    pv += pp[i] * vox;
                }
                if (mm[i] > 0) {
                    ml += vox;
                    int r = (int) rr[i];
                    byRegion[r >= 1 && r <= 3 ? r : WmhAtlas.DEEP] += vox;
                }
            }
        }
        List<String> notes = new ArrayList<>(space.notes());
        notes.addAll(unlike);
        if (network == null) {
            notes.add("classical threshold baseline, not the network");
        }
        p.progress(1, "done");
        return new WmhResult(prob, mask, ml, pv, byRegion[WmhAtlas.PERIVENTRICULAR], byRegion[WmhAtlas.DEEP],
                byRegion[WmhAtlas.JUXTACORTICAL], lesions, grade(ml), network == null ? "threshold" : "network",
                modelId, reg.ncc(), space.brainMl(), (System.nanoTime() - t0) / 1e9, notes);
    }

    /** A box tensor ({@link WmhModel#tensorIndex} order, {@code channels} per voxel) mirrored along x. */
    static float[] mirrorX(float[] t, int channels) {
        float[] o = new float[t.length];
        int plane = WmhModel.NY * WmhModel.NZ * channels;
        for (int x = 0; x < WmhModel.NX; x++) {
            System.arraycopy(t, x * plane, o, (WmhModel.NX - 1 - x) * plane, plane);
        }
        return o;
    }

    /** Volume grade ({@link #GRADE_RULE}). */
    public static int grade(double ml) {
        return ml < 1 ? 0 : ml < 5 ? 1 : ml < 15 ? 2 : 3;
    }

    /** The box's grid with its voxels placed in the input's (moving) mm through the fixed → moving affine. */
    static Grid boxGridInNative(AffineTransform fixedToMoving) {
        Grid b = WmhModel.box();
        return Grid.fromAffine(b.nx(), b.ny(), b.nz(), Affines.multiply(fixedToMoving.matrix(), b.affine()));
    }

    /** The T1 on the MNI-affine box (anti-aliased, trilinear; 0 outside the input's field of view). */
    public static Volume boxT1(Volume t1, AffineTransform fixedToMoving) {
        return Resample.toGrid(antiAlias(t1), boxGridInNative(fixedToMoving), Resample.Interpolation.LINEAR, 0)
                .withGrid(WmhModel.box());
    }

    /** Gaussian pre-smoothing of axes finer than 2 mm, FWHM √(2² − v²). */
    static Volume antiAlias(Volume v) {
        double[] vox = v.grid().voxelMm();
        double[] f = new double[3];
        boolean any = false;
        double mm = WmhModel.VOXEL_MM;
        for (int a = 0; a < 3; a++) {
            if (vox[a] < 0.95 * mm) {
                f[a] = Math.sqrt(mm * mm - vox[a] * vox[a]);
                any = true;
            }
        }
        return any ? Gaussian.smooth(v, f[0], f[1], f[2]) : v;
    }

    /** {white-matter median, cortex median} on the box (atlas WM &gt; 0.9; atlas cortex). */
    static double[] tissueLevels(Volume box, WmhAtlas atlas) {
        List<Float> w = new ArrayList<>();
        List<Float> g = new ArrayList<>();
        for (int z = 0; z < box.nz(); z++) {
            float[] b = box.plane(z);
            float[] wm = atlas.wm().plane(z);
            float[] cx = atlas.cortex().plane(z);
            for (int i = 0; i < b.length; i++) {
                if (wm[i] > 0.9f) {
                    w.add(b[i]);
                } else if (cx[i] > 0 && atlas.gm().plane(z)[i] > 0.7f) {
                    g.add(b[i]);
                }
            }
        }
        return new double[] {median(w), median(g)};
    }

    private static double median(List<Float> v) {
        if (v.isEmpty()) {
            return 0;
        }
        float[] a = new float[v.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = v.get(i);
        }
        Arrays.sort(a);
        return a[a.length / 2];
    }

    /** The box as the network's input ({@link WmhModel.Normalisation}), in tensor order ({@link WmhModel#tensorIndex}). */
    public static float[] normalise(Volume box, WmhAtlas atlas, WmhModel.Normalisation n) {
        double offset;
        double scale;
        double lo;
        double hi;
        if (n == WmhModel.Normalisation.TISSUE) {
            double[] lv = tissueLevels(box, atlas);
            offset = lv[0];
            // the pipeline refuses a head whose white matter is not 3 % brighter than cortex; an augmented training
            // image can come closer, so the contrast is kept at least 3 % of white matter
            scale = Math.max(lv[0] - lv[1], 0.03 * Math.abs(lv[0]));
            scale = scale > 0 ? scale : 1;
            lo = -8;
            hi = 4;
        } else {
            double s = 0;
            double ss = 0;
            long k = 0;
            for (int z = 0; z < box.nz(); z++) {
                float[] b = box.plane(z);
                float[] r = atlas.normalisationRegion().plane(z);
                for (int i = 0; i < b.length; i++) {
                    if (r[i] > 0) {
                        s += b[i];
                        ss += (double) b[i] * b[i];
                        k++;
                    }
                }
            }
            offset = s / Math.max(1, k);
            scale = Math.sqrt(Math.max(1e-12, ss / Math.max(1, k) - offset * offset));
            lo = -6;
            hi = 6;
        }
        float[] t = new float[WmhModel.size()];
        for (int z = 0; z < WmhModel.NZ; z++) {
            float[] b = box.plane(z);
            for (int y = 0; y < WmhModel.NY; y++) {
                for (int x = 0; x < WmhModel.NX; x++) {
                    t[WmhModel.tensorIndex(x, y, z)] = (float) Math.max(lo, Math.min(hi,
                            (b[x + y * WmhModel.NX] - offset) / scale));
                }
            }
        }
        return t;
    }

    /**
     * The T1 check on the input: on a 2 mm copy, the median inside the mask eroded by 16 mm (deep white matter) must
     * exceed the median of the outer 6 mm of the mask (cortex, CSF) by 3 %.
     */
    static void requireT1(Volume t1, Volume mask) {
        Volume t = Resample.toVoxelSize(antiAlias(t1), 2, 2, 2, Resample.Interpolation.LINEAR, 0);
        Volume m = Resample.toGrid(mask, t.grid(), Resample.Interpolation.LINEAR, 0);
        for (float[] pl : m.planes()) {
            for (int i = 0; i < pl.length; i++) {
                pl[i] = pl[i] >= 0.5f ? 1 : 0;
            }
        }
        Volume core = Components.erode(m, 16);
        Volume inner = Components.erode(m, 6);
        List<Float> c = new ArrayList<>();
        List<Float> s = new ArrayList<>();
        for (int z = 0; z < t.nz(); z++) {
            float[] v = t.plane(z);
            float[] mm = m.plane(z);
            float[] cc = core.plane(z);
            float[] ii = inner.plane(z);
            for (int i = 0; i < v.length; i++) {
                if (cc[i] > 0) {
                    c.add(v[i]);
                } else if (mm[i] > 0 && ii[i] == 0) {
                    s.add(v[i]);
                }
            }
        }
        if (c.size() < 50) {
            throw new DopajException("no brain found: the brain mask is too thin to hold white matter");
        }
        double core0 = median(c);
        double shell = median(s);
        if (!(core0 > T1_CONTRAST * shell)) {
            throw new DopajException(String.format(Locale.ROOT, "the image does not look T1-weighted: inside the brain "
                    + "mask the deep white matter (median %.4g) is not brighter than the cortical shell (median %.4g)",
                    core0, shell));
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3g", v);
    }

    @Override
    public void close() {
        try {
            if (network != null) {
                network.close();
            }
        } finally {
            masker.close();
        }
    }
}
