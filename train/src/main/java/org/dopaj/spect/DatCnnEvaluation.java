package org.dopaj.spect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.dopaj.dl.metrics.Classification;
import org.dopaj.dl.metrics.Confusion;
import org.dopaj.dl.metrics.Direction;
import org.dopaj.dl.metrics.Splits;
import org.dopaj.dl.metrics.Summary;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;

import com.google.gson.GsonBuilder;

/**
 * Evaluates the bundled DaT-SPECT CNN the way Wenzel et al. (EJNMMI 2019) report it, within our compute budget:
 * one trained network, an independent held-out set of randomised subjects ({@link DatSubjectSampler}, seeds never
 * used in training), 10 random 60/20/20 splits of that set; in each split the SBR classifiers (putamen SBR and
 * hottest-voxel putamen SBR, the lower of both sides, Youden threshold, low = parkinsonian) are fitted on the 60 %
 * part and every classifier is scored on the 20 % test part (the CNN keeps its fixed 0.5 threshold). Settings:
 * original images, 18 mm-smoothed images, and mixed (each subject original or smoothed at random per split, the
 * SBR threshold fitted on the mixed 60 % part). What differs from the paper: the CNN is trained once (on other
 * subjects), not once per split, so the sd reflects test-set sampling, not training variability.
 *
 * <p>A cross-generator check follows: the CNN on {@link SpectPhantom} volumes (a different generator: fixed
 * anatomy, flat background), stage 0 at ages 40–85 vs stages 1–4, FWHM 8–18 mm, random misregistration; and with
 * {@code --atlas-phantoms N} a second one on {@link AtlasDatSampler} volumes (the AAL atlas's caudate and putamen
 * instead of ellipsoids; {@code --atlas FILE}, default ../shared/data/atlas/aal.nii.gz), original and smoothed.
 *
 * <p>Command: {@code java -cp "$(./dopaj --classpath)" org.dopaj.spect.DatCnnEvaluation
 * models/spect-dat-cnn --n 600 --out docs/validation/spect-dat-cnn-heldout.csv}. Prints JSON and a markdown table.
 */
public final class DatCnnEvaluation {
    /** Seeds of held-out subjects start here (training uses 2019·10⁶ + i). */
    public static final long HELD_OUT_SEED = 1_000_000L;
    /** Seeds of the atlas-anatomy check ({@link AtlasDatSampler}). */
    public static final long ATLAS_SEED = 3_000_000L;

    private DatCnnEvaluation() {
    }

    /** Per-subject scores: [p_orig, p_smooth, put_orig, put_smooth, hot_orig, hot_smooth]. */
    record Row(long seed, int label, double stage, double fwhm, double[] v) {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        if (args.length >= 2 && args[1].equals("--bench")) {
            int repeat = args.length >= 3 ? Integer.parseInt(args[2]) : 30;
            try (SpectClassifier c = SpectClassifier.load(model, ComputeDevice.CPU)) {
                System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(benchmark(c, repeat)));
            }
            return;
        }
        if (args.length == 3 && args[1].equals("--normal-asymmetry")) {
            System.out.println(normalAsymmetry(Integer.parseInt(args[2])));
            return;
        }
        int n = 600;
        int threads = 2;
        int crossN = 100;
        int atlasN = 0;
        Path atlasFile = Path.of("../shared/data/atlas/aal.nii.gz");
        Path csv = null;
        for (int i = 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--n" -> n = Integer.parseInt(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--cross" -> crossN = Integer.parseInt(args[i + 1]);
                case "--out" -> csv = Path.of(args[i + 1]);
                case "--atlas-phantoms" -> atlasN = Integer.parseInt(args[i + 1]);
                case "--atlas" -> atlasFile = Path.of(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        long t0 = System.nanoTime();
        List<Row> rows = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        Map<String, Object> atlasReport = null;
        try (SpectClassifier c = SpectClassifier.load(model, ComputeDevice.CPU)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<Row>> jobs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long seed = HELD_OUT_SEED + i;
                int label = i % 2;
                jobs.add(pool.submit(() -> score(c, seed, label, millis)));
            }
            for (Future<Row> f : jobs) {
                rows.add(f.get());
                if (rows.size() % 50 == 0) {
                    System.err.printf(Locale.ROOT, "[%.0f s] %d/%d subjects%n", (System.nanoTime() - t0) / 1e9,
                            rows.size(), n);
                }
            }
            List<Future<double[]>> cross = new ArrayList<>();
            for (int i = 0; i < crossN; i++) {
                int k = i;
                cross.add(pool.submit(() -> crossGenerator(c, k)));
            }
            List<double[]> crossRows = new ArrayList<>();
            for (Future<double[]> f : cross) {
                crossRows.add(f.get());
            }
            if (atlasN > 0) {
                AtlasDatSampler atlas = new AtlasDatSampler(org.dopaj.io.Nifti.readVolume(atlasFile),
                        new int[] {71, 72}, new int[] {73, 74}); // AAL: Caudate_L/R, Putamen_L/R
                List<Future<double[]>> aj = new ArrayList<>();
                for (int i = 0; i < atlasN; i++) {
                    long seed = ATLAS_SEED + i;
                    int label = i % 2;
                    aj.add(pool.submit(() -> {
                        DatSubjectSampler.Subject s = DatFamily.AAL.draw(atlas, seed, label, null);
                        return new double[] {label, c.classify(s.image()).probabilityParkinsonian(),
                            c.classify(s.smoothed()).probabilityParkinsonian()};
                    }));
                }
                List<double[]> ar = new ArrayList<>();
                for (Future<double[]> f : aj) {
                    ar.add(f.get());
                }
                Map<String, Object> am = new LinkedHashMap<>();
                am.put("n", atlasN);
                am.put("atlas", atlasFile.toString());
                am.put("original", sensSpec(ar, 1));
                am.put("smoothed", sensSpec(ar, 2));
                atlasReport = am;
            }
            pool.shutdown();
            if (csv != null) {
                writeCsv(csv, rows);
            }
            Map<String, Object> report = rows.isEmpty() ? new LinkedHashMap<>() : analyse(rows);
            Map<String, Object> cg = new LinkedHashMap<>();
            cg.put("n", crossN);
            if (crossN > 0) {
                cg.putAll(sensSpec(crossRows, 1));
                cg.put("sensitivity_by_stage", sensitivityByStage(crossRows));
                cg.put("putamen_sbr_best_own_threshold_accuracy", DatLiteratureCheck.bestThresholdAccuracy(
                        crossRows.stream().map(r -> new double[] {r[3], r[0]}).toList()));
            }
            report.put("cross_generator_spect_phantom", cg);
            if (atlasReport != null) {
                report.put("cross_generator_atlas", atlasReport);
            }
            double[] ms = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            report.put("classify_ms_median_while_evaluating", ms.length == 0 ? null : ms[ms.length / 2]);
            report.put("wall_s", (System.nanoTime() - t0) / 1e9);
            System.out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                    .toJson(report));
            if (!rows.isEmpty()) {
                printTable(report);
            }
        }
    }

    /**
     * Wall-clock time of {@link SpectClassifier#classify} (input checks, normalisation, layout, model call with
     * Grad-CAM, CAM back to a Volume) on one 91×109×91 phantom, after 3 warm-up calls: median and 95th percentile.
     * Command: {@code ... org.dopaj.spect.DatCnnEvaluation models/spect-dat-cnn --bench 30}.
     */
    static Map<String, Object> benchmark(SpectClassifier c, int repeat) {
        Volume img = SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).seed(3).build()).image();
        for (int i = 0; i < 3; i++) {
            c.classify(img);
        }
        double[] ms = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t = System.nanoTime();
            c.classify(img);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", "SpectClassifier.classify incl. the class-activation map, 91x109x91, after model load and 3 warm-up calls");
        m.put("repeat", repeat);
        m.put("median_ms", ms[repeat / 2]);
        m.put("p95_ms", ms[Math.min(repeat - 1, (int) Math.ceil(0.95 * repeat) - 1)]);
        m.put("min_ms", ms[0]);
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("model_load_ms", c.model().loadMillis());
        // a camera's view of the same subject: 3.3 mm voxels in scanner space, head turned and moved — the whole
        // path a clinical scan takes: spatial normalisation (registration + resampling) and classification with CAM
        Volume scan = DatScannerTwins.twin(img, new double[] {12, -8, 10}, new double[] {20, -15, 10});
        for (int i = 0; i < 3; i++) {
            c.classify(scan);
        }
        double[] reg = new double[repeat];
        double[] all = new double[repeat];
        for (int i = 0; i < repeat; i++) {
            long t = System.nanoTime();
            DatNormaliser.Normalised n = DatNormaliser.normalise(scan, true, null);
            reg[i] = (System.nanoTime() - t) / 1e6;
            c.classify(scan, n);
            all[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(reg);
        Arrays.sort(all);
        m.put("scanner_space_what", "DatNormaliser.normalise + classify with CAM of a 128x128x64 3.3 mm scanner-space"
                + " volume (head turned 12/-8/10 degrees, moved 20/-15/10 mm)");
        m.put("scanner_space_normalise_median_ms", reg[repeat / 2]);
        m.put("scanner_space_total_median_ms", all[repeat / 2]);
        m.put("scanner_space_total_p95_ms", all[Math.min(repeat - 1, (int) Math.ceil(0.95 * repeat) - 1)]);
        return m;
    }

    static Row score(SpectClassifier c, long seed, int label, List<Double> millis) {
        DatSubjectSampler.Subject s = DatSubjectSampler.draw(seed, label);
        Volume sm = s.smoothed();
        double[] v = new double[6];
        long t = System.nanoTime();
        v[0] = c.classify(s.image()).probabilityParkinsonian();
        synchronized (millis) {
            millis.add((System.nanoTime() - t) / 1e6);
        }
        v[1] = c.classify(sm).probabilityParkinsonian();
        SbrQuantifier q = SbrQuantifier.defaults();
        SbrResult a = q.quantify(s.image());
        SbrResult b = q.quantify(sm);
        v[2] = Math.min(a.sbr().get(VoiSet.PUTAMEN_L), a.sbr().get(VoiSet.PUTAMEN_R));
        v[3] = Math.min(b.sbr().get(VoiSet.PUTAMEN_L), b.sbr().get(VoiSet.PUTAMEN_R));
        v[4] = Math.min(a.hottestSbr().get(VoiSet.PUTAMEN_L), a.hottestSbr().get(VoiSet.PUTAMEN_R));
        v[5] = Math.min(b.hottestSbr().get(VoiSet.PUTAMEN_L), b.hottestSbr().get(VoiSet.PUTAMEN_R));
        return new Row(seed, label, s.stage(), s.fwhmMm(), v);
    }

    /**
     * Putamen SBR asymmetry (|R − L| / mean, %) of {@code n} held-out normals (seeds 10⁶ + 2i, original images):
     * how asymmetric the generator's healthy subjects look to the quantifier. Usage: {@code DatCnnEvaluation MODEL
     * --normal-asymmetry N} (the model is not loaded).
     */
    static String normalAsymmetry(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            DatSubjectSampler.Subject s = DatSubjectSampler.draw(HELD_OUT_SEED + 2L * i, DatSubjectSampler.NORMAL);
            a[i] = SbrQuantifier.defaults().quantify(s.image()).putamenAsymmetryPct();
        }
        Arrays.sort(a);
        return String.format(Locale.ROOT, "normals %d: putamen asymmetry median %.1f %%, 95th percentile %.1f %%,"
                + " max %.1f %%", n, a[n / 2], a[(int) (0.95 * n)], a[n - 1]);
    }

    /** Accuracy, sensitivity and specificity at 0.5 of column {@code col} of {label, p...} rows. */
    static Map<String, Object> sensSpec(List<double[]> rows, int col) {
        double[] p = rows.stream().mapToDouble(r -> r[col]).toArray();
        int[] labels = rows.stream().mapToInt(r -> (int) r[0]).toArray();
        Confusion c = Classification.confusion(p, labels, 0.5, Direction.HIGHER_IS_POSITIVE);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accuracy", c.accuracy());
        m.put("sensitivity", c.positives() == 0 ? null : c.sensitivity());
        m.put("specificity", c.negatives() == 0 ? null : c.specificity());
        return m;
    }

    /**
     * Sensitivity of the CNN per stage band of the {@link SpectPhantom} check: the stage model's mild end (1–1.5, one
     * side affected, the other spared) is where a classifier's operating point shows.
     */
    static Map<String, Object> sensitivityByStage(List<double[]> rows) {
        double[][] bands = {{1, 1.5}, {1.5, 2}, {2, 3}, {3, 4.01}};
        Map<String, Object> m = new LinkedHashMap<>();
        for (double[] b : bands) {
            List<double[]> in = rows.stream().filter(r -> r[0] == 1 && r[2] >= b[0] && r[2] < b[1]).toList();
            long hit = in.stream().filter(r -> r[1] >= 0.5).count();
            m.put(String.format(Locale.ROOT, "stage %.1f-%.1f", b[0], Math.min(4, b[1])),
                    in.isEmpty() ? "none" : String.format(Locale.ROOT, "%d/%d", hit, in.size()));
        }
        return m;
    }

    /** {label, probability, stage, lower putamen SBR} for one SpectPhantom volume (the colleague's generator). */
    static double[] crossGenerator(SpectClassifier c, int k) {
        SplittableRandom r = new SplittableRandom(77_000L + k);
        int label = k % 2;
        double stage = label == 1 ? 1 + 3 * r.nextDouble() : 0;
        SpectPhantom.Params p = SpectPhantom.Params.builder().stage(stage).age(40 + 45 * r.nextDouble())
                .moreAffected(r.nextBoolean() ? SpectPhantom.Side.LEFT : SpectPhantom.Side.RIGHT)
                .fwhmMm(8 + 10 * r.nextDouble()).totalCounts(Math.exp(Math.log(7e5) + r.nextDouble() * Math.log(6e6 / 7e5)))
                .shiftMm(4 * r.nextDouble() - 2, 4 * r.nextDouble() - 2, 4 * r.nextDouble() - 2)
                .rotationDeg(6 * r.nextDouble() - 3, 6 * r.nextDouble() - 3, 6 * r.nextDouble() - 3)
                .seed(77_000L + k).build();
        Volume v = SpectPhantom.generate(p).image();
        return new double[] {label, c.classify(v).probabilityParkinsonian(), stage,
            SbrQuantifier.defaults().quantify(v).lowerPutamenSbr()};
    }

    /** Accuracy and AUC over 10 random 60/20/20 splits, per setting and classifier. */
    static Map<String, Object> analyse(List<Row> rows) {
        int n = rows.size();
        int[] labels = rows.stream().mapToInt(Row::label).toArray();
        List<Splits.Split> splits = Splits.repeatedStratified(labels, 10, 2019, 0.6, 0.2, 0.2);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("held_out_subjects", n);
        out.put("splits", "10 random stratified 60/20/20 (Splits.repeatedStratified seed 2019); SBR thresholds fitted on the 60 % part,"
                + " all classifiers scored on the 20 % test part; CNN threshold 0.5");
        for (String setting : List.of("original", "smoothed", "mixed")) {
            Map<String, List<Double>> acc = new LinkedHashMap<>();
            Map<String, List<Double>> auc = new LinkedHashMap<>();
            Map<String, List<Double>> thr = new LinkedHashMap<>();
            for (String cl : List.of("cnn", "putamen_sbr", "putamen_hottest_sbr")) {
                acc.put(cl, new ArrayList<>());
                auc.put(cl, new ArrayList<>());
                thr.put(cl, new ArrayList<>());
            }
            for (Splits.Split sp : splits) {
                boolean[] smooth = new boolean[n];
                Random rng = new Random(1000 + sp.repeat());
                for (int i = 0; i < n; i++) {
                    smooth[i] = switch (setting) {
                        case "original" -> false;
                        case "smoothed" -> true;
                        default -> rng.nextBoolean();
                    };
                }
                double[][] f = new double[3][n];
                for (int i = 0; i < n; i++) {
                    double[] v = rows.get(i).v();
                    int o = smooth[i] ? 1 : 0;
                    f[0][i] = v[o];
                    f[1][i] = v[2 + o];
                    f[2][i] = v[4 + o];
                }
                String[] names = {"cnn", "putamen_sbr", "putamen_hottest_sbr"};
                for (int k = 0; k < 3; k++) {
                    Direction d = k == 0 ? Direction.HIGHER_IS_POSITIVE : Direction.LOWER_IS_POSITIVE;
                    double t;
                    if (k == 0) {
                        t = 0.5;
                    } else {
                        t = Classification.youden(pick(f[k], sp.train()), pickInt(labels, sp.train()), d).threshold();
                    }
                    double[] ts = pick(f[k], sp.test());
                    int[] tl = pickInt(labels, sp.test());
                    acc.get(names[k]).add(Classification.confusion(ts, tl, t, d).accuracy());
                    auc.get(names[k]).add(Classification.auc(ts, tl, d));
                    thr.get(names[k]).add(t);
                }
            }
            Map<String, Object> s = new LinkedHashMap<>();
            for (String cl : acc.keySet()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("accuracy", Summary.of(acc.get(cl)).toMap());
                m.put("auc", Summary.of(auc.get(cl)).toMap());
                m.put("threshold", Summary.of(thr.get(cl)).toMap());
                s.put(cl, m);
            }
            out.put(setting, s);
        }
        return out;
    }

    private static double[] pick(double[] a, int[] idx) {
        return Arrays.stream(idx).mapToDouble(i -> a[i]).toArray();
    }

    private static int[] pickInt(int[] a, int[] idx) {
        return Arrays.stream(idx).map(i -> a[i]).toArray();
    }

    @SuppressWarnings("unchecked")
    static void printTable(Map<String, Object> report) {
        System.out.println();
        System.out.println("| setting | CNN accuracy | putamen SBR (Youden) | hottest-voxel putamen SBR (Youden) | CNN AUC |"
                + " SBR AUC | hottest SBR AUC | SBR threshold | hottest threshold |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (String setting : List.of("original", "smoothed", "mixed")) {
            Map<String, Object> s = (Map<String, Object>) report.get(setting);
            StringBuilder b = new StringBuilder("| " + setting);
            for (String what : List.of("accuracy", "auc")) {
                for (String cl : List.of("cnn", "putamen_sbr", "putamen_hottest_sbr")) {
                    Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) s.get(cl)).get(what);
                    b.append(String.format(Locale.ROOT, " | %.3f ± %.3f", m.get("mean"), m.get("sd")));
                }
            }
            for (String cl : List.of("putamen_sbr", "putamen_hottest_sbr")) {
                Map<String, Object> m = (Map<String, Object>) ((Map<String, Object>) s.get(cl)).get("threshold");
                b.append(String.format(Locale.ROOT, " | %.3f ± %.3f", m.get("mean"), m.get("sd")));
            }
            System.out.println(b.append(" |"));
        }
    }

    static void writeCsv(Path csv, List<Row> rows) throws IOException {
        StringBuilder b = new StringBuilder("# held-out DatSubjectSampler subjects scored by DatCnnEvaluation\n");
        b.append("seed,label,stage,fwhm_mm,p_cnn_original,p_cnn_smoothed,putamen_sbr_min_original,"
                + "putamen_sbr_min_smoothed,putamen_hottest_sbr_min_original,putamen_hottest_sbr_min_smoothed\n");
        for (Row r : rows) {
            b.append(r.seed()).append(',').append(r.label()).append(',')
                    .append(String.format(Locale.ROOT, "%.3f,%.2f", r.stage(), r.fwhm()));
            for (double v : r.v()) {
                b.append(String.format(Locale.ROOT, ",%.5f", v));
            }
            b.append('\n');
        }
        Files.createDirectories(csv.toAbsolutePath().getParent());
        Files.writeString(csv, b.toString(), StandardCharsets.UTF_8);
    }
}
