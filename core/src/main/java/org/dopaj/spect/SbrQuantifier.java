package org.dopaj.spect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;

/**
 * Specific binding ratios of a spatially normalised 123I-FP-CIT (DaTscan) SPECT volume:
 * SBR = (mean VOI − mean reference) / mean reference for caudate, putamen (whole, anterior, posterior) and
 * striatum of each side; a hottest-voxel SBR per VOI; putamen asymmetry |R−L| / mean(R,L) × 100; putamen/caudate
 * ratio per side; z-scores against an optional {@link NormalDatabase}.
 *
 * <p>The image is measured on the VOI set's grid (by default {@link SpectVois} on the MNI152 2 mm grid); an image
 * on another grid is resampled trilinearly onto it (voxels outside its field of view are left out). The image
 * is never modified.
 *
 * <p>Hottest-voxel default: N = {@value #DEFAULT_HOTTEST_ML} mL worth of voxels on the VOI grid (125 at 2 mm):
 * about one resolution element of a DaTscan camera (a 12 mm sphere is 0.9 mL), small enough to sit inside the
 * residual uptake of a posterior putamen (≈ 3–4 mL) and large enough to average down the noise of single voxels.
 *
 * <p>Spatial-normalisation check (a warning, never an error): the image may not be in MNI space when (a) the mean
 * striatal SBR (average of both sides) is below {@value #MIN_STRIATAL_SBR}, or (b) fewer than half of the hottest
 * 1 mL of the whole image (after 8 mm FWHM smoothing, to ignore single noisy voxels) lie within
 * {@value #NEAR_STRIATUM_MM} mm of a striatal VOI voxel. Very low uptake (late disease) can trigger (a) and
 * extra-striatal hot spots (e.g. salivary glands in an unmasked head) can trigger (b): the reader decides.
 */
public final class SbrQuantifier {
    /** Default volume of the hottest-voxel SBR, in mL. */
    public static final double DEFAULT_HOTTEST_ML = 1.0;
    /**
     * Voxels more negative than this fraction of the image maximum are refused as impossible counts; smaller
     * negative values are the noise of a filtered back-projection and are kept.
     */
    public static final double NEGATIVE_TOLERANCE = 0.05;
    /** Plausible voxel sizes of a brain SPECT image, mm. */
    public static final double MIN_VOXEL_MM = 0.5;
    public static final double MAX_VOXEL_MM = 20;
    /** Check (a) of the spatial-normalisation heuristic. */
    public static final double MIN_STRIATAL_SBR = 0.2;
    /** Check (b) of the spatial-normalisation heuristic: distance from the striatal VOIs, in mm. */
    public static final double NEAR_STRIATUM_MM = 12.0;

    private final Integer hottestVoxels;
    private final NormalDatabase normals;
    private final Double age;

    private SbrQuantifier(Integer hottestVoxels, NormalDatabase normals, Double age) {
        this.hottestVoxels = hottestVoxels;
        this.normals = normals;
        this.age = age;
    }

    /** Default settings: hottest {@value #DEFAULT_HOTTEST_ML} mL, no normal database, no age. */
    public static SbrQuantifier defaults() {
        return new SbrQuantifier(null, null, null);
    }

    /** The same quantifier with N hottest voxels (N ≥ 1). */
    public SbrQuantifier withHottestVoxels(int n) {
        if (n < 1) {
            throw new DopajException("hottest_voxels must be ≥ 1, got " + n);
        }
        return new SbrQuantifier(n, normals, age);
    }

    /** The same quantifier with z-scores against {@code db} (null: none). */
    public SbrQuantifier withNormals(NormalDatabase db) {
        return new SbrQuantifier(hottestVoxels, db, age);
    }

    /** The same quantifier with the patient's age in years (null: unknown). */
    public SbrQuantifier withAge(Double years) {
        if (years != null && !(years >= 0 && years <= 130)) {
            throw new DopajException("age must be between 0 and 130 years, got " + years);
        }
        return new SbrQuantifier(hottestVoxels, normals, years);
    }

    /** N hottest voxels used on {@code grid}: the configured count, or the voxels of 1 mL. */
    public int hottestVoxels(Grid grid) {
        if (hottestVoxels != null) {
            return hottestVoxels;
        }
        return (int) Math.max(1, Math.round(DEFAULT_HOTTEST_ML * 1000 / grid.voxelVolumeMm3()));
    }

    /** Measures {@code image} with {@link SpectVois} on the MNI152 2 mm grid. */
    public SbrResult quantify(Volume image) {
        return quantify(image, DefaultVois.MNI);
    }

    /** Holder: the default VOIs are drawn once, on first use. */
    private static final class DefaultVois {
        static final VoiSet MNI = SpectVois.mni2mm();
    }

    /** Measures {@code image} in the VOIs of {@code vois}. */
    public SbrResult quantify(Volume image, VoiSet vois) {
        check(image);
        List<String> warnings = new ArrayList<>();
        Grid grid = vois.grid();
        boolean resampled = !image.grid().sameAs(grid, 1e-3);
        Volume img = resampled ? Resample.toGrid(image, grid, Resample.Interpolation.LINEAR, Float.NaN) : image;
        int n = hottestVoxels(grid);

        Map<String, Double> mean = new LinkedHashMap<>();
        Map<String, Double> hot = new LinkedHashMap<>();
        Map<String, Long> count = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : vois.regions().entrySet()) {
            float[] vals = values(img, vois.labels(), e.getValue());
            long total = countLabels(vois.labels(), e.getValue());
            if (vals.length == 0) {
                throw new DopajException("VOI '" + e.getKey() + "' ("
                        + (total == 0 ? "no voxel on the grid " + grid : "all voxels outside the image's field of view")
                        + ") cannot be measured");
            }
            if (vals.length < total) {
                warnings.add("VOI '" + e.getKey() + "': " + (total - vals.length) + " of " + total
                        + " voxels lie outside the image's field of view and were left out");
            }
            double s = 0;
            for (float v : vals) {
                s += v;
            }
            mean.put(e.getKey(), s / vals.length);
            count.put(e.getKey(), (long) vals.length);
            if (!e.getKey().equals(VoiSet.REFERENCE)) {
                if (vals.length < n) {
                    warnings.add("VOI '" + e.getKey() + "' has " + vals.length + " voxels, fewer than the " + n
                            + " hottest voxels asked: its hottest-voxel SBR uses them all");
                }
                hot.put(e.getKey(), topMean(vals, n));
            }
        }
        double ref = mean.get(VoiSet.REFERENCE);
        if (!(ref > 0)) {
            throw new DopajException("reference VOI mean is " + ref + " (must be > 0): no usable background uptake");
        }
        Map<String, Double> sbr = new LinkedHashMap<>();
        Map<String, Double> hotSbr = new LinkedHashMap<>();
        for (String r : VoiSet.NAMES) {
            if (hot.containsKey(r)) {
                sbr.put(r, (mean.get(r) - ref) / ref);
                hotSbr.put(r, (hot.get(r) - ref) / ref);
            }
        }
        Double putAsym = asymmetry(sbr.get(VoiSet.PUTAMEN_L), sbr.get(VoiSet.PUTAMEN_R), "putamen", warnings);
        Double caudAsym = asymmetry(sbr.get(VoiSet.CAUDATE_L), sbr.get(VoiSet.CAUDATE_R), "caudate", warnings);
        Double strAsym = asymmetry(sbr.get(VoiSet.STRIATUM_L), sbr.get(VoiSet.STRIATUM_R), "striatum", warnings);
        Double pcL = ratio(sbr.get(VoiSet.PUTAMEN_L), sbr.get(VoiSet.CAUDATE_L), "left", warnings);
        Double pcR = ratio(sbr.get(VoiSet.PUTAMEN_R), sbr.get(VoiSet.CAUDATE_R), "right", warnings);

        normalisationCheck(img, vois, (sbr.get(VoiSet.STRIATUM_L) + sbr.get(VoiSet.STRIATUM_R)) / 2, warnings);

        SbrResult partial = new SbrResult(sbr, hotSbr, mean, count, ref, n, putAsym, caudAsym, strAsym, pcL, pcR,
                Map.of(), age, vois.source(), resampled, warnings);
        Map<String, Double> z = new LinkedHashMap<>();
        if (normals != null) {
            Map<String, Double> metrics = partial.metrics();
            for (NormalDatabase.Entry en : normals.entries().values()) {
                Double v = metrics.get(en.metric());
                if (v == null) {
                    if (!isKnownMetric(en.metric())) {
                        throw new DopajException("normal database " + normals.source() + ": unknown region '"
                                + en.metric() + "'; known: " + metrics.keySet());
                    }
                    warnings.add("normal database: '" + en.metric() + "' is not measured for this image, no z-score");
                    continue;
                }
                z.put(en.metric(), en.z(v, age));
            }
        }
        return new SbrResult(sbr, hotSbr, mean, count, ref, n, putAsym, caudAsym, strAsym, pcL, pcR, z, age,
                vois.source(), resampled, List.copyOf(warnings));
    }

    private static boolean isKnownMetric(String m) {
        for (String r : VoiSet.NAMES) {
            if (!r.equals(VoiSet.REFERENCE) && (m.equals(r) || m.equals(r + "_hottest"))) {
                return true;
            }
        }
        return List.of("putamen_asymmetry", "caudate_asymmetry", "striatum_asymmetry", "putamen_caudate_ratio_l",
                "putamen_caudate_ratio_r").contains(m);
    }

    /** Refuses images SBR cannot be measured on, with one line naming the problem. */
    public static void check(Volume image) {
        if (image == null) {
            throw new DopajException("SPECT image is missing");
        }
        if (image.is4D()) {
            throw new DopajException("SPECT image has " + image.nt() + " frames: give one 3D volume");
        }
        if (image.nz() == 1 || image.nx() == 1 || image.ny() == 1) {
            throw new DopajException("SPECT image is 2D (" + image.nx() + "×" + image.ny() + "×" + image.nz()
                    + "): SBR needs a 3D volume");
        }
        double[] vox = image.grid().voxelMm();
        for (double d : vox) {
            // a brain SPECT voxel lies between 0.5 and 20 mm; outside that the geometry is not usable (e.g. a file
            // without sform/qform whose pixdim says 1e30), and VOIs in mm would land anywhere
            if (!(d >= MIN_VOXEL_MM && d <= MAX_VOXEL_MM)) {
                throw new DopajException(String.format(java.util.Locale.ROOT, "SPECT image has no usable geometry:"
                        + " voxel size %s mm is outside %.1f–%.0f mm (check the file's affine / pixdim)",
                        java.util.Arrays.toString(vox), MIN_VOXEL_MM, MAX_VOXEL_MM));
            }
        }
        image.requireFinite("SPECT image");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float[] p : image.planes()) {
            for (float v : p) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min == 0 && max == 0) {
            throw new DopajException("SPECT image is empty (all voxels are 0)");
        }
        if (min == max) {
            throw new DopajException("SPECT image is constant (all voxels are " + min + ")");
        }
        if (min < -NEGATIVE_TOLERANCE * Math.abs(max)) {
            throw new DopajException("SPECT image has negative counts (minimum " + min + ", maximum " + max
                    + "): give a reconstruction without negative values");
        }
    }

    /** Finite image values at voxels whose label is one of {@code labels}. */
    private static float[] values(Volume img, Volume labels, int[] lab) {
        float[] out = new float[1024];
        int k = 0;
        for (int z = 0; z < labels.nz(); z++) {
            float[] lp = labels.plane(z);
            float[] ip = img.plane(z);
            for (int i = 0; i < lp.length; i++) {
                if (lp[i] != 0 && VoiSet.contains(lab, lp[i]) && Float.isFinite(ip[i])) {
                    if (k == out.length) {
                        out = Arrays.copyOf(out, 2 * k);
                    }
                    out[k++] = ip[i];
                }
            }
        }
        return Arrays.copyOf(out, k);
    }

    private static long countLabels(Volume labels, int[] lab) {
        long n = 0;
        for (float[] p : labels.planes()) {
            for (float v : p) {
                if (v != 0 && VoiSet.contains(lab, v)) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Mean of the n largest values (all of them when there are fewer). */
    static double topMean(float[] vals, int n) {
        float[] s = vals.clone();
        Arrays.sort(s);
        int m = Math.min(n, s.length);
        double sum = 0;
        for (int i = s.length - m; i < s.length; i++) {
            sum += s[i];
        }
        return sum / m;
    }

    private static Double asymmetry(Double l, Double r, String what, List<String> warnings) {
        if (l == null || r == null) {
            return null;
        }
        double m = (l + r) / 2;
        if (!(m > 0)) {
            warnings.add(String.format(Locale.ROOT, "%s asymmetry undefined: mean SBR of both sides is %.3f",
                    what, m));
            return null;
        }
        return Math.abs(r - l) / m * 100;
    }

    private static Double ratio(Double putamen, Double caudate, String side, List<String> warnings) {
        if (!(caudate > 0)) {
            warnings.add(String.format(Locale.ROOT, "putamen/caudate ratio (%s) undefined: caudate SBR is %.3f",
                    side, caudate));
            return null;
        }
        return putamen / caudate;
    }

    /** The spatial-normalisation heuristic described in the class comment. */
    private static void normalisationCheck(Volume img, VoiSet vois, double striatalSbr, List<String> warnings) {
        if (striatalSbr < MIN_STRIATAL_SBR) {
            warnings.add(String.format(Locale.ROOT,
                    "striatal uptake is not clearly above the reference (mean striatal SBR %.2f < %.2f): the image"
                            + " may not be spatially normalised to MNI space, or binding is near absent", striatalSbr,
                    MIN_STRIATAL_SBR));
        }
        Grid g = img.grid();
        Volume filled = img.copy();
        for (float[] p : filled.planes()) {
            for (int i = 0; i < p.length; i++) {
                if (!Float.isFinite(p[i])) {
                    p[i] = 0;
                }
            }
        }
        Volume sm = Gaussian.smooth(filled, 8);
        int n = (int) Math.max(1, Math.round(1000 / g.voxelVolumeMm3()));
        float[] all = sm.toArray();
        float[] sorted = all.clone();
        Arrays.sort(sorted);
        float thr = sorted[Math.max(0, sorted.length - n)];
        int[] striatal = concat(vois.labelsOf(VoiSet.STRIATUM_L), vois.labelsOf(VoiSet.STRIATUM_R));
        double[] vox = g.voxelMm();
        int[] rad = new int[3];
        for (int a = 0; a < 3; a++) {
            rad[a] = (int) Math.ceil(NEAR_STRIATUM_MM / vox[a]);
        }
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        int hotCount = 0;
        int near = 0;
        double cx = 0;
        double cy = 0;
        double cz = 0;
        for (int idx = 0; idx < all.length && hotCount < n; idx++) {
            if (all[idx] < thr) {
                continue;
            }
            int x = idx % nx;
            int y = (idx / nx) % ny;
            int z = idx / (nx * ny);
            hotCount++;
            double[] mm = g.toMm(x, y, z);
            cx += mm[0];
            cy += mm[1];
            cz += mm[2];
            if (nearLabel(vois.labels(), striatal, x, y, z, rad, vox, nx, ny, nz)) {
                near++;
            }
        }
        if (near * 2 < hotCount) {
            warnings.add(String.format(Locale.ROOT,
                    "only %d of the %d hottest voxels (1 mL, centroid at %.0f, %.0f, %.0f mm) lie within %.0f mm of the"
                            + " striatal VOIs: the image may not be spatially normalised to MNI space", near, hotCount,
                    cx / hotCount, cy / hotCount, cz / hotCount, NEAR_STRIATUM_MM));
        }
    }

    private static boolean nearLabel(Volume labels, int[] lab, int x, int y, int z, int[] rad, double[] vox, int nx,
                                     int ny, int nz) {
        double r2 = NEAR_STRIATUM_MM * NEAR_STRIATUM_MM;
        for (int dz = -rad[2]; dz <= rad[2]; dz++) {
            int zz = z + dz;
            if (zz < 0 || zz >= nz) {
                continue;
            }
            float[] p = labels.plane(zz);
            for (int dy = -rad[1]; dy <= rad[1]; dy++) {
                int yy = y + dy;
                if (yy < 0 || yy >= ny) {
                    continue;
                }
                for (int dx = -rad[0]; dx <= rad[0]; dx++) {
                    int xx = x + dx;
                    if (xx < 0 || xx >= nx) {
                        continue;
                    }
                    double d2 = sq(dx * vox[0]) + sq(dy * vox[1]) + sq(dz * vox[2]);
                    float v = p[xx + yy * nx];
                    if (d2 <= r2 && v != 0 && VoiSet.contains(lab, v)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static double sq(double a) {
        return a * a;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
