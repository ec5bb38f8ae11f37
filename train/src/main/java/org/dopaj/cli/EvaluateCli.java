package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.dl.metrics.Agreement;
import org.dopaj.dl.metrics.Classification;
import org.dopaj.dl.metrics.Confusion;
import org.dopaj.dl.metrics.Direction;
import org.dopaj.dl.metrics.Overlap;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;

/**
 * {@code dopaj evaluate KIND ...}: the figures DopaJ reports for a model or a method, all computed by
 * {@code org.dopaj.dl.metrics} (conventions in docs/metrics.md). A dispatcher on its first positional:
 * <ul>
 *   <li>{@code segmentation --pred A --ref B}: Dice, IoU, precision, recall, F1, HD95 and Hausdorff (mm) of two
 *   masks on the same grid; a voxel is foreground when its value is &gt; 0.5 (so probability maps and 0/1 or
 *   0/255 masks all work).</li>
 *   <li>{@code classification --csv F --score COL --label COL [--direction higher|lower] [--threshold T]}:
 *   ROC AUC, the Youden-optimal cut-off, and accuracy/sensitivity/specificity at the given threshold or, without
 *   one, at the Youden cut-off (optimistic: it is chosen on the same data).</li>
 *   <li>{@code regression --csv F --pred COL --ref COL}: Lin's CCC with its 95 % CI, Pearson r, MAE, RMSE, bias
 *   and range-normalised errors.</li>
 *   <li>{@code model MODEL_DIR --config TRAIN.yaml [--part validation|train|test|all]}: runs a model package
 *   through DJL on the data its training config describes (same generator or folder + CSV, same seeded split)
 *   and reports accuracy/AUC or agreement ({@link org.dopaj.dl.train.ModelEvaluation}).</li>
 * </ul>
 * Every JSON result carries the research-use {@code notice}.
 */
public final class EvaluateCli extends DispatchCli {
    /** A voxel is foreground when its value is above this (binary 0/1, 0/255 masks and probability maps). */
    static final double MASK_THRESHOLD = 0.5;

    @Override
    public String name() {
        return "evaluate";
    }

    @Override
    Map<String, CliCommand> kinds() {
        Map<String, CliCommand> m = new LinkedHashMap<>();
        for (CliCommand k : List.of(new Segmentation(), new ClassificationKind(), new Regression(), new ModelKind())) {
            m.put(k.name(), k);
        }
        return m;
    }

    /** Prints a result as one JSON object or as an aligned listing (nested maps as dotted keys). */
    static void report(Map<String, Object> result, boolean json, PrintStream out) {
        if (json) {
            CliSupport.printJson(out, result);
            return;
        }
        Map<String, Object> flat = new LinkedHashMap<>();
        flatten("", result, flat);
        InfoCli.printListing(out, flat);
    }

    private static void flatten(String prefix, Map<String, ?> m, Map<String, Object> into) {
        for (Map.Entry<String, ?> e : m.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> sub) {
                @SuppressWarnings("unchecked")
                Map<String, ?> s = (Map<String, ?>) sub;
                flatten(prefix + e.getKey() + ".", s, into);
            } else {
                Object v = e.getValue();
                into.put(prefix + e.getKey(), v instanceof Float f ? Double.valueOf(f) : v);
            }
        }
    }

    private static String required(Args a, String name, String what) {
        String v = a.option(name);
        if (v == null) {
            throw new DopajException("missing --" + name + " (" + what + ")");
        }
        return v;
    }

    /** {@code segmentation --pred A --ref B [--json]}. */
    static final class Segmentation implements CliCommand {
        @Override
        public String name() {
            return "segmentation";
        }

        @Override
        public String usage() {
            return "segmentation --pred MASK --ref MASK [--json]";
        }

        @Override
        public int run(List<String> argv, PrintStream out, PrintStream err) {
            Args a = Args.parse(argv, Set.of("pred", "ref"), Set.of("json"));
            CliSupport.maxPositionals(a, 0, "evaluate " + usage());
            Path predPath = Path.of(required(a, "pred", "the predicted mask"));
            Path refPath = Path.of(required(a, "ref", "the reference mask"));
            Volume pred = loadMask(predPath, "predicted");
            Volume ref = loadMask(refPath, "reference");
            Grid g = pred.grid();
            if (!g.sameAs(ref.grid(), Overlap.GRID_TOLERANCE_MM)) {
                throw new DopajException(predPath + " (" + g + ") and " + refPath + " (" + ref.grid()
                        + ") are on different grids: resample one onto the other first");
            }
            Overlap.Result r = Overlap.compare(foreground(pred), foreground(ref), g);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pred", predPath.toString());
            m.put("ref", refPath.toString());
            m.put("mask_threshold", MASK_THRESHOLD);
            m.putAll(r.toMap());
            m.put("false_positive_voxels", r.falsePositive());
            m.put("false_negative_voxels", r.falseNegative());
            m.put("voxel_mm", java.util.Arrays.stream(g.voxelMm()).boxed().toList());
            m.put("notice", CliSupport.NOTICE);
            report(m, a.flag("json"), out);
            return 0;
        }

        private static Volume loadMask(Path p, String what) {
            Volume v = ImageFiles.read(p);
            if (v.nt() != 1) {
                throw new DopajException(p + ": the " + what + " mask has " + v.nt() + " frames; a mask is one 3D volume");
            }
            String bad = v.firstNonFinite();
            if (bad != null) {
                throw new DopajException(p + ": the " + what + " mask has non-finite voxels (first: " + bad + ")");
            }
            return v;
        }

        /** Value &gt; 0.5 → foreground, x fastest. */
        static boolean[] foreground(Volume v) {
            int len = v.nx() * v.ny();
            boolean[] m = new boolean[(int) v.grid().voxelCount()];
            float[][] planes = v.planes();
            for (int z = 0; z < v.nz(); z++) {
                float[] p = planes[z];
                for (int i = 0; i < len; i++) {
                    m[z * len + i] = p[i] > MASK_THRESHOLD;
                }
            }
            return m;
        }
    }

    /** {@code classification --csv F --score COL --label COL [--direction higher|lower] [--threshold T] [--json]}. */
    static final class ClassificationKind implements CliCommand {
        @Override
        public String name() {
            return "classification";
        }

        @Override
        public String usage() {
            return "classification --csv FILE --score COL --label COL [--direction higher|lower] [--threshold T] [--json]";
        }

        @Override
        public int run(List<String> argv, PrintStream out, PrintStream err) {
            Args a = Args.parse(argv, Set.of("csv", "score", "label", "direction", "threshold"), Set.of("json"));
            CliSupport.maxPositionals(a, 0, "evaluate " + usage());
            Path csv = Path.of(required(a, "csv", "the table of scores and labels"));
            String scoreCol = required(a, "score", "the column of scores");
            String labelCol = required(a, "label", "the column of 0/1 reference labels");
            Direction dir = Direction.parse(a.option("direction", "higher"));
            CsvTable t = CsvTable.read(csv);
            double[] scores = t.numbers(scoreCol, "score");
            int[] labels = t.labels(labelCol, "label");
            int pos = 0;
            for (int l : labels) {
                pos += l;
            }
            if (pos == 0 || pos == labels.length) {
                throw new DopajException(csv + ": column '" + labelCol + "' has only " + (pos == 0 ? "negative (0)" : "positive (1)")
                        + " labels: AUC and sensitivity/specificity need both classes");
            }
            double auc = Classification.auc(scores, labels, dir);
            Classification.Cutoff youden = Classification.youden(scores, labels, dir);
            boolean given = a.has("threshold");
            double threshold = given ? a.number("threshold", Double.NaN) : youden.threshold();
            if (!Double.isFinite(threshold)) {
                throw new DopajException("option --threshold must be a finite number, got " + a.option("threshold"));
            }
            Confusion c = Classification.confusion(scores, labels, threshold, dir);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("csv", csv.toString());
            m.put("score_column", scoreCol);
            m.put("label_column", labelCol);
            m.put("n", labels.length);
            m.put("positives", pos);
            m.put("negatives", labels.length - pos);
            m.put("direction", dir == Direction.HIGHER_IS_POSITIVE ? "higher" : "lower");
            m.put("auc", CliSupport.num(auc));
            m.put("threshold", threshold);
            m.put("threshold_source", given ? "given" : "youden");
            m.put("youden_j", CliSupport.num(c.youdenJ()));
            m.putAll(c.toMap());
            m.put("youden", youden.toMap());
            m.put("notice", CliSupport.NOTICE);
            report(m, a.flag("json"), out);
            return 0;
        }
    }

    /** {@code regression --csv F --pred COL --ref COL [--json]}. */
    static final class ModelKind implements CliCommand {
        @Override
        public String name() {
            return "model";
        }

        @Override
        public String usage() {
            return "model MODEL_DIR --config TRAIN.yaml [--part validation|train|test|all] [--device auto|cpu|gpu] [--json]";
        }

        @Override
        public int run(List<String> argv, PrintStream out, PrintStream err) {
            Args a = Args.parse(argv, Set.of("config", "part", "device"), Set.of("json"));
            CliSupport.maxPositionals(a, 1, "evaluate " + usage());
            Path dir = Path.of(a.positional(0, "MODEL_DIR (a model package folder)"));
            org.dopaj.dl.train.TrainingPlan plan = org.dopaj.dl.train.TrainingPlan.load(
                    Path.of(required(a, "config", "the training config that describes the data")));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("model", dir.toString());
            m.putAll(org.dopaj.dl.train.ModelEvaluation.evaluate(dir, plan, a.option("part", "validation"),
                    org.dopaj.dl.runtime.ComputeDevice.parse(a.option("device", "auto"))));
            m.put("notice", CliSupport.NOTICE);
            report(m, a.flag("json"), out);
            return 0;
        }
    }

    static final class Regression implements CliCommand {
        @Override
        public String name() {
            return "regression";
        }

        @Override
        public String usage() {
            return "regression --csv FILE --pred COL --ref COL [--json]";
        }

        @Override
        public int run(List<String> argv, PrintStream out, PrintStream err) {
            Args a = Args.parse(argv, Set.of("csv", "pred", "ref"), Set.of("json"));
            CliSupport.maxPositionals(a, 0, "evaluate " + usage());
            Path csv = Path.of(required(a, "csv", "the table of predicted and reference values"));
            String predCol = required(a, "pred", "the column of predicted values");
            String refCol = required(a, "ref", "the column of reference values");
            CsvTable t = CsvTable.read(csv);
            double[] p = t.numbers(predCol, "pred");
            double[] r = t.numbers(refCol, "ref");
            Agreement.Result res;
            try {
                res = Agreement.of(p, r);
            } catch (DopajException e) {
                throw CliSupport.naming(csv, e);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("csv", csv.toString());
            m.put("pred_column", predCol);
            m.put("ref_column", refCol);
            m.putAll(res.toMap());
            m.put("reference_min", res.referenceMin());
            m.put("reference_max", res.referenceMax());
            m.put("notice", CliSupport.NOTICE);
            report(m, a.flag("json"), out);
            return 0;
        }
    }
}
