package org.dopaj.spect;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.dopaj.dl.graph.ModelGraph;
import org.dopaj.dl.graph.NetBuilder;
import org.dopaj.dl.metrics.Classification;
import org.dopaj.dl.metrics.Direction;
import org.dopaj.dl.runtime.TensorFlowRuntime;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

import com.google.gson.GsonBuilder;

/**
 * Leave-one-family-out validation of the DaT-SPECT classifier: for each phantom family ({@link DatFamily}) a network
 * is trained on all the other families ({@link DatCnnTraining}, same recipe and seed) and tested on held-out subjects
 * of the family left out, in the original and the +18 mm smoothed setting, next to the putamen-SBR and hottest-voxel
 * putamen-SBR classifiers (lower side, low = parkinsonian) whose Youden thresholds are fitted on the <b>training</b>
 * families' training subjects of the same setting. The CNN keeps its 0.5 threshold. Calibration: expected calibration
 * error over 10 equal-width probability bins and the reliability table. A test subject whose spatial normalisation
 * failed its quality check counts as an error of every classifier.
 *
 * <p>Commands:
 * <pre>
 * java -Xmx12g -cp "$(./dopaj --classpath)" org.dopaj.spect.DatLofo runs/spect-lofo \
 *     --test 200 [training options of DatCnnTraining] [--only aal,icbm]        # trains 4 networks, writes report.json
 * java ... org.dopaj.spect.DatLofo --evaluate runs/spect-dat-cnn-v3/checkpoints/best --test 200 [--families ...]
 *                                                                                # one checkpoint on every family
 * </pre>
 * Test subjects have seeds {@value #TEST_SEED} + i in every family (never used in training).
 */
public final class DatLofo {
    /** Seeds of the held-out test subjects. */
    public static final long TEST_SEED = DatFamily.TEST_SEED;

    private DatLofo() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Consumer<String> log = s -> System.out.printf(Locale.ROOT, "[%7.1f s] %s%n", (System.nanoTime() - t0) / 1e9, s);
        boolean prepare = args[0].equals("--prepare");
        boolean evaluateOnly = args[0].equals("--evaluate");
        boolean reevaluate = args[0].equals("--reevaluate");
        Path target = Path.of(evaluateOnly || reevaluate ? args[1] : args[0]);
        int nTest = 200;
        List<DatFamily> only = List.of(DatFamily.values());
        List<String> rest = new ArrayList<>();
        for (int i = evaluateOnly || reevaluate ? 2 : 1; i < args.length; i += 2) {
            switch (args[i]) {
                case "--test" -> nTest = Integer.parseInt(args[i + 1]);
                case "--only" -> only = DatFamily.list(args[i + 1]);
                default -> {
                    rest.add(args[i]);
                    rest.add(args[i + 1]);
                }
            }
        }
        DatCnnTraining.Options o = DatCnnTraining.Options.parse(rest.toArray(String[]::new), 0);
        Map<String, Object> report = new LinkedHashMap<>();
        if (prepare) {
            // draws (or finds) every subject the runs need, family by family, so trainings only read caches
            for (DatFamily f : o.families()) {
                DatCnnTraining.subjects(o, f, "train", o.seed() * 1_000_000L, o.nTrain(), log);
                DatCnnTraining.subjects(o, f, "val", o.seed() * 1_000_000L + 500_000L, o.nVal(), log);
                DatCnnTraining.subjects(o, f, "test", TEST_SEED, nTest, log);
            }
            return;
        }
        if (reevaluate) {
            // the trained leave-one-family-out networks evaluated again (e.g. after a change of the evaluation)
            for (DatFamily left : only) {
                report.put(left.id(), leaveOut(o, left, target, nTest, false, log));
            }
            Files.writeString(target.resolve("report.json"), json(report), StandardCharsets.UTF_8);
        } else if (evaluateOnly) {
            // one network (the bundled one) on held-out subjects of every family; thresholds fitted on all families
            List<DatData.Item> fit = DatCnnTraining.subjects(o, "train", o.seed() * 1_000_000L, o.nTrain(), log);
            List<DatData.Item> val = DatCnnTraining.subjects(o, "val", o.seed() * 1_000_000L + 500_000L, o.nVal(), log);
            for (DatFamily f : o.families()) {
                List<DatData.Item> test = DatCnnTraining.subjects(o, f, "test", TEST_SEED, nTest, log);
                report.put(f.id(), evaluate(target, o.head(), test, fit, val));
                log.accept(f.id() + ": " + summary(report.get(f.id())));
            }
        } else {
            for (DatFamily left : only) {
                report.put(left.id(), leaveOut(o, left, target, nTest, true, log));
                Files.createDirectories(target);
                Files.writeString(target.resolve("report.json"), json(report), StandardCharsets.UTF_8);
            }
        }
        String js = json(report);
        if (evaluateOnly) {
            Files.writeString(target.getParent().resolve("families-report.json"), js, StandardCharsets.UTF_8);
        }
        System.out.println(js);
        System.out.println(markdown(report));
    }

    /**
     * One leave-one-family-out run: the network trained without {@code left} (trained now when {@code train}, else
     * its checkpoint under {@code target/without-<family>}), evaluated on {@code left}'s held-out subjects.
     */
    private static Map<String, Object> leaveOut(DatCnnTraining.Options o, DatFamily left, Path target, int nTest,
                                                boolean train, Consumer<String> log) throws Exception {
        List<DatFamily> trainOn = new ArrayList<>(o.families());
        trainOn.remove(left);
        DatCnnTraining.Options lo = o.withFamilies(trainOn);
        Path run = target.resolve("without-" + left.id());
        Path ckpt = train ? DatCnnTraining.train(run, lo, log, false) : run.resolve("checkpoints").resolve("best");
        List<DatData.Item> fit = DatCnnTraining.subjects(lo, "train", o.seed() * 1_000_000L, o.nTrain(), log);
        List<DatData.Item> val = DatCnnTraining.subjects(lo, "val", o.seed() * 1_000_000L + 500_000L, o.nVal(), log);
        List<DatData.Item> test = DatCnnTraining.subjects(o, left, "test", TEST_SEED, nTest, log);
        Map<String, Object> m = evaluate(ckpt, o.head(), test, fit, val);
        m.put("trained_on", trainOn.stream().map(DatFamily::id).toList());
        log.accept("left out " + left.id() + ": " + summary(m));
        return m;
    }

    private static String json(Object o) {
        return new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(o);
    }

    /** One line per setting: accuracies of the CNN and both thresholds, ECE. */
    @SuppressWarnings("unchecked")
    static String summary(Object o) {
        Map<String, Object> m = (Map<String, Object>) o;
        StringBuilder b = new StringBuilder();
        for (String s : List.of("original", "smoothed")) {
            Map<String, Object> x = (Map<String, Object>) m.get(s);
            b.append(String.format(Locale.ROOT, "%s CNN %.3f putamen %.3f hottest %.3f ECE %.3f%s; ", s,
                    x.get("cnn_accuracy"), x.get("putamen_sbr_accuracy"), x.get("hottest_sbr_accuracy"), x.get("ece"),
                    x.containsKey("anchor_accuracy") ? String.format(Locale.ROOT, " anchor alone %.3f",
                            x.get("anchor_accuracy")) : ""));
        }
        return b.toString();
    }

    /** The markdown table of a report (one row per family and setting). */
    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> report) {
        StringBuilder b = new StringBuilder("| family left out | setting | n | CNN accuracy | putamen SBR (Youden) |"
                + " hottest-voxel SBR (Youden) | CNN AUC | CNN ECE | registration failures |\n|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, Object> e : report.entrySet()) {
            Map<String, Object> m = (Map<String, Object>) e.getValue();
            for (String s : List.of("original", "smoothed")) {
                Map<String, Object> x = (Map<String, Object>) m.get(s);
                b.append(String.format(Locale.ROOT, "| %s | %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %d |%n",
                        e.getKey(), s, ((Number) x.get("n")).intValue(), x.get("cnn_accuracy"),
                        x.get("putamen_sbr_accuracy"), x.get("hottest_sbr_accuracy"), x.get("cnn_auc"), x.get("ece"),
                        ((Number) m.get("registration_failures")).intValue()));
            }
        }
        return b.toString();
    }

    /**
     * The checkpoint's CNN and the two SBR thresholds (fitted on {@code fit}) on {@code test}; the CNN's
     * probabilities calibrated by a temperature fitted on {@code val} (the training families' validation subjects,
     * original and smoothed), as the bundled model is ({@link DatCalibration}).
     */
    static Map<String, Object> evaluate(Path checkpoint, DatCnn.Head head, List<DatData.Item> test, List<DatData.Item> fit,
                                        List<DatData.Item> val) {
        List<DatData.Item> ok = test.stream().filter(i -> !i.failed()).toList();
        int failures = test.size() - ok.size();
        float[][] orig = ok.stream().map(DatData.Item::original).toArray(float[][]::new);
        float[][] smooth = ok.stream().map(DatData.Item::smoothed).toArray(float[][]::new);
        List<DatData.Item> v = val.stream().filter(i -> !i.failed()).toList();
        float[][] valMaps = new float[2 * v.size()][];
        int[] valLabels = new int[2 * v.size()];
        for (int i = 0; i < v.size(); i++) {
            valMaps[2 * i] = v.get(i).original();
            valMaps[2 * i + 1] = v.get(i).smoothed();
            valLabels[2 * i] = v.get(i).label();
            valLabels[2 * i + 1] = v.get(i).label();
        }
        double t = DatCalibration.fitTemperature(predict(checkpoint, head, valMaps), valLabels);
        double[] rawOrig = predict(checkpoint, head, orig);
        double[] rawSmooth = predict(checkpoint, head, smooth);
        double[] pOrig = DatCalibration.apply(rawOrig, t);
        double[] pSmooth = DatCalibration.apply(rawSmooth, t);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", test.size());
        m.put("registration_failures", failures);
        m.put("temperature", t);
        int[] lab = ok.stream().mapToInt(DatData.Item::label).toArray();
        m.put("ece_uncalibrated", List.of(DatCalibration.ece(rawOrig, lab), DatCalibration.ece(rawSmooth, lab)));
        double[][] anchorLogOdds = null;
        if (head == DatCnn.Head.ANCHORED) {
            // the anchor alone (the binding logistic regression, no image residual): what the residual adds
            DatCnn.Anchor a;
            try {
                a = DatCnnTraining.anchorOf(checkpoint);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            anchorLogOdds = new double[][] {java.util.Arrays.stream(orig).mapToDouble(a::logOdds).toArray(),
                java.util.Arrays.stream(smooth).mapToDouble(a::logOdds).toArray()};
        }
        m.put("original", setting(ok, fit, pOrig, 0, failures));
        m.put("smoothed", setting(ok, fit, pSmooth, 1, failures));
        if (anchorLogOdds != null) {
            for (int k = 0; k < 2; k++) {
                int correct = 0;
                for (int i = 0; i < ok.size(); i++) {
                    correct += (anchorLogOdds[k][i] >= 0) == (ok.get(i).label() == 1) ? 1 : 0;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> x = (Map<String, Object>) m.get(k == 0 ? "original" : "smoothed");
                x.put("anchor_accuracy", (double) correct / test.size());
            }
        }
        return m;
    }

    private static Map<String, Object> setting(List<DatData.Item> ok, List<DatData.Item> fit, double[] p, int k,
                                               int failures) {
        int n = ok.size();
        int total = n + failures;
        int[] labels = ok.stream().mapToInt(DatData.Item::label).toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", total);
        int cnnCorrect = 0;
        List<Map<String, Object>> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if ((p[i] >= 0.5) == (labels[i] == 1)) {
                cnnCorrect++;
            } else {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("seed", ok.get(i).seed());
                e.put("label", labels[i]);
                e.put("severity", ok.get(i).severity());
                e.put("p", p[i]);
                e.put("putamen_sbr", ok.get(i).sbr()[k]);
                errors.add(e);
            }
        }
        m.put("cnn_accuracy", (double) cnnCorrect / total);
        m.put("cnn_auc", Classification.auc(p, labels, Direction.HIGHER_IS_POSITIVE));
        for (int c = 0; c < 2; c++) {
            int col = 2 * c + k;
            double[] fs = fit.stream().filter(i -> !i.failed() && Double.isFinite(i.sbr()[col]))
                    .mapToDouble(i -> i.sbr()[col]).toArray();
            int[] fl = fit.stream().filter(i -> !i.failed() && Double.isFinite(i.sbr()[col]))
                    .mapToInt(DatData.Item::label).toArray();
            double thr = Classification.youden(fs, fl, Direction.LOWER_IS_POSITIVE).threshold();
            int correct = 0;
            for (int i = 0; i < n; i++) {
                double v = ok.get(i).sbr()[col];
                if (Double.isFinite(v) && (v <= thr) == (labels[i] == 1)) {
                    correct++;
                }
            }
            String name = c == 0 ? "putamen_sbr" : "hottest_sbr";
            m.put(name + "_threshold", thr);
            m.put(name + "_accuracy", (double) correct / total);
        }
        m.put("ece", DatCalibration.ece(p, labels));
        m.put("reliability", DatCalibration.reliability(p, labels));
        m.put("cnn_errors", errors);
        return m;
    }

    /** Parkinsonian probabilities of 4 mm SBR maps through a training checkpoint (inference graph, batches of 16). */
    static double[] predict(Path checkpoint, DatCnn.Head head, float[][] maps) {
        DatCnn.Anchor anchor;
        try {
            anchor = head == DatCnn.Head.ANCHORED ? DatCnnTraining.anchorOf(checkpoint) : null;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TensorFlowRuntime.init();
        double[] out = new double[maps.length];
        try (ModelGraph g = ModelGraph.build(DatNetwork.trainingSpec(head, anchor), NetBuilder.Mode.INFERENCE, 0L);
                Session s = new Session(g.graph())) {
            ModelGraph.restore(s, checkpoint, DatNetwork.trainingSpec(head, anchor).name());
            int size = DatData.SIZE;
            for (int from = 0; from < maps.length; from += 16) {
                int b = Math.min(16, maps.length - from);
                float[] x = new float[b * size];
                for (int i = 0; i < b; i++) {
                    System.arraycopy(maps[from + i], 0, x, i * size, size);
                }
                try (TFloat32 in = TFloat32.tensorOf(Shape.of(b, DatCnn.PX, DatCnn.PY, DatCnn.PZ, 1),
                        DataBuffers.of(x, true, false));
                        var r = s.runner().feed(g.input(), in).fetch(g.prediction()).run()) {
                    TFloat32 p = (TFloat32) r.get(0);
                    for (int i = 0; i < b; i++) {
                        out[from + i] = p.getFloat(i, 1);
                    }
                }
            }
        }
        return out;
    }
}
