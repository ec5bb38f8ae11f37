package org.dopaj.wmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Affines;
import org.dopaj.image.Components;
import org.dopaj.image.Volume;

/**
 * Evaluation of the WMH pipeline on lesions synthesised into real heads, in each head's native space, through the
 * whole pipeline (brain mask by {@link org.dopaj.brainmask.BrainMasker}, registration, box, network or baseline,
 * back to native), against the classical baseline ({@link ThresholdBaseline}).
 *
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.wmh.WmhEvaluation --shared ../shared/data \
 *      --heads niivue_otsu --loads 1,3,10,20,40 --seeds 2 --model models/wmh-unet3d --csv runs/wmh-eval.csv \
 *      [--placement raw-v1|levelled-v2]
 * </pre>
 * {@code --placement}: the synthesis' lesion placement ({@link LesionSynthesis.Placement}; default version 1, that of
 * the bundled network's training; version 2 puts lesions more where the real labels have them).
 * Per head: the lesion-free head is analysed (false positives); then for each load and seed (seed = 5000 + 100 ×
 * load index + seed index) lesions are drawn in MNI mm ({@link LesionSynthesis#lesions}), rendered on the native
 * grid through the head's own registration (made from its reference mask, not the pipeline's), blended into the
 * native T1 ({@link LesionSynthesis#blend}), and the lesioned head goes through the pipeline from scratch (its own
 * brain mask and registration). Truth = lesion fraction ≥ 0.5 on the native grid. Metrics: Dice, volume error
 * (predicted − true)/true, lesion-wise detection (a true 26-connected lesion counts as found when a predicted voxel
 * touches it), false-positive lesions (predicted components touching no true lesion).
 */
public final class WmhEvaluation {
    /** When set ({@code --save DIR}), each case's lesioned T1, truth and predicted masks are written there. */
    private static Path save;

    private WmhEvaluation() {
    }

    /** One evaluated image. */
    public record Row(String head, String method, double requestedMl, long seed, double trueMl, double predMl,
            double predPvMl, double dice, int trueLesions, int foundLesions, int falseLesions, double seconds) {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--") && i + 1 < args.length) {
                o.put(args[i].substring(2), args[++i]);
            } else {
                throw new DopajException("unknown argument: " + args[i]);
            }
        }
        Path shared = Path.of(o.getOrDefault("shared", "../shared/data"));
        String[] heads = o.getOrDefault("heads", LesionSynthesis.HELD_OUT).split(",");
        String[] loadText = o.getOrDefault("loads", "1,3,10,20,40").split(",");
        double[] loads = new double[loadText.length];
        for (int i = 0; i < loads.length; i++) {
            loads[i] = Double.parseDouble(loadText[i]);
        }
        int seeds = Integer.parseInt(o.getOrDefault("seeds", "2"));
        String model = o.get("model");
        boolean threshold = !"false".equals(o.getOrDefault("baseline", "true"));
        save = o.containsKey("save") ? Path.of(o.get("save")) : null;
        LesionSynthesis.Placement placement = LesionSynthesis.Placement.parse(
                o.getOrDefault("placement", LesionSynthesis.Placement.RAW_V1.id()));
        List<Row> rows = evaluate(shared, heads, loads, seeds, model == null ? null : Path.of(model), threshold,
                placement);
        StringBuilder csv = new StringBuilder("head,method,requested_ml,seed,true_ml,pred_ml,pred_pv_ml,dice,"
                + "true_lesions,found_lesions,false_lesions,seconds\n");
        for (Row r : rows) {
            csv.append(String.format(Locale.ROOT, "%s,%s,%.1f,%d,%.3f,%.3f,%.3f,%.4f,%d,%d,%d,%.2f%n", r.head(),
                    r.method(), r.requestedMl(), r.seed(), r.trueMl(), r.predMl(), r.predPvMl(), r.dice(),
                    r.trueLesions(), r.foundLesions(), r.falseLesions(), r.seconds()));
        }
        if (o.containsKey("csv")) {
            Path p = Path.of(o.get("csv"));
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.writeString(p, csv);
        }
        System.out.print(csv);
        System.out.print(summary(rows));
    }

    /** Runs the evaluation with lesions of {@code placement}; {@code model} null: the baseline only. */
    public static List<Row> evaluate(Path shared, String[] heads, double[] loads, int seeds, Path model,
            boolean baseline, LesionSynthesis.Placement placement) throws IOException {
        List<Row> rows = new ArrayList<>();
        Path bm = ModelRegistry.find(org.dopaj.brainmask.BrainMaskModel.ID);
        try (WmhSegmenter net = model == null ? null
                : WmhSegmenter.open(WmhSegmenter.Method.NETWORK, model, bm, ComputeDevice.CPU);
             WmhSegmenter thr = WmhSegmenter.open(WmhSegmenter.Method.THRESHOLD, null, bm, ComputeDevice.CPU)) {
            WmhSegmenter any = net != null ? net : thr;
            for (String name : heads) {
                LesionSynthesis.Head h = LesionSynthesis.head(shared, name);
                LesionSynthesis synth = new LesionSynthesis(List.of(h), LesionLibrary.build(shared),
                        WmhModel.Normalisation.TISSUE, placement);
                double vox = h.t1().grid().voxelVolumeMm3() / 1000.0;
                List<double[]> cases = new ArrayList<>();
                cases.add(new double[] {0, 0});
                for (int li = 0; li < loads.length; li++) {
                    for (int s = 0; s < seeds; s++) {
                        cases.add(new double[] {loads[li], 5000 + 100 * li + s});
                    }
                }
                for (double[] c : cases) {
                    Lesioned les = lesioned(h, synth, c[0], (long) c[1]);
                    Volume t1 = les.t1();
                    Volume truth = les.truth();
                    long t0 = System.nanoTime();
                    WmhSegmenter.Space space = any.prepare(t1, null);
                    double prep = (System.nanoTime() - t0) / 1e9;
                    for (WmhSegmenter seg : new WmhSegmenter[] {net, baseline ? thr : null}) {
                        if (seg == null) {
                            continue;
                        }
                        WmhResult r = seg.run(t1, space, null);
                        if (save != null) {
                            Files.createDirectories(save);
                            String stem = String.format(Locale.ROOT, "%s_%.0f_%d", name, c[0], (long) c[1]);
                            org.dopaj.io.Nifti.write(t1, save.resolve(stem + "_t1.nii.gz"), null);
                            org.dopaj.io.Nifti.write(truth, save.resolve(stem + "_truth.nii.gz"), null,
                                    org.dopaj.io.NiftiDatatype.UINT8);
                            org.dopaj.io.Nifti.write(r.mask(), save.resolve(stem + "_" + r.method() + ".nii.gz"), null,
                                    org.dopaj.io.NiftiDatatype.UINT8);
                        }
                        rows.add(score(name, r.method(), c[0], (long) c[1], truth, r, vox, prep + r.seconds()));
                        Row last = rows.get(rows.size() - 1);
                        System.err.printf(Locale.ROOT, "%s %s load %.0f seed %d: true %.2f mL, predicted %.2f mL, "
                                + "Dice %.3f, lesions %d/%d found, %d false (%.1f s)%n", name, last.method(),
                                c[0], (long) c[1], last.trueMl(), last.predMl(), last.dice(), last.foundLesions(),
                                last.trueLesions(), last.falseLesions(), last.seconds());
                    }
                }
            }
        }
        return rows;
    }

    /** A head with synthetic lesions drawn on its own grid, and the truth (lesion fraction ≥ 0.5). */
    public record Lesioned(Volume t1, Volume truth) {
    }

    /**
     * {@code h} with about {@code loadMl} of lesions (none for 0) drawn on its native grid, as the evaluation and the
     * threshold calibration use them: the shapes' nominal volumes overshoot what lands in white matter, so the
     * request is rescaled until the drawn load is within 20 % of the asked one (at most 4 draws, seeds fixed); when
     * none is, the draw nearest the request is kept (before 2026-12-07 (6) the last one, which could be empty).
     */
    public static Lesioned lesioned(LesionSynthesis.Head h, LesionSynthesis synth, double loadMl, long seed) {
        if (loadMl <= 0) {
            return new Lesioned(h.t1().copy(), Volume.allocate(h.t1().grid()));
        }
        double[][] toMni = Affines.multiply(h.movingToFixed().matrix(), h.t1().grid().affine());
        double vox = h.t1().grid().voxelVolumeMm3() / 1000.0;
        double factor = 2;
        Lesioned best = null;
        double bestMiss = Double.MAX_VALUE;
        for (int attempt = 0; attempt < 4; attempt++) {
            Volume t1 = h.t1().copy();
            Volume truth = Volume.allocate(t1.grid());
            Random rng = new Random(seed + 7919L * attempt);
            List<LesionSynthesis.Shape> shapes = synth.lesions(h, loadMl * factor, rng);
            Volume[] fa = LesionSynthesis.render(t1.grid(), toMni, shapes, synth.territory(h));
            synth.blend(t1, toMni, fa, h, rng);
            long n = 0;
            for (int z = 0; z < t1.nz(); z++) {
                float[] f = fa[0].plane(z);
                float[] tr = truth.plane(z);
                for (int i = 0; i < f.length; i++) {
                    tr[i] = f[i] >= 0.5f ? 1 : 0;
                    n += f[i] >= 0.5f ? 1 : 0;
                }
            }
            double got = n * vox;
            // the draw nearest the request is kept (a later draw can land worse, even empty)
            double miss = n == 0 ? Double.MAX_VALUE / 2 : Math.abs(got - loadMl);
            if (best == null || miss < bestMiss) {
                best = new Lesioned(t1, truth);
                bestMiss = miss;
            }
            if (Math.abs(got - loadMl) <= 0.2 * loadMl) {
                break;
            }
            factor *= Math.max(0.3, Math.min(3, loadMl / Math.max(0.05, got)));
        }
        return best;
    }

    static Row score(String head, String method, double requested, long seed, Volume truth, WmhResult r, double vox,
            double seconds) {
        long tp = 0;
        long t = 0;
        long p = 0;
        for (int z = 0; z < truth.nz(); z++) {
            float[] a = truth.plane(z);
            float[] b = r.mask().plane(z);
            for (int i = 0; i < a.length; i++) {
                boolean ta = a[i] > 0;
                boolean pb = b[i] > 0;
                t += ta ? 1 : 0;
                p += pb ? 1 : 0;
                tp += ta && pb ? 1 : 0;
            }
        }
        double dice = t + p == 0 ? 1 : 2.0 * tp / (t + p);
        int trueLesions = 0;
        int found = 0;
        if (t > 0) {
            Components.Labels lt = Components.label(truth, 26);
            trueLesions = lt.count();
            boolean[] hit = new boolean[lt.count() + 1];
            for (int z = 0; z < truth.nz(); z++) {
                float[] b = r.mask().plane(z);
                int[] l = lt.planes()[z];
                for (int i = 0; i < b.length; i++) {
                    if (b[i] > 0 && l[i] > 0) {
                        hit[l[i]] = true;
                    }
                }
            }
            for (int k = 1; k <= lt.count(); k++) {
                found += hit[k] ? 1 : 0;
            }
        }
        int falseLesions = 0;
        if (p > 0) {
            Components.Labels lp = Components.label(r.mask(), 26);
            boolean[] hit = new boolean[lp.count() + 1];
            for (int z = 0; z < truth.nz(); z++) {
                float[] a = truth.plane(z);
                int[] l = lp.planes()[z];
                for (int i = 0; i < a.length; i++) {
                    if (a[i] > 0 && l[i] > 0) {
                        hit[l[i]] = true;
                    }
                }
            }
            for (int k = 1; k <= lp.count(); k++) {
                falseLesions += hit[k] ? 0 : 1;
            }
        }
        return new Row(head, method, requested, seed, t * vox, p * vox, r.wmhPvMl(), dice, trueLesions, found,
                falseLesions, seconds);
    }

    /** Markdown summary per head and method: lesion-free false positives, mean Dice, volume errors, detection. */
    public static String summary(List<Row> rows) {
        StringBuilder sb = new StringBuilder("\n| head | method | lesion-free: called mL | mean Dice (lesioned) | "
                + "mean abs volume error, true >= 10 mL | mean abs volume error, true < 10 mL | lesions found | "
                + "false lesions per image | mean s |\n|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<Row>> groups = new LinkedHashMap<>();
        for (Row r : rows) {
            groups.computeIfAbsent(r.head() + "\t" + r.method(), k -> new ArrayList<>()).add(r);
        }
        for (Map.Entry<String, List<Row>> e : groups.entrySet()) {
            String[] k = e.getKey().split("\t");
            double free = 0;
            double dice = 0;
            int nd = 0;
            double big = 0;
            int nb = 0;
            double small = 0;
            int ns = 0;
            int tl = 0;
            int fl = 0;
            int fp = 0;
            double sec = 0;
            for (Row r : e.getValue()) {
                sec += r.seconds();
                if (r.requestedMl() == 0) {
                    free += r.predMl();
                    continue;
                }
                dice += r.dice();
                nd++;
                double err = Math.abs(r.predMl() - r.trueMl()) / Math.max(1e-9, r.trueMl());
                if (r.trueMl() >= 10) {
                    big += err;
                    nb++;
                } else {
                    small += err;
                    ns++;
                }
                tl += r.trueLesions();
                fl += r.foundLesions();
                fp += r.falseLesions();
            }
            sb.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.3f | %s | %s | %d/%d | %.1f | %.1f |%n", k[0],
                    k[1], free, nd == 0 ? Double.NaN : dice / nd, nb == 0 ? "-" : String.format(Locale.ROOT,
                            "%.0f %% (n=%d)", 100 * big / nb, nb), ns == 0 ? "-" : String.format(Locale.ROOT,
                            "%.0f %% (n=%d)", 100 * small / ns, ns), fl, tl, nd == 0 ? 0 : (double) fp / nd,
                    sec / e.getValue().size()));
        }
        return sb.toString();
    }

}
