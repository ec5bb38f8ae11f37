package org.dopaj.brainmask;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import com.google.gson.GsonBuilder;
import org.dopaj.dl.metrics.Overlap;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Affines;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Reorient;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.phantom.HeadPhantom;

/**
 * The measurements behind docs/validation/brain-mask.md: Dice, IoU and HD95 of {@link BrainMasker} against
 * reference masks on real template heads in several grids and orientations, on synthetic contrasts and on the
 * geometric head phantom; and the 1 mm 256³ timing.
 *
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.brainmask.BrainMaskEvaluation evaluate ../shared/data [MODEL_DIR]
 * java -cp ... org.dopaj.brainmask.BrainMaskEvaluation gate ../shared/data [MODEL_DIR|-]
 * java -cp ... org.dopaj.brainmask.BrainMaskEvaluation bench ../shared/data [MODEL_DIR|-] [RUNS]
 * </pre>
 */
public final class BrainMaskEvaluation {
    private BrainMaskEvaluation() {
    }

    /** One evaluation case: an image and its reference brain mask on the same grid. */
    public record Case(String name, String description, Volume image, Volume reference) {
    }

    public static void main(String[] args) {
        Path shared = Path.of(args.length > 1 ? args[1] : "../shared/data");
        Path model = args.length > 2 && !args[2].equals("-") ? Path.of(args[2]) : ModelRegistry.find(BrainMaskModel.ID);
        if (args.length > 0 && args[0].equals("gate")) {
            gate(shared, model);
        } else if (args.length > 0 && args[0].equals("bench")) {
            bench(shared, model, args.length > 3 ? Integer.parseInt(args[3]) : 3);
        } else {
            evaluate(shared, model);
        }
    }

    /** Runs every case and prints a Markdown table and a JSON line per case. */
    public static List<Map<String, Object>> evaluate(Path shared, Path model) {
        List<Map<String, Object>> rows = new ArrayList<>();
        System.out.println("| case | grid | Dice | IoU | HD95 mm | volume mL (ref) | s |");
        System.out.println("|---|---|---|---|---|---|---|");
        try (BrainMasker m = BrainMasker.open(model, ComputeDevice.CPU)) {
            for (Supplier<Case> c : cases(shared)) {
                Case k = c.get();
                BrainMaskResult r = m.run(k.image());
                Overlap.Result o = Overlap.compare(r.mask(), k.reference());
                double refMl = o.referenceVoxels() * k.reference().grid().voxelVolumeMm3() / 1000;
                System.out.printf(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.1f | %.0f (%.0f) | %.2f |%n", k.name(),
                        k.image().grid(), o.dice(), o.iou(), o.hd95Mm(), r.volumeMl(), refMl, r.seconds());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("case", k.name());
                row.put("description", k.description());
                row.put("grid", k.image().grid().toString());
                row.putAll(o.toMap());
                row.put("volume_ml", r.volumeMl());
                row.put("reference_ml", refMl);
                row.put("seconds", r.seconds());
                rows.add(row);
            }
        }
        for (Map<String, Object> row : rows) {
            System.out.println(new GsonBuilder().serializeNulls().create().toJson(row));
        }
        return rows;
    }

    /**
     * Where Colin 27 lies: Debian's {@code mricron-data} package installs {@code ch2.nii.gz} (a real individual T1
     * head, 1 mm, MNI-aligned) and {@code ch2bet.nii.gz} (its BET brain) in /usr/share/mricron/templates;
     * {@code -Ddopaj.colin=DIR} points elsewhere.
     */
    public static Path colinDir() {
        return Path.of(System.getProperty("dopaj.colin", "/usr/share/mricron/templates"));
    }

    /**
     * The MNI152 2 mm brain in DopaJ's convention, on the template's own grid: the training label
     * ({@link TissueMaps#mni152}'s brain, whose grid only adds neck planes below) sampled back.
     */
    public static Volume mniTissueBrain(Path shared) {
        return mniTissueBrain(TissueMaps.mni152(shared), Nifti.readVolume(shared.resolve(TissueMaps.MNI_HEAD)).grid());
    }

    private static Volume mniTissueBrain(TissueMaps mni, Grid headGrid) {
        return Resample.toGrid(mni.brainVolume(), headGrid, Resample.Interpolation.NEAREST, 0);
    }

    /** A value computed on first use and kept. */
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

    /** A synthetic volume of {@code maps} with class means {@code means}, bias ±15 %, noise 3 %, and its brain. */
    private static Case synthetic(String name, String description, TissueMaps maps, double[] means, long seed) {
        return new Case(name, description, BrainSynthesis.volume(maps, means, 0.15, 0.03, seed), maps.brainVolume());
    }

    /**
     * The evaluation cases, each built when asked for; the volumes several cases start from (Colin 27, the MNI head
     * and mask, the tissue maps) are read or built once and shared — no case changes them.
     */
    public static List<Supplier<Case>> cases(Path shared) {
        Path mniDir = shared.resolve("mni152_2mm");
        List<Supplier<Case>> l = new ArrayList<>();
        Path colin = colinDir();
        if (Files.isRegularFile(colin.resolve("ch2.nii.gz")) && Files.isRegularFile(colin.resolve("ch2bet.nii.gz"))) {
            Supplier<Volume> ch2 = once(() -> Nifti.readVolume(colin.resolve("ch2.nii.gz")));
            Supplier<Volume> bet = once(() -> binary(Nifti.readVolume(colin.resolve("ch2bet.nii.gz"))));
            l.add(() -> new Case("colin27-t1-1mm", "Colin 27 (a real individual, not trained on) T1 head, 1 mm RAS; "
                    + "reference: its BET brain (ch2bet > 0)", ch2.get(), bet.get()));
            l.add(() -> {
                Volume ref = bet.get();
                Grid g = Resample.gridWithVoxelSize(ref.grid(), 1, 1, 4);
                return new Case("colin27-t1-1x1x4mm", "anisotropic 1×1×4 mm (z smoothed, FWHM 3.5 mm, then sampled);"
                        + " reference sampled nearest-neighbour",
                        Resample.toGrid(Gaussian.smooth(ch2.get(), 0, 0, 3.5), g, Resample.Interpolation.LINEAR, 0),
                        Resample.toGrid(ref, g, Resample.Interpolation.NEAREST, 0));
            });
            for (int axis = 0; axis < 2; axis++) {
                int ax = axis;
                String name = ax == 0 ? "colin27-t1-4x1x1mm" : "colin27-t1-1x4x1mm";
                l.add(() -> {
                    Volume ref = bet.get();
                    double[] mm = {1, 1, 1};
                    double[] fwhm = {0, 0, 0};
                    mm[ax] = 4;
                    fwhm[ax] = 3.5;
                    Grid g = Resample.gridWithVoxelSize(ref.grid(), mm[0], mm[1], mm[2]);
                    return new Case(name, (ax == 0 ? "thick sagittal" : "thick coronal") + " slices: 4 mm along "
                            + (ax == 0 ? "L–R" : "A–P") + " (smoothed, FWHM 3.5 mm, then sampled); reference sampled "
                            + "nearest-neighbour", Resample.toGrid(Gaussian.smooth(ch2.get(), fwhm[0], fwhm[1], fwhm[2]),
                            g, Resample.Interpolation.LINEAR, 0), Resample.toGrid(ref, g, Resample.Interpolation.NEAREST, 0));
                });
            }
            l.add(() -> {
                Volume ref = bet.get();
                Grid g = Resample.gridWithVoxelSize(ref.grid(), 2, 2, 2);
                return new Case("colin27-t1-2mm", "2 mm (smoothed, FWHM 1.7 mm, then sampled); reference sampled "
                        + "nearest-neighbour", Resample.toGrid(Gaussian.smooth(ch2.get(), 1.7), g,
                        Resample.Interpolation.LINEAR, 0), Resample.toGrid(ref, g, Resample.Interpolation.NEAREST, 0));
            });
            for (String code : new String[] {"LPS", "PIR"}) {
                l.add(() -> new Case("colin27-t1-1mm-" + code, "voxel order reoriented to " + code
                        + " (affine kept consistent)", Reorient.to(ch2.get(), code), Reorient.to(bet.get(), code)));
            }
            l.add(() -> {
                Grid g = rotatedGrid(bet.get().grid(), 20, 15);
                return new Case("colin27-t1-oblique", "resampled onto a grid rotated 20° about L–R and 15° about S–I",
                        Resample.toGrid(ch2.get(), g, Resample.Interpolation.LINEAR, 0),
                        Resample.toGrid(bet.get(), g, Resample.Interpolation.NEAREST, 0));
            });
            l.add(() -> new Case("colin27-t1-1mm-bias-noise", "a smooth bias field (×0.75 … ×1.25 across the head, "
                    + "linear along L–R and A–P) and magnitude noise of 4 % of the 99th percentile",
                    biasAndNoise(ch2.get(), 0.25, 0.04, 27), bet.get()));
            for (int mm : new int[] {-10, 10, 30, 50}) {
                l.add(() -> new Case("colin27-axial-slice-z" + mm, "one axial 1 mm slice at z = " + mm + " mm (2D: one axial"
                        + " slice)", slice(ch2.get(), 2, mm), slice(bet.get(), 2, mm)));
            }
            for (int mm : new int[] {-60, -20, 20}) {
                l.add(() -> new Case("colin27-coronal-slice-y" + mm, "one coronal 1 mm slice at y = " + mm + " mm (2D:"
                        + " one coronal slice)", slice(ch2.get(), 1, mm), slice(bet.get(), 1, mm)));
            }
        } else {
            System.out.println("Colin 27 cases skipped: no ch2.nii.gz and ch2bet.nii.gz in " + colin
                    + " (apt-get install mricron-data, or -Ddopaj.colin=DIR)");
        }
        Supplier<Volume> head = once(() -> Nifti.readVolume(mniDir.resolve("MNI152_T1_2mm.nii.gz")));
        Supplier<Volume> mask2 = once(() -> Nifti.readVolume(mniDir.resolve("MNI152_T1_2mm_Brain_Mask.nii.gz")));
        Supplier<TissueMaps> mni = once(() -> TissueMaps.mni152(shared));
        Supplier<TissueMaps> icbm = once(() -> TissueMaps.icbmComposite(shared, mni.get()));
        l.add(() -> new Case("mni152-t1-2mm", "MNI152 T1 2 mm head (LAS); reference: its brain in DopaJ's tissue "
                + "convention; trained-on anatomy", head.get(), mniTissueBrain(mni.get(), head.get().grid())));
        l.add(() -> new Case("mni152-t1-2mm-fslmask", "the same head against FSL's own (generous) template mask: the "
                + "convention difference", head.get(), mask2.get()));
        l.add(() -> {
            Volume ref = mniTissueBrain(mni.get(), mask2.get().grid());
            Grid g = rotatedGrid(ref.grid(), 20, 15);
            return new Case("mni152-t1-oblique", "resampled onto a grid rotated 20° about L–R and 15° about S–I",
                    Resample.toGrid(head.get(), g, Resample.Interpolation.LINEAR, 0),
                    Resample.toGrid(ref, g, Resample.Interpolation.NEAREST, 0));
        });
        l.add(() -> synthetic("synthetic-t2-mni", "T2-like volume synthesised from the MNI152 maps (bias ±15 %, "
                + "noise 3 %)", mni.get(), new double[] {0.01, 1.0, 0.55, 0.4, 0.05, 0.85, 0.3, 0.6}, 11));
        l.add(() -> synthetic("synthetic-pd-icbm", "PD-like volume from the ICBM 2009a brain in the MNI head",
                icbm.get(), new double[] {0.01, 0.85, 0.75, 0.6, 0.05, 0.8, 0.5, 0.7}, 12));
        l.add(() -> synthetic("synthetic-t1-icbm", "T1-like volume from the ICBM 2009a brain in the MNI head",
                icbm.get(), new double[] {0.01, 0.15, 0.45, 0.7, 0.05, 0.2, 0.4, 0.9}, 13));
        l.add(() -> {
            HeadPhantom.Head h = HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 1);
            return new Case("head-phantom", "DopaJ's geometric T1-like head phantom (nested ellipsoids)", h.t1(),
                    h.brainMask());
        });
        return l;
    }

    /**
     * {@code v} times a bias of 1 ± {@code bias} varying linearly along the first two axes, plus magnitude Gaussian
     * noise of sd {@code noise} × the 99th percentile (a new volume; seeded).
     */
    static Volume biasAndNoise(Volume v, double bias, double noise, long seed) {
        float[] all = v.toArray();
        float[] sorted = all.clone();
        java.util.Arrays.sort(sorted);
        double sd = noise * sorted[(int) (0.99 * (sorted.length - 1))];
        java.util.Random r = new java.util.Random(seed);
        Volume out = Volume.allocate(v.grid());
        for (int z = 0; z < v.nz(); z++) {
            float[] a = v.plane(z);
            float[] o = out.plane(z);
            for (int i = 0; i < a.length; i++) {
                double fx = 2.0 * (i % v.nx()) / (v.nx() - 1) - 1;
                double fy = 2.0 * (i / v.nx()) / (v.ny() - 1) - 1;
                double g = 1 + bias * (fx + fy) / 2;
                o[i] = (float) Math.abs(a[i] * g + sd * r.nextGaussian());
            }
        }
        return out;
    }

    /**
     * The single slice of an axis-aligned (RAS-like, diagonal affine) volume nearest to scanner coordinate
     * {@code mm} along {@code axis} (1 = y, coronal; 2 = z, axial), as a 2D volume with its own affine.
     */
    static Volume slice(Volume v, int axis, double mm) {
        double[][] a = v.grid().affine();
        int k = (int) Math.round((mm - a[axis][3]) / a[axis][axis]);
        double[][] b = new double[4][];
        for (int r = 0; r < 4; r++) {
            b[r] = a[r].clone();
        }
        for (int r = 0; r < 3; r++) {
            b[r][3] += a[r][axis] * k;
        }
        Grid g;
        float[][] planes;
        if (axis == 2) {
            g = v.grid().withDims(v.nx(), v.ny(), 1).withAffine(b);
            planes = new float[][] {v.plane(k).clone()};
        } else {
            g = v.grid().withDims(v.nx(), 1, v.nz()).withAffine(b);
            planes = new float[v.nz()][];
            for (int z = 0; z < v.nz(); z++) {
                planes[z] = java.util.Arrays.copyOfRange(v.plane(z), k * v.nx(), (k + 1) * v.nx());
            }
        }
        Volume out = Volume.allocate(g);
        for (int z = 0; z < planes.length; z++) {
            System.arraycopy(planes[z], 0, out.plane(z), 0, planes[z].length);
        }
        return out;
    }

    /** 1 where {@code v} &gt; 0 (a skull-stripped image as a mask). */
    static Volume binary(Volume v) {
        Volume m = Volume.allocate(v.grid());
        for (int z = 0; z < v.nz(); z++) {
            float[] a = v.plane(z);
            float[] o = m.plane(z);
            for (int i = 0; i < a.length; i++) {
                o[i] = a[i] > 0 ? 1 : 0;
            }
        }
        return m;
    }

    /** A grid with {@code g}'s voxels, rotated about its centre by ax° (about x) and az° (about z). */
    static Grid rotatedGrid(Grid g, double ax, double az) {
        double[][] r3 = BrainSynthesis.rotation(Math.toRadians(ax), 0, Math.toRadians(az));
        double[][] rot = Affines.identity();
        for (int i = 0; i < 3; i++) {
            System.arraycopy(r3[i], 0, rot[i], 0, 3);
        }
        double[] c = g.toMm((g.nx() - 1) / 2.0, (g.ny() - 1) / 2.0, (g.nz() - 1) / 2.0);
        double[][] toOrigin = Affines.identity();
        double[][] back = Affines.identity();
        for (int i = 0; i < 3; i++) {
            toOrigin[i][3] = -c[i];
            back[i][3] = c[i];
        }
        double[][] a = Affines.multiply(back, Affines.multiply(rot, Affines.multiply(toOrigin, g.affine())));
        return g.withAffine(a);
    }

    /**
     * The timing volume: the real brainchop head (256³, 1 mm, face and neck in view) when present, otherwise the MNI
     * head interpolated to 1 mm and padded to 256³.
     */
    public static Volume benchVolume(Path shared) {
        Path chop = shared.resolve(TrainBrainMask.BRAINCHOP_T1);
        if (Files.isRegularFile(chop)) {
            return Nifti.readVolume(chop);
        }
        Volume head = Nifti.readVolume(shared.resolve("mni152_2mm/MNI152_T1_2mm.nii.gz"));
        double[] c = head.grid().toMm((head.nx() - 1) / 2.0, (head.ny() - 1) / 2.0, (head.nz() - 1) / 2.0);
        double[][] a = {{1, 0, 0, c[0] - 127.5}, {0, 1, 0, c[1] - 127.5}, {0, 0, 1, c[2] - 127.5}, {0, 0, 0, 1}};
        return Resample.toGrid(head, new Grid(256, 256, 256, new double[] {1, 1, 1}, a), Resample.Interpolation.LINEAR, 0);
    }

    /** Times {@code runs} brain maskings of the 1 mm 256³ volume after one warm-up run (model already loaded). */
    public static void bench(Path shared, Path model, int runs) {
        Volume v = benchVolume(shared);
        long t0 = System.nanoTime();
        try (BrainMasker m = BrainMasker.open(model, ComputeDevice.CPU)) {
            double load = (System.nanoTime() - t0) / 1e9;
            BrainMaskResult w = m.run(v);
            System.out.printf(Locale.ROOT, "%s 1 mm head: engine+model load %.2f s; warm-up run %.2f s (%.0f mL)%n",
                    v.grid(), load, w.seconds(), w.volumeMl());
            double best = Double.MAX_VALUE;
            double sum = 0;
            for (int i = 0; i < runs; i++) {
                BrainMaskResult r = m.run(v);
                best = Math.min(best, r.seconds());
                sum += r.seconds();
                System.out.printf(Locale.ROOT, "run %d: %.2f s%n", i + 1, r.seconds());
            }
            System.out.printf(Locale.ROOT, "mean %.2f s, best %.2f s over %d runs; %d processors%n", sum / runs, best, runs,
                    Runtime.getRuntime().availableProcessors());
        }
    }

    /**
     * The no-brain gate ({@code BrainMasker.MIN_CONFIDENT_SHARE}): the brain confidence of Gaussian noise (2 mm,
     * 96×96×80, seed 1), the geometric head phantom and every real head at hand.
     */
    public static void gate(Path shared, Path model) {
        Map<String, Supplier<Volume>> cases = new LinkedHashMap<>();
        cases.put("gaussian noise", () -> {
            Grid g = Grid.of(96, 96, 80, 2, 2, 2);
            Volume v = Volume.allocate(g);
            java.util.Random r = new java.util.Random(1);
            for (float[] p : v.planes()) {
                for (int i = 0; i < p.length; i++) {
                    p[i] = (float) Math.abs(r.nextGaussian() * 100);
                }
            }
            return v;
        });
        cases.put("head phantom", () -> HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 5).t1());
        cases.put("MNI152 T1 2 mm", () -> Nifti.readVolume(shared.resolve(TissueMaps.MNI_HEAD)));
        cases.put("Colin 27", () -> Nifti.readVolume(colinDir().resolve("ch2.nii.gz")));
        for (String f : new String[] {"realheads/niivue_otsu_t1.nii.gz", "realheads/niivue_flair_skullstripped.nii.gz",
            TrainBrainMask.BRAINCHOP_T1}) {
            cases.put(f, () -> Nifti.readVolume(shared.resolve(f)));
        }
        try (BrainMasker m = BrainMasker.open(model, ComputeDevice.CPU)) {
            for (Map.Entry<String, Supplier<Volume>> e : cases.entrySet()) {
                BrainMaskResult r;
                try {
                    r = m.run(e.getValue().get());
                } catch (RuntimeException ex) {
                    System.out.println(e.getKey() + ": skipped (" + ex.getMessage() + ")");
                    continue;
                }
                System.out.printf(Locale.ROOT, "%s: brain confidence %.3f, %.0f mL%s%n", e.getKey(),
                        r.brainConfidence(), r.volumeMl(), r.voxels() == 0 ? " (no brain found)" : "");
            }
        }
    }
}
