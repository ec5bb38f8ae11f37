package org.dopaj.wmh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.dopaj.DopajException;
import org.dopaj.dl.train.Sample;
import org.dopaj.image.Affines;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.registration.AffineTransform;
import org.dopaj.registration.Registration;

/**
 * Training and evaluation images for WMH on T1, made honestly: white-matter lesions synthesised into real,
 * lesion-free T1 heads. No patient lesion label of a T1 exists here and none is used.
 *
 * <p><b>Heads</b> ({@link #head}): the FSL MNI152 T1 2 mm head, the ICBM 2009a T1, Colin 27 ({@code ch2}) and the
 * real single-subject heads of {@code realheads/}; each brain (its own mask: template mask, ICBM support, Colin's
 * {@code ch2bet}, the silver intracranial masks) is registered affinely to the MNI152 template as the pipeline does,
 * and its own white matter is found on the box: atlas WM probability ≥ 0.5 and T1 at least half-way from the head's
 * cortex median to its WM median ("allowed" voxels: lesions are drawn only there).
 *
 * <p><b>Lesions</b> ({@link #lesions}), in MNI mm, a total load drawn per image (log-uniform between the caller's
 * bounds): periventricular caps at the frontal and occipital horns and bands along the ventricles (voxels within a
 * 2–10 mm shell of the atlas ventricles, inside a gating ellipsoid of 8–20 mm around a ventricle point), deep
 * white-matter foci (irregular ellipsoids, radius 1.5–6 mm, more than 10 mm from the ventricles), confluent lesions
 * above 12 mL (3–8 overlapping ellipsoids of 4–10 mm spreading out of a periventricular anchor) and, for about half
 * of the shapes, real hand-drawn lesion shapes from {@link LesionLibrary} (mirrored left-right at random, scaled
 * 0.7–1.5, jittered by ±6 mm). Shapes follow the literature's picture of small-vessel WMH: periventricular first, caps
 * and bands growing into confluence with load, punctate deep foci (Fazekas 1987; Wardlaw et al. 2013, STRIVE).
 *
 * <p><b>Intensity</b>: each voxel's lesion fraction f comes from 2×2×2 sub-samples (partial volume); its T1 becomes
 * (1 − f)·I + f·(WM − α·(WM − GM)) with α drawn per shape in 0.6–1.6 (between grey and white matter down to darker
 * than cortex: T1 hypointensity) and a ±0.1 voxel texture. The label is f ≥ 0.5.
 *
 * <p><b>Placement</b> ({@link Placement}): version 1 draws the territory on the head's raw intensities and deep foci
 * and confluent anchors uniformly over it, and blends every lesion at the head's global tissue levels. On a head with
 * uneven white matter (a bias field) that moves the territory towards the brighter part and makes lesions there
 * darker than intended (and in the darker part fainter); and the drawn lesions sit at ventricle height (5–13 % of
 * lesion voxels above MNI z 40 mm, where the real labels have 28 %; {@link WmhHeadProfile}). Version 2 levels the
 * box by the head's smooth white-matter field ({@link Head#field}: normalised convolution of deep-WM intensity, FWHM
 * {@value #FIELD_FWHM_MM} mm) before choosing the territory, scales each lesion by the field where it lies (a lesion
 * carries the bias of its surroundings), draws the heights of deep foci, confluent anchors (up to 30 mm from the
 * ventricles, not 18) and band centres from the real labels' profile by 10 mm band of MNI z, and draws fewer
 * ventricle-height bands (15 % of shapes, not 25 %) for more deep and confluent lesions (from 8 mL, not 12): 17–20 %
 * of lesion voxels above 40 mm. A network trained on version 2 did worse on both versions' held-out lesions (see
 * docs/validation/wmh.md); the bundled weights and the defaults stay on version 1.
 *
 * <p><b>Training augmentation</b> ({@link #sample}): the box is drawn through a random affine (±4°, ±4 mm,
 * scales ±5 %: registration error), then a multiplicative bias field (smooth, ±20 %), a gamma change of contrast
 * (0.75–1.35), blur (FWHM 0–3 mm, anisotropic: thick slices), Gaussian noise (0–5 % of WM) and, in 20 % of images,
 * a field of view cut at the top or the bottom (zeros). 15 % of images have no lesion. All draws come from the
 * {@link Random} given, so a seed fixes every image.
 */
public final class LesionSynthesis {
    /** Heads known to {@link #head}. */
    public static final List<String> HEADS = List.of("mni152", "icbm2009a", "colin27", "brainchop", "niivue_otsu");
    /** The head kept out of training (evaluation only). */
    public static final String HELD_OUT = "niivue_otsu";
    public static final String COLIN = "/usr/share/mricron/templates/ch2.nii.gz";
    public static final String COLIN_BET = "/usr/share/mricron/templates/ch2bet.nii.gz";

    /**
     * A prepared lesion-free head: {@code allowed} is the version-1 territory (raw intensities), {@code field} the
     * smooth white-matter level on the box (intensity units), {@code levelledAllowed} the version-2 territory.
     */
    public record Head(String name, Volume t1, Volume smoothed, Volume brainMask, AffineTransform fixedToMoving,
            AffineTransform movingToFixed, Volume allowed, double wm, double gm, double ncc, Volume field,
            Volume levelledAllowed) {
        /** The white-matter level at MNI mm relative to the head's median (1 outside the box). */
        public double level(double x, double y, double z) {
            double f = sample(field, x, y, z);
            return f > 0 ? f / wm : 1;
        }
    }

    /** How lesions are placed and blended (see the class comment); the id is the name in lower case, '-' for '_'. */
    public enum Placement {
        RAW_V1, LEVELLED_V2;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public static Placement parse(String id) {
            try {
                return valueOf(id.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new DopajException("unknown lesion placement " + id + " (raw-v1 or levelled-v2)");
            }
        }
    }

    /** FWHM of the normalised convolution that gives a head's white-matter field. */
    static final double FIELD_FWHM_MM = 20;
    /** Lowest MNI z (mm) of the depth profile's first 10 mm band; the bands cover the box. */
    static final int PROFILE_Z0 = -40;
    static final int PROFILE_BANDS = 12;

    private final List<Head> heads;
    private final WmhModel.Normalisation normalisation;
    private final LesionLibrary library;
    private final WmhAtlas atlas = WmhAtlas.load();
    private final int[][] ventricleVoxels;
    private final int[][][] ventricleByBand;
    private final Placement placement;
    /** Version 2: cumulative share of real lesion voxels by band, and each head's territory voxels by band. */
    private final double[] profileCdf;
    private final java.util.Map<String, int[][]> territoryByBand = new java.util.HashMap<>();

    public LesionSynthesis(List<Head> heads, LesionLibrary library) {
        this(heads, library, WmhModel.Normalisation.TISSUE, Placement.RAW_V1);
    }

    /**
     * As above, with the network input's {@code normalisation} and the lesion {@code placement} (a package trained
     * earlier may need version 1 of either).
     */
    public LesionSynthesis(List<Head> heads, LesionLibrary library, WmhModel.Normalisation normalisation,
            Placement placement) {
        this.normalisation = normalisation;
        this.placement = placement;
        this.heads = List.copyOf(heads);
        this.library = library;
        double[] share = library != null ? library.depthProfile() : new double[PROFILE_BANDS];
        profileCdf = new double[PROFILE_BANDS];
        double sum = 0;
        for (int k = 0; k < PROFILE_BANDS; k++) {
            sum += share[k] + 0.01; // every band keeps a little chance
            profileCdf[k] = sum;
        }
        for (int k = 0; k < PROFILE_BANDS; k++) {
            profileCdf[k] /= sum;
        }
        for (Head h : this.heads) {
            territoryByBand.put(h.name(), byBand(h.levelledAllowed()));
        }
        List<int[]> vv = new ArrayList<>();
        Volume v = atlas.ventricles();
        for (int z = 0; z < v.nz(); z++) {
            for (int y = 0; y < v.ny(); y++) {
                for (int x = 0; x < v.nx(); x++) {
                    if (v.get(x, y, z) > 0) {
                        vv.add(new int[] {x, y, z});
                    }
                }
            }
        }
        ventricleVoxels = vv.toArray(new int[0][]);
        ventricleByBand = new int[PROFILE_BANDS][][];
        for (int k = 0; k < PROFILE_BANDS; k++) {
            int band = k;
            ventricleByBand[k] = vv.stream().filter(q -> band(WmhModel.box().toMm(q[0], q[1], q[2])[2]) == band)
                    .toArray(int[][]::new);
        }
    }

    /** How lesions are placed and blended. */
    public Placement placement() {
        return placement;
    }

    /** The territory of {@link #placement}. */
    public Volume territory(Head h) {
        return placement == Placement.RAW_V1 ? h.allowed() : h.levelledAllowed();
    }

    /** Band of MNI z (mm) in the depth profile. */
    static int band(double zMm) {
        return Math.max(0, Math.min(PROFILE_BANDS - 1, (int) Math.floor((zMm - PROFILE_Z0) / 10)));
    }

    /** Box voxel indices of {@code territory}, by band. */
    private static int[][] byBand(Volume territory) {
        Grid b = territory.grid();
        List<List<Integer>> lists = new ArrayList<>();
        for (int k = 0; k < PROFILE_BANDS; k++) {
            lists.add(new ArrayList<>());
        }
        for (int z = 0; z < b.nz(); z++) {
            float[] p = territory.plane(z);
            List<Integer> l = lists.get(band(b.toMm(0, 0, z)[2]));
            for (int i = 0; i < p.length; i++) {
                if (p[i] > 0) {
                    l.add(i + p.length * z);
                }
            }
        }
        int[][] out = new int[PROFILE_BANDS][];
        for (int k = 0; k < PROFILE_BANDS; k++) {
            out[k] = lists.get(k).stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** How {@link #sample} normalises the network's input. */
    public WmhModel.Normalisation normalisation() {
        return normalisation;
    }

    public List<Head> heads() {
        return heads;
    }

    public LesionLibrary library() {
        return library;
    }

    // ------------------------------------------------------------------ heads

    /** {@code heads} if every one is in {@link #HEADS}; else an error naming {@code what} and the known heads. */
    public static List<String> requireKnown(List<String> heads, String what) {
        for (String h : heads) {
            if (!HEADS.contains(h)) {
                throw new DopajException(what + ": unknown head " + h + " (one of " + HEADS + ")");
            }
        }
        return heads;
    }

    /** Reads and prepares head {@code name} ({@link #HEADS}) from {@code shared}. */
    public static Head head(Path shared, String name) {
        Volume t1;
        Volume mask;
        switch (name) {
            case "mni152" -> {
                t1 = ImageFiles.read(shared.resolve("mni152_2mm/MNI152_T1_2mm.nii.gz"));
                mask = ImageFiles.read(shared.resolve("mni152_2mm/MNI152_T1_2mm_Brain_Mask.nii.gz"));
            }
            case "icbm2009a" -> {
                t1 = ImageFiles.read(shared.resolve("icbm2009a/mni_icbm152_t1_tal_nlin_sym_09a_converted.nii.gz"));
                mask = positive(t1);
            }
            case "colin27" -> {
                if (!Files.isRegularFile(Path.of(COLIN))) {
                    throw new DopajException("Colin 27 not found at " + COLIN);
                }
                t1 = ImageFiles.read(Path.of(COLIN));
                mask = positive(ImageFiles.read(Path.of(COLIN_BET)));
            }
            case "brainchop" -> {
                t1 = ImageFiles.read(shared.resolve("realheads/brainchop_t1_crop.nii.gz"));
                mask = ImageFiles.read(shared.resolve("realheads/brainchop_t1_crop_silvermask_DERIVED.nii.gz"));
            }
            case "niivue_otsu" -> {
                t1 = ImageFiles.read(shared.resolve("realheads/niivue_otsu_t1.nii.gz"));
                mask = ImageFiles.read(shared.resolve("realheads/niivue_otsu_t1_silvermask_DERIVED.nii.gz"));
            }
            default -> throw new DopajException("unknown head " + name + " (one of " + HEADS + ")");
        }
        mask = positive(Resample.toGrid(mask, t1.grid(), Resample.Interpolation.NEAREST, 0));
        return prepare(name, t1, mask);
    }

    /** Registers a lesion-free head (with its brain mask) to MNI and finds its white matter. */
    public static Head prepare(String name, Volume t1, Volume mask) {
        Volume brain = t1.copy();
        for (int z = 0; z < brain.nz(); z++) {
            float[] b = brain.plane(z);
            float[] m = mask.plane(z);
            for (int i = 0; i < b.length; i++) {
                if (m[i] == 0) {
                    b[i] = 0;
                }
            }
        }
        WmhAtlas atlas = WmhAtlas.load();
        Registration.Result r = Registration.register(brain, atlas.template(),
                Registration.Options.defaults().withMinNcc(0.5)).requireOk("the MNI152 template", name);
        Volume smoothed = WmhSegmenter.antiAlias(t1);
        Volume box = Resample.toGrid(smoothed, WmhSegmenter.boxGridInNative(r.fixedToMoving()),
                Resample.Interpolation.LINEAR, 0).withGrid(WmhModel.box());
        double[] lv = WmhSegmenter.tissueLevels(box, atlas);
        Volume field = whiteMatterField(box, atlas, lv[0]);
        Volume levelled = box.copy();
        for (int z = 0; z < box.nz(); z++) {
            float[] b = levelled.plane(z);
            float[] f = field.plane(z);
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) (b[i] * lv[0] / f[i]);
            }
        }
        double[] ll = WmhSegmenter.tissueLevels(levelled, atlas);
        return new Head(name, t1, smoothed, mask, r.fixedToMoving(), r.movingToFixed(), territory(box, atlas, lv),
                lv[0], lv[1], r.ncc(), field, territory(levelled, atlas, ll));
    }

    /** Atlas WM ≥ 0.5 and at least half-way from the cortex level to the white-matter level. */
    private static Volume territory(Volume box, WmhAtlas atlas, double[] levels) {
        Volume allowed = Volume.allocate(WmhModel.box());
        float mid = (float) ((levels[0] + levels[1]) / 2);
        for (int z = 0; z < box.nz(); z++) {
            float[] b = box.plane(z);
            float[] w = atlas.wm().plane(z);
            float[] a = allowed.plane(z);
            for (int i = 0; i < b.length; i++) {
                a[i] = w[i] >= 0.5f && b[i] >= mid ? 1 : 0;
            }
        }
        return allowed;
    }

    /**
     * The smooth white-matter level of a box: normalised convolution of the deep white matter (atlas WM > 0.9, within
     * half to one and a half times the median {@code wm}) with a Gaussian of FWHM {@value #FIELD_FWHM_MM} mm, falling
     * back to {@code wm} far from any (a small constant weight of it in both sums).
     */
    static Volume whiteMatterField(Volume box, WmhAtlas atlas, double wm) {
        Volume num = Volume.allocate(box.grid());
        Volume den = Volume.allocate(box.grid());
        for (int z = 0; z < box.nz(); z++) {
            float[] b = box.plane(z);
            float[] w = atlas.wm().plane(z);
            float[] n = num.plane(z);
            float[] d = den.plane(z);
            for (int i = 0; i < b.length; i++) {
                if (w[i] > 0.9f && b[i] > 0.5 * wm && b[i] < 1.5 * wm) {
                    n[i] = b[i];
                    d[i] = 1;
                }
            }
        }
        num = Gaussian.smooth(num, FIELD_FWHM_MM);
        den = Gaussian.smooth(den, FIELD_FWHM_MM);
        double eps = 0.02;
        for (int z = 0; z < box.nz(); z++) {
            float[] n = num.plane(z);
            float[] d = den.plane(z);
            for (int i = 0; i < n.length; i++) {
                n[i] = (float) ((n[i] + eps * wm) / (d[i] + eps));
            }
        }
        return num;
    }

    private static Volume positive(Volume v) {
        Volume o = Volume.allocate(v.grid());
        for (int z = 0; z < v.nz(); z++) {
            float[] a = v.plane(z);
            float[] b = o.plane(z);
            for (int i = 0; i < a.length; i++) {
                b[i] = a[i] > 0 ? 1 : 0;
            }
        }
        return o;
    }

    // ------------------------------------------------------------------ shapes

    /** A lesion shape in MNI mm with its hypointensity α. */
    interface Shape {
        double[] lo();

        double[] hi();

        boolean inside(double x, double y, double z);

        double alpha();
    }

    /** An irregular ellipsoid (radius modulated by low-frequency sines). */
    record Blob(double[] c, double[] r, double[][] rot, double[] phase, double wobble, double alpha) implements Shape {
        public double[] lo() {
            double m = Math.max(r[0], Math.max(r[1], r[2])) * (1 + wobble);
            return new double[] {c[0] - m, c[1] - m, c[2] - m};
        }

        public double[] hi() {
            double m = Math.max(r[0], Math.max(r[1], r[2])) * (1 + wobble);
            return new double[] {c[0] + m, c[1] + m, c[2] + m};
        }

        public boolean inside(double x, double y, double z) {
            double dx = x - c[0];
            double dy = y - c[1];
            double dz = z - c[2];
            double u = (rot[0][0] * dx + rot[0][1] * dy + rot[0][2] * dz) / r[0];
            double v = (rot[1][0] * dx + rot[1][1] * dy + rot[1][2] * dz) / r[1];
            double w = (rot[2][0] * dx + rot[2][1] * dy + rot[2][2] * dz) / r[2];
            double rho = Math.sqrt(u * u + v * v + w * w);
            if (rho > 1 + wobble) {
                return false;
            }
            double mod = 1 + wobble * Math.sin(3 * u + phase[0]) * Math.sin(3 * v + phase[1]) * Math.sin(3 * w + phase[2]);
            return rho <= mod;
        }
    }

    /** A periventricular cap or band: a shell of the ventricles, inside a gating ellipsoid. */
    record Band(Blob gate, double thicknessMm, Volume distance, double alpha) implements Shape {
        public double[] lo() {
            return gate.lo();
        }

        public double[] hi() {
            return gate.hi();
        }

        public boolean inside(double x, double y, double z) {
            if (!gate.inside(x, y, z)) {
                return false;
            }
            double d = sample(distance, x, y, z);
            return d > 0.5 && d <= thicknessMm;
        }
    }

    /** A real lesion shape from the library, mirrored, scaled and moved. */
    record Real(LesionLibrary.Lesion lesion, boolean mirror, double scale, double[] shift, double alpha) implements Shape {
        private double[] centre() {
            double[] c = lesion.centreMm();
            return new double[] {(mirror ? -c[0] : c[0]) + shift[0], c[1] + shift[1], c[2] + shift[2]};
        }

        public double[] lo() {
            Grid g = lesion.grid();
            double half = 0.5 * scale * Math.max(g.nx(), Math.max(g.ny(), g.nz())) + 1;
            double[] c = centre();
            return new double[] {c[0] - half, c[1] - half, c[2] - half};
        }

        public double[] hi() {
            Grid g = lesion.grid();
            double half = 0.5 * scale * Math.max(g.nx(), Math.max(g.ny(), g.nz())) + 1;
            double[] c = centre();
            return new double[] {c[0] + half, c[1] + half, c[2] + half};
        }

        public boolean inside(double x, double y, double z) {
            double[] c = centre();
            double[] o = lesion.centreMm();
            double dx = (x - c[0]) / scale;
            double qx = mirror ? o[0] - dx : o[0] + dx;
            double qy = o[1] + (y - c[1]) / scale;
            double qz = o[2] + (z - c[2]) / scale;
            return lesion.at(qx, qy, qz) >= 0.5;
        }
    }

    /** Trilinear sample of a box volume at MNI mm (0 outside). */
    static double sample(Volume v, double x, double y, double z) {
        double fx = (x - WmhModel.ORIGIN_MM[0]) / WmhModel.VOXEL_MM;
        double fy = (y - WmhModel.ORIGIN_MM[1]) / WmhModel.VOXEL_MM;
        double fz = (z - WmhModel.ORIGIN_MM[2]) / WmhModel.VOXEL_MM;
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        if (fx < 0 || fy < 0 || fz < 0 || fx > nx - 1 || fy > ny - 1 || fz > nz - 1) {
            return 0;
        }
        int x0 = Math.min(nx - 2, (int) fx);
        int y0 = Math.min(ny - 2, (int) fy);
        int z0 = Math.min(nz - 2, (int) fz);
        double ax = fx - x0;
        double ay = fy - y0;
        double az = fz - z0;
        double s = 0;
        for (int c = 0; c < 8; c++) {
            int dx = c & 1;
            int dy = (c >> 1) & 1;
            int dz = (c >> 2) & 1;
            double w = (dx == 1 ? ax : 1 - ax) * (dy == 1 ? ay : 1 - ay) * (dz == 1 ? az : 1 - az);
            if (w > 0) {
                s += w * v.plane(z0 + dz)[(x0 + dx) + nx * (y0 + dy)];
            }
        }
        return s;
    }

    private static double[][] rotation(Random rng) {
        double a = rng.nextDouble() * Math.PI * 2;
        double b = (rng.nextDouble() - 0.5) * Math.PI;
        double c = rng.nextDouble() * Math.PI * 2;
        double[][] rx = {{1, 0, 0}, {0, Math.cos(a), -Math.sin(a)}, {0, Math.sin(a), Math.cos(a)}};
        double[][] ry = {{Math.cos(b), 0, Math.sin(b)}, {0, 1, 0}, {-Math.sin(b), 0, Math.cos(b)}};
        double[][] rz = {{Math.cos(c), -Math.sin(c), 0}, {Math.sin(c), Math.cos(c), 0}, {0, 0, 1}};
        return mul3(rz, mul3(ry, rx));
    }

    private static double[][] mul3(double[][] a, double[][] b) {
        double[][] o = new double[3][3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 3; k++) {
                    o[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return o;
    }

    private Blob blob(double[] c, double r0, double r1, Random rng, double alpha) {
        double[] r = new double[3];
        for (int a = 0; a < 3; a++) {
            r[a] = r0 + rng.nextDouble() * (r1 - r0);
        }
        double[] ph = {rng.nextDouble() * 6.3, rng.nextDouble() * 6.3, rng.nextDouble() * 6.3};
        return new Blob(c, r, rotation(rng), ph, 0.1 + 0.25 * rng.nextDouble(), alpha);
    }

    private double[] ventriclePoint(Random rng) {
        int[] v = ventricleVoxels[rng.nextInt(ventricleVoxels.length)];
        return WmhModel.box().toMm(v[0], v[1], v[2]);
    }

    /**
     * A height band drawn from the real labels' profile among the bands that hold something ({@code sizes[k] > 0}):
     * one random number, as the profile's cumulative share.
     */
    private int profileBand(Random rng, int[] sizes) {
        double[] w = new double[PROFILE_BANDS];
        double total = 0;
        for (int k = 0; k < PROFILE_BANDS; k++) {
            w[k] = sizes[k] == 0 ? 0 : profileCdf[k] - (k == 0 ? 0 : profileCdf[k - 1]);
            total += w[k];
        }
        double u = rng.nextDouble() * total;
        int k = 0;
        while (k < PROFILE_BANDS - 1 && (u -= w[k]) > 0) {
            k++;
        }
        return k;
    }

    /** The length of each band's array (voxel indices or voxel coordinates). */
    private static int[] sizes(Object[] byBand) {
        return java.util.Arrays.stream(byBand).mapToInt(java.lang.reflect.Array::getLength).toArray();
    }

    /** Version 2: a ventricle voxel whose height band is drawn from the real labels' profile. */
    private double[] profiledVentriclePoint(Random rng) {
        int[][] band = ventricleByBand[profileBand(rng, sizes(ventricleByBand))];
        int[] v = band[rng.nextInt(band.length)];
        return WmhModel.box().toMm(v[0], v[1], v[2]);
    }

    /** A ventricle voxel at the anterior (frontal horn) or posterior (occipital/atrium) end of one side. */
    private double[] hornPoint(Random rng) {
        boolean left = rng.nextBoolean();
        boolean front = rng.nextBoolean();
        double best = front ? -Double.MAX_VALUE : Double.MAX_VALUE;
        double[] p = null;
        for (int k = 0; k < 40; k++) {
            double[] q = ventriclePoint(rng);
            if ((q[0] < 0) != left) {
                continue;
            }
            if (front ? q[1] > best : q[1] < best) {
                best = q[1];
                p = q;
            }
        }
        return p != null ? p : ventriclePoint(rng);
    }

    /**
     * A random territory (white-matter) point of {@code head} with ventricle distance in [dMin, dMax], or null:
     * version 1 uniform over the territory, version 2 first a height band from the real labels' profile.
     */
    private double[] wmPoint(Head head, Random rng, double dMin, double dMax) {
        return placement == Placement.RAW_V1 ? uniformWmPoint(head, rng, dMin, dMax)
                : profiledWmPoint(head, rng, dMin, dMax);
    }

    private double[] profiledWmPoint(Head head, Random rng, double dMin, double dMax) {
        int[][] byBand = territoryByBand.get(head.name());
        int[] voxels = byBand[profileBand(rng, sizes(byBand))];
        if (voxels.length == 0) {
            return null;
        }
        Grid b = WmhModel.box();
        int plane = b.nx() * b.ny();
        for (int t = 0; t < 100; t++) {
            int i = voxels[rng.nextInt(voxels.length)];
            int z = i / plane;
            int y = (i % plane) / b.nx();
            int x = i % b.nx();
            double d = atlas.ventricleDistance().get(x, y, z);
            if (d >= dMin && d <= dMax) {
                return jittered(b.toMm(x, y, z), rng);
            }
        }
        return null;
    }

    private static double[] jittered(double[] mm, Random rng) {
        return new double[] {mm[0] + rng.nextDouble() * 2 - 1, mm[1] + rng.nextDouble() * 2 - 1,
            mm[2] + rng.nextDouble() * 2 - 1};
    }

    private double[] uniformWmPoint(Head head, Random rng, double dMin, double dMax) {
        Grid b = WmhModel.box();
        for (int k = 0; k < 400; k++) {
            int x = rng.nextInt(b.nx());
            int y = rng.nextInt(b.ny());
            int z = rng.nextInt(b.nz());
            if (head.allowed().get(x, y, z) > 0) {
                double d = atlas.ventricleDistance().get(x, y, z);
                if (d >= dMin && d <= dMax) {
                    return jittered(b.toMm(x, y, z), rng);
                }
            }
        }
        return null;
    }

    /**
     * Shapes whose nominal volumes add up to about {@code loadMl} (the drawn volume differs: shapes overlap and are
     * clipped to white matter; the label is the truth).
     */
    public List<Shape> lesions(Head head, double loadMl, Random rng) {
        List<Shape> out = new ArrayList<>();
        double target = loadMl * 1000;
        double sum = 0;
        double baseAlpha = 0.6 + rng.nextDouble() * 1.0;
        // shares of real shapes, periventricular caps/bands, deep foci (the rest confluent above 12 / 8 mL):
        // version 2 draws fewer bands, which sit at ventricle height, for more lesions above the ventricles' roof
        double[] cut = placement == Placement.RAW_V1 ? new double[] {0.45, 0.7, 0.9, 12000}
                : new double[] {0.40, 0.55, 0.8, 8000};
        int guard = 0;
        while (sum < target && guard++ < 400) {
            double alpha = Math.max(0.5, Math.min(1.7, baseAlpha + (rng.nextDouble() - 0.5) * 0.3));
            double u = rng.nextDouble();
            double remaining = target - sum;
            if (library != null && !library.lesions().isEmpty() && u < cut[0]) {
                LesionLibrary.Lesion l = library.lesions().get(rng.nextInt(library.lesions().size()));
                double scale = 0.7 + rng.nextDouble() * 0.8;
                double vol = l.volumeMm3() * scale * scale * scale;
                if (vol > remaining * 1.6 && vol > 300) {
                    continue;
                }
                double[] shift = {(rng.nextDouble() - 0.5) * 12, (rng.nextDouble() - 0.5) * 12,
                    (rng.nextDouble() - 0.5) * 12};
                out.add(new Real(l, rng.nextBoolean(), scale, shift, alpha));
                sum += vol * 0.7;
            } else if (u < cut[1]) {
                boolean cap = rng.nextBoolean();
                double[] c = cap ? hornPoint(rng) : placement == Placement.RAW_V1 ? ventriclePoint(rng)
                        : profiledVentriclePoint(rng);
                double big = Math.min(20, 8 + Math.cbrt(remaining) * 0.6);
                Blob gate = blob(c, 6, big, rng, alpha);
                double th = cap ? 3 + rng.nextDouble() * Math.min(9, 2 + remaining / 800)
                        : 2 + rng.nextDouble() * Math.min(8, 1 + remaining / 1000);
                out.add(new Band(gate, th, atlas.ventricleDistance(), alpha));
                double gv = 4.0 / 3 * Math.PI * Math.pow((6 + big) / 2, 3);
                sum += Math.min(gv, gv * th / 12) * 0.5;
            } else if (u < cut[2] || remaining < cut[3]) {
                double[] c = wmPoint(head, rng, 10, 100);
                if (c == null) {
                    continue;
                }
                double r1 = Math.min(6, 1.5 + Math.cbrt(remaining) * 0.3);
                Blob b = blob(c, 1.5, r1, rng, alpha);
                out.add(b);
                sum += 4.0 / 3 * Math.PI * b.r()[0] * b.r()[1] * b.r()[2] * 0.8;
            } else {
                // version 2: confluent lesions also grow in the centrum semiovale, above the ventricles' roof
                double[] anchor = wmPoint(head, rng, 4, placement == Placement.RAW_V1 ? 18 : 30);
                if (anchor == null) {
                    continue;
                }
                int n = 3 + rng.nextInt(6);
                double[] c = anchor.clone();
                for (int k = 0; k < n; k++) {
                    Blob b = blob(c.clone(), 4, 10, rng, alpha);
                    out.add(b);
                    sum += 4.0 / 3 * Math.PI * b.r()[0] * b.r()[1] * b.r()[2] * 0.5;
                    for (int a = 0; a < 3; a++) {
                        c[a] += (rng.nextDouble() - 0.5) * 14;
                    }
                }
            }
        }
        return out;
    }

    // ------------------------------------------------------------------ rendering

    /**
     * Lesion fraction (2×2×2 sub-samples) and α on {@code target}, whose voxel → MNI mm map is {@code voxelToMni},
     * clipped to the head's allowed (white-matter) voxels. Returns {fraction, alpha}.
     */
    public static Volume[] render(Grid target, double[][] voxelToMni, List<Shape> shapes, Volume allowed) {
        Volume f = Volume.allocate(target);
        Volume al = Volume.allocate(target);
        double[][] mniToVoxel = Affines.invert(voxelToMni);
        int ss = 2;
        int[] n = target.dims();
        for (Shape s : shapes) {
            double[] lo = s.lo();
            double[] hi = s.hi();
            int[] vlo = {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE};
            int[] vhi = {Integer.MIN_VALUE, Integer.MIN_VALUE, Integer.MIN_VALUE};
            for (int c = 0; c < 8; c++) {
                double x = (c & 1) == 0 ? lo[0] : hi[0];
                double y = (c & 2) == 0 ? lo[1] : hi[1];
                double z = (c & 4) == 0 ? lo[2] : hi[2];
                for (int a = 0; a < 3; a++) {
                    double v = mniToVoxel[a][0] * x + mniToVoxel[a][1] * y + mniToVoxel[a][2] * z + mniToVoxel[a][3];
                    vlo[a] = Math.min(vlo[a], (int) Math.floor(v) - 1);
                    vhi[a] = Math.max(vhi[a], (int) Math.ceil(v) + 1);
                }
            }
            for (int a = 0; a < 3; a++) {
                vlo[a] = Math.max(0, vlo[a]);
                vhi[a] = Math.min(n[a] - 1, vhi[a]);
            }
            for (int z = vlo[2]; z <= vhi[2]; z++) {
                float[] fp = f.plane(z);
                float[] ap = al.plane(z);
                for (int y = vlo[1]; y <= vhi[1]; y++) {
                    for (int x = vlo[0]; x <= vhi[0]; x++) {
                        int i = x + y * n[0];
                        if (fp[i] >= 1) {
                            continue;
                        }
                        int in = 0;
                        for (int c = 0; c < ss * ss * ss; c++) {
                            double sx = x + ((c % ss) + 0.5) / ss - 0.5;
                            double sy = y + (((c / ss) % ss) + 0.5) / ss - 0.5;
                            double sz = z + ((c / (ss * ss)) + 0.5) / ss - 0.5;
                            double mx = voxelToMni[0][0] * sx + voxelToMni[0][1] * sy + voxelToMni[0][2] * sz + voxelToMni[0][3];
                            double my = voxelToMni[1][0] * sx + voxelToMni[1][1] * sy + voxelToMni[1][2] * sz + voxelToMni[1][3];
                            double mz = voxelToMni[2][0] * sx + voxelToMni[2][1] * sy + voxelToMni[2][2] * sz + voxelToMni[2][3];
                            if (s.inside(mx, my, mz) && sample(allowed, mx, my, mz) >= 0.5) {
                                in++;
                            }
                        }
                        float v = (float) in / (ss * ss * ss);
                        if (v > fp[i]) {
                            fp[i] = v;
                            ap[i] = (float) s.alpha();
                        }
                    }
                }
            }
        }
        return new Volume[] {f, al};
    }

    /**
     * Blends lesions ({fraction, alpha} of {@link #render}) into {@code image} in place: (1 − f)·I + f·L·(WM − α·(WM −
     * GM)) with a ±0.1 α texture, WM and GM the head's medians; L = 1 in version 1, in version 2 the white-matter
     * level at the voxel ({@link Head#level}, through {@code voxelToMni}): α keeps its meaning against the head's own
     * white-matter–cortex contrast, and the lesion carries the bias of the white matter around it.
     */
    public void blend(Volume image, double[][] voxelToMni, Volume[] lesions, Head head, Random rng) {
        boolean local = placement == Placement.LEVELLED_V2;
        double wm = head.wm();
        double gm = head.gm();
        Grid g = image.grid();
        for (int z = 0; z < image.nz(); z++) {
            float[] im = image.plane(z);
            float[] f = lesions[0].plane(z);
            float[] a = lesions[1].plane(z);
            for (int i = 0; i < im.length; i++) {
                if (f[i] > 0) {
                    double al = a[i] + (rng.nextDouble() - 0.5) * 0.2;
                    double level = 1;
                    if (local) {
                        int x = i % g.nx();
                        int y = i / g.nx();
                        double[][] m = voxelToMni;
                        level = head.level(m[0][0] * x + m[0][1] * y + m[0][2] * z + m[0][3],
                                m[1][0] * x + m[1][1] * y + m[1][2] * z + m[1][3],
                                m[2][0] * x + m[2][1] * y + m[2][2] * z + m[2][3]);
                    }
                    double les = level * (wm - al * (wm - gm));
                    im[i] = (float) ((1 - f[i]) * im[i] + f[i] * les);
                }
            }
        }
    }

    // ------------------------------------------------------------------ training samples

    /** A random affine (±4°, ±4 mm, scales ±5 %) about the box centre: box mm → MNI mm. */
    static double[][] perturbation(Random rng) {
        double[] t = {(rng.nextDouble() - 0.5) * 8, (rng.nextDouble() - 0.5) * 8, (rng.nextDouble() - 0.5) * 8};
        double[] r = {(rng.nextDouble() - 0.5) * 8, (rng.nextDouble() - 0.5) * 8, (rng.nextDouble() - 0.5) * 8};
        double[] s = {1 + (rng.nextDouble() - 0.5) * 0.1, 1 + (rng.nextDouble() - 0.5) * 0.1,
            1 + (rng.nextDouble() - 0.5) * 0.1};
        AffineTransform.Parameters p = new AffineTransform.Parameters(t, r, s, new double[3]);
        return AffineTransform.of(p, new double[] {0, -17, 19}).matrix();
    }

    /** One training sample from {@code rng}: the augmented, normalised box and its label map. */
    public Sample sample(Random rng) {
        Head h = heads.get(rng.nextInt(heads.size()));
        double load = rng.nextDouble() < 0.15 ? 0 : Math.exp(Math.log(0.5) + rng.nextDouble() * Math.log(120 / 0.5));
        return sample(h, load, rng);
    }

    /** A training sample of {@code head} with about {@code loadMl} of lesions. */
    public Sample sample(Head head, double loadMl, Random rng) {
        Grid box = WmhModel.box();
        double[][] p = perturbation(rng);
        double[][] boxToMni = Affines.multiply(p, box.affine());
        Grid inNative = Grid.fromAffine(box.nx(), box.ny(), box.nz(),
                Affines.multiply(head.fixedToMoving().matrix(), boxToMni));
        Volume img = Resample.toGrid(head.smoothed(), inNative, Resample.Interpolation.LINEAR, 0).withGrid(box);
        Volume label = Volume.allocate(box);
        if (loadMl > 0) {
            List<Shape> shapes = lesions(head, loadMl, rng);
            Volume[] fa = render(box, boxToMni, shapes, territory(head));
            blend(img, boxToMni, fa, head, rng);
            for (int z = 0; z < box.nz(); z++) {
                float[] f = fa[0].plane(z);
                float[] l = label.plane(z);
                for (int i = 0; i < f.length; i++) {
                    l[i] = f[i] >= 0.5f ? 1 : 0;
                }
            }
        }
        img = augment(img, head.wm(), rng);
        float[] in = WmhSegmenter.normalise(img, atlas, normalisation);
        float[] t = new float[WmhModel.size()];
        for (int z = 0; z < box.nz(); z++) {
            float[] l = label.plane(z);
            for (int y = 0; y < box.ny(); y++) {
                for (int x = 0; x < box.nx(); x++) {
                    t[WmhModel.tensorIndex(x, y, z)] = l[x + y * box.nx()];
                }
            }
        }
        return new Sample(in, t);
    }

    /** Bias, gamma, blur, noise, field-of-view cut (see the class comment). */
    static Volume augment(Volume img, double wm, Random rng) {
        Grid g = img.grid();
        double[] c = new double[9];
        for (int k = 0; k < c.length; k++) {
            c[k] = (rng.nextDouble() - 0.5) * 0.25;
        }
        double gamma = 0.75 + rng.nextDouble() * 0.6;
        Volume out = img.copy();
        for (int z = 0; z < g.nz(); z++) {
            float[] p = out.plane(z);
            double w = 2.0 * z / (g.nz() - 1) - 1;
            for (int y = 0; y < g.ny(); y++) {
                double v = 2.0 * y / (g.ny() - 1) - 1;
                for (int x = 0; x < g.nx(); x++) {
                    double u = 2.0 * x / (g.nx() - 1) - 1;
                    double b = Math.exp(c[0] * u + c[1] * v + c[2] * w + c[3] * u * v + c[4] * v * w + c[5] * u * w
                            + c[6] * (u * u - 0.33) + c[7] * (v * v - 0.33) + c[8] * (w * w - 0.33));
                    int i = x + y * g.nx();
                    double val = Math.max(0, p[i]) / wm;
                    p[i] = (float) (wm * Math.pow(val, gamma) * b);
                }
            }
        }
        double fx = rng.nextDouble() < 0.5 ? 0 : rng.nextDouble() * 3;
        double fy = rng.nextDouble() < 0.5 ? 0 : rng.nextDouble() * 3;
        double fz = rng.nextDouble() < 0.5 ? 0 : rng.nextDouble() * 3;
        if (fx > 0.5 || fy > 0.5 || fz > 0.5) {
            out = Gaussian.smooth(out, fx, fy, fz);
        }
        double sigma = rng.nextDouble() * 0.05 * wm;
        for (float[] p : out.planes()) {
            for (int i = 0; i < p.length; i++) {
                if (p[i] != 0 || sigma == 0) {
                    p[i] = (float) (p[i] + rng.nextGaussian() * sigma);
                }
            }
        }
        if (rng.nextDouble() < 0.2) {
            boolean top = rng.nextBoolean();
            int cut = 2 + rng.nextInt(top ? 8 : 14);
            for (int k = 0; k < cut; k++) {
                java.util.Arrays.fill(out.plane(top ? g.nz() - 1 - k : k), 0f);
            }
        }
        return out;
    }
}
