package org.dopaj.brainmask;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import javax.imageio.ImageIO;

import com.google.gson.GsonBuilder;
import org.dopaj.DopajException;
import org.dopaj.dl.metrics.Overlap;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Components;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.registration.Registration;

/**
 * The real-head validation behind docs/validation/brain-mask.md: {@link BrainMasker} on every real head in the
 * shared data with its reference, in the reference's convention, and beside it an atlas-registration peer (the
 * MNI152 T1 template registered affinely to the head with {@link Registration}, its mask of the same convention
 * warped and thresholded at 0.5). Dice, HD95, volumes, the share of the mask in its largest 26-connected piece, the
 * field-of-view warnings, seconds; a picture of the worst held-out case.
 *
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.brainmask.RealHeadEvaluation ../shared/data \
 *      [MODEL_DIR|-] [PICTURE_DIR] [--no-peer]
 * </pre>
 * {@code -Ddopaj.cases=REGEX} runs only the cases whose name matches.
 * Held out of training ({@link TrainBrainMask#TRAINING_HEADS}): Colin 27, the niivue T1 head, the niivue
 * skull-stripped FLAIR, and what is derived from them (resampled grids, cut fields of view). The brainchop head was
 * trained on: its rows are marked and are not evidence of generalisation.
 */
public final class RealHeadEvaluation {
    private RealHeadEvaluation() {
    }

    /** One case: image, reference, its convention, the reference's kind, whether the head was trained on. */
    public record Case(String name, String description, Volume image, Volume reference,
            BrainMaskModel.Convention convention, String referenceKind, boolean heldOut, boolean skullStripped) {
    }

    public static void main(String[] args) {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/data");
        Path model = args.length > 1 && !args[1].equals("-") ? Path.of(args[1]) : ModelRegistry.find(BrainMaskModel.ID);
        Path pictures = args.length > 2 ? Path.of(args[2]) : null;
        evaluate(shared, model, pictures, !(args.length > 3 && args[3].equals("--no-peer")));
    }

    /** Runs every case (and the peer when {@code peer}); prints a Markdown table and one JSON line per case. */
    public static List<Map<String, Object>> evaluate(Path shared, Path model, Path pictures, boolean peer) {
        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.println("| case | held out | reference | convention | method | Dice | HD95 mm | volume mL (ref) "
                + "| top Δ mm | bottom Δ mm | mL below ref | largest piece | FOV warnings | s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        double worst = 2;
        Case worstCase = null;
        Volume worstMask = null;
        Map<String, Volume> templates = peer ? templates(shared) : Map.of();
        try (BrainMasker m = BrainMasker.open(model, ComputeDevice.CPU)) {
            String only = System.getProperty("dopaj.cases", "");
            for (Supplier<Case> cs : cases(shared)) {
                Case k = cs.get();
                if (!only.isEmpty() && !k.name().matches(only)) {
                    continue;
                }
                BrainMaskResult r = m.run(k.image(), 0, 0, k.convention());
                Map<String, Object> row = row(k, "DopaJ", r.mask(), r.seconds(), r.fieldOfViewWarnings().size());
                rows.add(row);
                if (k.heldOut() && (double) row.get("dice") < worst) {
                    worst = (double) row.get("dice");
                    worstCase = k;
                    worstMask = r.mask();
                }
                if (peer) {
                    long t0 = System.nanoTime();
                    Volume atlas = atlasMask(templates, k);
                    rows.add(row(k, "atlas (MNI152 affine)", atlas, (System.nanoTime() - t0) / 1e9, -1));
                }
            }
        }
        for (Map<String, Object> row : rows) {
            System.out.println(new GsonBuilder().serializeNulls().serializeSpecialFloatingPointValues().create()
                    .toJson(row));
        }
        if (pictures != null && worstCase != null) {
            Path png = pictures.resolve("brainmask-worst-" + worstCase.name() + ".png");
            picture(worstCase.image(), worstMask, worstCase.reference(), png);
            System.out.println("worst held-out case (DopaJ): " + worstCase.name() + String.format(Locale.ROOT,
                    " Dice %.4f; picture %s", worst, png));
        }
        return rows;
    }

    private static Map<String, Object> row(Case k, String method, Volume mask, double seconds, int warnings) {
        Overlap.Result o = Overlap.compare(mask, k.reference());
        double vox = k.reference().grid().voxelVolumeMm3() / 1000;
        long n = Components.count(mask);
        long largest = n == 0 ? 0 : Components.count(Components.largestComponent(mask, 26));
        double share = n == 0 ? 0 : (double) largest / n;
        double[] mz = extentZ(mask, Double.NaN);
        double[] rz = extentZ(k.reference(), Double.NaN);
        double below = extentZ(mask, rz[0])[2] * vox;
        System.out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %.4f | %.1f | %.0f (%.0f) | %+.1f | %+.1f | %.1f | %.4f "
                + "| %s | %.1f |%n", k.name(), k.heldOut() ? "yes" : "**no (trained on)**", k.referenceKind(),
                k.convention().key(), method, o.dice(), o.hd95Mm(), n * vox, o.referenceVoxels() * vox, mz[1] - rz[1],
                mz[0] - rz[0], below, share, warnings < 0 ? "–" : "" + warnings, seconds);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("case", k.name());
        row.put("description", k.description());
        row.put("held_out", k.heldOut());
        row.put("reference", k.referenceKind());
        row.put("convention", k.convention().key());
        row.put("method", method);
        row.put("grid", k.image().grid().toString());
        row.putAll(o.toMap());
        row.put("volume_ml", n * vox);
        row.put("reference_ml", o.referenceVoxels() * vox);
        row.put("top_minus_reference_top_mm", mz[1] - rz[1]);
        row.put("bottom_minus_reference_bottom_mm", mz[0] - rz[0]);
        row.put("ml_below_reference_bottom", below);
        row.put("largest_piece_share", share);
        row.put("fov_warnings", warnings);
        row.put("seconds", seconds);
        return row;
    }

    /**
     * {lowest, highest scanner z (mm) of the mask's voxel centres, voxels below {@code belowZ}} (NaN belowZ: 0).
     * Top Δ &lt; 0: the mask stops below the reference's top (vertex cut); bottom Δ &lt; 0: it reaches further down
     * (into the neck); mL below ref: the mask's volume under the reference's lowest voxel.
     */
    static double[] extentZ(Volume m, double belowZ) {
        Grid g = m.grid();
        double[][] a = g.affine();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        long below = 0;
        for (int z = 0; z < m.nz(); z++) {
            float[] p = m.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (p[i] != 0) {
                    double sz = a[2][0] * (i % g.nx()) + a[2][1] * (i / g.nx()) + a[2][2] * z + a[2][3];
                    lo = Math.min(lo, sz);
                    hi = Math.max(hi, sz);
                    if (sz < belowZ - 0.5) {
                        below++;
                    }
                }
            }
        }
        return new double[] {lo, hi, below};
    }

    // ------------------------------------------------------------------ cases

    /** Every real head with a reference in {@code shared} (and Colin 27 where installed); missing ones skipped. */
    public static List<Supplier<Case>> cases(Path shared) {
        List<Supplier<Case>> l = new ArrayList<>();
        BrainMaskModel.Convention brain = BrainMaskModel.Convention.BRAIN;
        BrainMaskModel.Convention icv = BrainMaskModel.Convention.INTRACRANIAL;
        Path colin = BrainMaskEvaluation.colinDir();
        if (Files.isRegularFile(colin.resolve("ch2.nii.gz")) && Files.isRegularFile(colin.resolve("ch2bet.nii.gz"))) {
            Supplier<Volume> ch2 = once(() -> Nifti.readVolume(colin.resolve("ch2.nii.gz")));
            Supplier<Volume> bet = once(() -> BrainMaskEvaluation.binary(Nifti.readVolume(colin.resolve("ch2bet.nii.gz"))));
            String kind = "BET brain (ch2bet > 0): BET-style, automatic";
            l.add(() -> new Case("colin27-t1-1mm", "Colin 27 T1 head, 1 mm, MNI-aligned", ch2.get(), bet.get(), brain,
                    kind, true, false));
            l.add(() -> {
                Grid g = Resample.gridWithVoxelSize(bet.get().grid(), 1.75, 1.75, 1.75);
                return new Case("colin27-t1-1.75mm", "Colin 27 at 1.75 mm (smoothed FWHM 1.4 mm, then sampled), "
                        + "neck in view; reference sampled nearest-neighbour", Resample.toGrid(Gaussian.smooth(ch2.get(),
                        1.4), g, Resample.Interpolation.LINEAR, 0), Resample.toGrid(bet.get(), g,
                        Resample.Interpolation.NEAREST, 0), brain, kind, true, false);
            });
        } else {
            System.out.println("Colin 27 skipped: no ch2.nii.gz and ch2bet.nii.gz in " + colin);
        }
        Path otsu = shared.resolve("realheads/niivue_otsu_t1.nii.gz");
        Path otsuMask = shared.resolve("realheads/niivue_otsu_t1_silvermask_DERIVED.nii.gz");
        if (Files.isRegularFile(otsu) && Files.isRegularFile(otsuMask)) {
            Supplier<Volume> t1 = once(() -> Nifti.readVolume(otsu));
            Supplier<Volume> ref = once(() -> BrainMaskEvaluation.binary(Nifti.readVolume(otsuMask)));
            String kind = "silver intracranial (deep-T1-WMH head network)";
            l.add(() -> new Case("niivue-t1-1mm", "niivue T1 head, 1 mm", t1.get(), ref.get(), icv, kind, true, false));
            l.add(() -> {
                Grid g = Resample.gridWithVoxelSize(ref.get().grid(), 2, 2, 3);
                return new Case("niivue-t1-2x2x3mm", "the niivue head at 2×2×3 mm (smoothed FWHM 1.7/1.7/2.8 mm, then "
                        + "sampled), as the ITK example head; reference sampled nearest-neighbour",
                        Resample.toGrid(Gaussian.smooth(t1.get(), 1.7, 1.7, 2.8), g, Resample.Interpolation.LINEAR, 0),
                        Resample.toGrid(ref.get(), g, Resample.Interpolation.NEAREST, 0), icv, kind, true, false);
            });
            l.add(() -> new Case("niivue-t1-1mm-brainconv", "the niivue head in the brain convention against the "
                    + "intracranial reference: the convention gap, not an accuracy figure", t1.get(), ref.get(), brain,
                    kind + " (other convention)", true, false));
            l.add(() -> {
                Volume[] cut = cutTop(t1.get(), ref.get(), 15);
                return new Case("niivue-t1-topcut15mm", "the niivue head with the top 15 mm of the brain outside the "
                        + "field of view (image and reference cut alike): the warning must fire", cut[0], cut[1], icv,
                        kind, true, false);
            });
        }
        Path flair = shared.resolve("realheads/niivue_flair_skullstripped.nii.gz");
        if (Files.isRegularFile(flair)) {
            Supplier<Volume> f = once(() -> Nifti.readVolume(flair));
            String kind = "the stripped image's support (> 0): its provider's stripping, convention unknown";
            l.add(() -> new Case("niivue-flair-stripped", "real skull-stripped FLAIR (lesions), 1 mm", f.get(),
                    BrainMaskEvaluation.binary(f.get()), brain, kind, true, true));
            l.add(() -> new Case("niivue-flair-stripped-icv", "the same, intracranial convention", f.get(),
                    BrainMaskEvaluation.binary(f.get()), icv, kind, true, true));
        }
        Path chop = shared.resolve(TrainBrainMask.BRAINCHOP_T1);
        Path chopMask = shared.resolve(TrainBrainMask.BRAINCHOP_MASK);
        if (Files.isRegularFile(chop) && Files.isRegularFile(chopMask)) {
            l.add(() -> new Case("brainchop-t1-1mm", "brainchop T1 head, 1 mm, face and neck in view", Nifti.readVolume(chop),
                    BrainMaskEvaluation.binary(Nifti.readVolume(chopMask)), icv,
                    "silver intracranial (deep-T1-WMH head network)", false, false));
        }
        return l;
    }

    /**
     * The image and reference with everything above the plane {@code mm} below the reference's highest voxel (in
     * scanner z) removed from the grid: a field of view that ends inside the brain.
     */
    static Volume[] cutTop(Volume image, Volume ref, double mm) {
        double top = -Double.MAX_VALUE;
        Grid g = ref.grid();
        for (int z = 0; z < ref.nz(); z++) {
            float[] p = ref.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (p[i] != 0) {
                    top = Math.max(top, g.toMm(i % g.nx(), i / g.nx(), z)[2]);
                }
            }
        }
        // keep the axis-aligned sub-grid whose voxel centres lie below top - mm
        int axis = 0;
        double[][] a = g.affine();
        for (int c = 1; c < 3; c++) {
            if (Math.abs(a[2][c]) > Math.abs(a[2][axis])) {
                axis = c;
            }
        }
        int n = g.dims()[axis];
        int lo = n;
        int hi = -1;
        for (int k = 0; k < n; k++) {
            double[] v = {0, 0, 0};
            v[axis] = k;
            double z = g.toMm(v[0], v[1], v[2])[2];
            if (z < top - mm) {
                lo = Math.min(lo, k);
                hi = Math.max(hi, k);
            }
        }
        int[] o = {0, 0, 0};
        int[] s = g.dims();
        o[axis] = lo;
        s[axis] = hi - lo + 1;
        return new Volume[] {org.dopaj.image.CropPad.crop(image, o[0], o[1], o[2], s[0], s[1], s[2], 0),
            org.dopaj.image.CropPad.crop(ref, o[0], o[1], o[2], s[0], s[1], s[2], 0)};
    }

    // ------------------------------------------------------------------ atlas peer

    private static Map<String, Volume> templates(Path shared) {
        Map<String, Volume> t = new LinkedHashMap<>();
        t.put("head", Nifti.readVolume(shared.resolve(TissueMaps.MNI_HEAD)));
        t.put("stripped", Nifti.readVolume(shared.resolve("mni152_2mm/MNI152_T1_2mm_Brain.nii.gz")));
        t.put("intracranial", Nifti.readVolume(shared.resolve(TissueMaps.MNI_MASK)));
        t.put("brain", BrainMaskEvaluation.mniTissueBrain(shared));
        return t;
    }

    /**
     * The atlas-registration mask: MNI152 T1 (the skull-stripped template for a skull-stripped input) registered to
     * the head (affine, NCC for T1 heads, Mattes MI for other contrasts; org.dopaj.registration defaults otherwise),
     * the template mask of the case's convention (FSL's MNI152 mask for intracranial; the MNI152 tissue brain of
     * {@link TissueMaps#tissueBrain} for brain) warped linearly and thresholded at 0.5.
     */
    static Volume atlasMask(Map<String, Volume> t, Case k) {
        Volume moving = t.get(k.skullStripped() ? "stripped" : "head");
        Registration.Options opt = Registration.Options.defaults()
                .withMetric(k.skullStripped() ? Registration.Metric.MUTUAL_INFORMATION : Registration.Metric.NCC);
        Registration.Result r;
        try {
            r = Registration.register(moving, k.image(), opt);
        } catch (DopajException e) {
            System.out.println("atlas registration failed for " + k.name() + ": " + e.getMessage());
            return Volume.allocate(k.image().grid());
        }
        Volume warped = r.toFixed(t.get(k.convention() == BrainMaskModel.Convention.BRAIN ? "brain" : "intracranial"),
                Resample.Interpolation.LINEAR);
        Volume m = Volume.allocate(warped.grid());
        for (int z = 0; z < m.nz(); z++) {
            float[] a = warped.plane(z);
            float[] o = m.plane(z);
            for (int i = 0; i < a.length; i++) {
                o[i] = a[i] >= 0.5f ? 1 : 0;
            }
        }
        return m;
    }

    // ------------------------------------------------------------------ picture

    /**
     * Three orthogonal sections (sagittal, coronal, axial) through the reference's centre, resampled to 1 mm RAS:
     * grey image, agreement green-tinted, mask-only voxels red, reference-only voxels blue. PNG.
     */
    public static void picture(Volume image, Volume mask, Volume ref, Path png) {
        Grid wg = BrainMasker.workingGrid(image.grid());
        double[][] a = wg.affine();
        int[] n = new int[3];
        double[][] b = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        for (int i = 0; i < 3; i++) {
            n[i] = (int) Math.round(wg.dims()[i] * BrainMaskModel.VOXEL_MM);
            b[i][3] = a[i][3] - (BrainMaskModel.VOXEL_MM - 1) / 2;
        }
        Grid g = new Grid(n[0], n[1], n[2], new double[] {1, 1, 1}, b);
        Volume im = Resample.toGrid(image, g, Resample.Interpolation.LINEAR, 0);
        Volume mk = Resample.toGrid(mask, g, Resample.Interpolation.NEAREST, 0);
        Volume rf = Resample.toGrid(ref, g, Resample.Interpolation.NEAREST, 0);
        double[] c = new double[3];
        long cnt = 0;
        float max = 0;
        for (int z = 0; z < g.nz(); z++) {
            float[] p = rf.plane(z);
            float[] q = im.plane(z);
            for (int i = 0; i < p.length; i++) {
                max = Math.max(max, q[i]);
                if (p[i] != 0) {
                    c[0] += i % g.nx();
                    c[1] += i / g.nx();
                    c[2] += z;
                    cnt++;
                }
            }
        }
        int cx = (int) (c[0] / Math.max(1, cnt));
        int cy = (int) (c[1] / Math.max(1, cnt));
        int cz = (int) (c[2] / Math.max(1, cnt));
        int w = g.ny() + g.nx() + g.nx();
        int h = Math.max(g.nz(), g.ny());
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float scale = max > 0 ? 255f / (0.8f * max) : 1;
        // sagittal: columns y (A to the right), rows z (S up)
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                put(out, y, h - 1 - z, im, mk, rf, cx + y * g.nx(), z, scale);
            }
        }
        for (int z = 0; z < g.nz(); z++) {
            for (int x = 0; x < g.nx(); x++) {
                put(out, g.ny() + x, h - 1 - z, im, mk, rf, x + cy * g.nx(), z, scale);
            }
        }
        for (int y = 0; y < g.ny(); y++) {
            for (int x = 0; x < g.nx(); x++) {
                put(out, g.ny() + g.nx() + x, h - 1 - y, im, mk, rf, x + y * g.nx(), cz, scale);
            }
        }
        try {
            Files.createDirectories(png.toAbsolutePath().getParent());
            ImageIO.write(out, "png", png.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(BufferedImage out, int px, int py, Volume im, Volume mk, Volume rf, int i, int z,
            float scale) {
        int v = Math.max(0, Math.min(255, Math.round(im.plane(z)[i] * scale)));
        boolean m = mk.plane(z)[i] != 0;
        boolean r = rf.plane(z)[i] != 0;
        int red = v;
        int green = v;
        int blue = v;
        if (m && r) {
            green = Math.min(255, v + 40);
        } else if (m) {
            red = 255;
            green = v / 2;
            blue = v / 2;
        } else if (r) {
            red = v / 2;
            green = v / 2;
            blue = 255;
        }
        out.setRGB(px, py, (red << 16) | (green << 8) | blue);
    }

    private static <T> Supplier<T> once(Supplier<T> s) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = s.get();
                }
                return value;
            }
        };
    }
}
