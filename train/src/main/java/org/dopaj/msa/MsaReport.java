package org.dopaj.msa;


import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import org.dopaj.dl.model.AxisSpec;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelPackageWriter;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.image.Volume;

/**
 * Turns the finished jobs of {@link MsaTraining} into the validation page's tables and the bundled model packages.
 *
 * <p>Run by the training recipe {@code msa} ({@code dopaj train models/<id>/train.yaml}, its package step), or alone:
 * {@code java -cp "$(./dopaj --classpath)" org.dopaj.msa.MsaReport runs/msa models
 * docs/validation/msa-pd-splits.json --shared ../shared/data} — reads every {@code runs/msa/*&#47;result.json}, writes
 * the per-task/modality summary (accuracy mean ± sd over the splits done, own held-out test and family B) as JSON and
 * prints it as markdown; for every task and modality whose split 0 is done it writes {@code models/<id>/} (the
 * SavedModel of split 0, rdf.yaml, test tensors: a family-A MSA-PC phantom, seed 7, severity drawn; the model card
 * with the figures of that network and of the splits).
 */
public final class MsaReport {
    /** Version of the MSA packages this DopaJ writes ({@link MsaCnn#PACKAGE_VERSION}). */
    public static final int PACKAGE_VERSION = MsaCnn.PACKAGE_VERSION;

    private MsaReport() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: MsaReport RUNS_DIR MODELS_DIR SUMMARY.json [--shared DIR] [--data DIR]"
                    + " [--no-package]");
            System.exit(2);
        }
        Path shared = Path.of("../shared/data");
        boolean pack = true;
        Path data = null;
        for (int i = 3; i < args.length; i++) {
            if (args[i].equals("--shared")) {
                shared = Path.of(args[++i]);
            } else if (args[i].equals("--data")) {
                data = Path.of(args[++i]);
            } else if (args[i].equals("--no-package")) {
                pack = false;
            }
        }
        System.out.print(report(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]), shared, data, pack,
                System.out::println));
    }

    /**
     * Reads every {@code runs/JOB/result.json}, writes the per-task/modality summary to {@code summaryFile} and, when
     * {@code pack}, the package {@code models/<id>/} of every task and modality whose split 0 is done. Returns the
     * summary as a markdown table; {@code log} gets one line per package.
     */
    public static String report(Path runs, Path models, Path summaryFile, Path shared, boolean pack,
                                java.util.function.Consumer<String> log) throws Exception {
        return report(runs, models, summaryFile, shared, null, pack, log);
    }

    /**
     * As above; with {@code data} (the recipe's subject cache), networks trained on another family than AAL get
     * applicability bounds calibrated on their own training family ({@link MsaApplicabilityCalibration#forFamily},
     * phantoms cached in {@code data/applicability}).
     */
    public static String report(Path runs, Path models, Path summaryFile, Path shared, Path data, boolean pack,
                                java.util.function.Consumer<String> log) throws Exception {
        Map<String, List<Map<String, Object>>> byModel = new TreeMap<>();
        Gson gson = new Gson();
        try (var s = Files.list(runs)) {
            for (Path d : s.sorted().toList()) {
                Path r = d.resolve("result.json");
                if (Files.isRegularFile(r)) {
                    try (Reader rd = Files.newBufferedReader(r, StandardCharsets.UTF_8)) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = gson.fromJson(rd, Map.class);
                        byModel.computeIfAbsent((String) m.get("model"), k -> new ArrayList<>()).add(m);
                    }
                }
            }
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder();
        md.append("| task (PD vs) | modality | splits | own held-out accuracy | AUC | family B accuracy | family B AUC |"
                + " family B sens. MSA / spec. PD |\n|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<Map<String, Object>>> e : byModel.entrySet()) {
            List<Map<String, Object>> rs = e.getValue();
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("task", rs.get(0).get("task"));
            s.put("modality", rs.get(0).get("modality"));
            s.put("splits", rs.size());
            for (String part : new String[] {"own_test", "family_b"}) {
                for (String k : new String[] {"accuracy", "auc", "sensitivity_msa", "specificity_pd"}) {
                    double[] v = rs.stream().mapToDouble(r -> ((Number) ((Map<?, ?>) r.get(part)).get(k)).doubleValue())
                            .toArray();
                    s.put(part + "_" + k, meanSd(v));
                }
            }
            s.put("training_seconds_per_split", meanSd(rs.stream().mapToDouble(r -> ((Number) r.get("training_seconds"))
                    .doubleValue()).toArray()));
            summary.put(e.getKey(), s);
            md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s / %s |%n", s.get("task"),
                    s.get("modality"), rs.size(), fmt(s.get("own_test_accuracy")), fmt(s.get("own_test_auc")),
                    fmt(s.get("family_b_accuracy")), fmt(s.get("family_b_auc")),
                    fmt(s.get("family_b_sensitivity_msa")), fmt(s.get("family_b_specificity_pd"))));
        }
        Files.writeString(summaryFile, new GsonBuilder().setPrettyPrinting().serializeNulls().create()
                .toJson(jsonReady(summary)) + "\n",
                StandardCharsets.UTF_8);
        if (!pack) {
            return md.toString();
        }
        MsaAnatomy anatomy = null;
        Map<MsaFamily, Map<MsaModality, org.dopaj.dl.model.Applicability>> calibrations = new java.util.EnumMap<>(
                MsaFamily.class);
        for (Map.Entry<String, List<Map<String, Object>>> e : byModel.entrySet()) {
            Map<String, Object> s0 = e.getValue().stream().filter(r -> ((Number) r.get("split")).intValue() == 0)
                    .findFirst().orElse(null);
            if (s0 == null) {
                continue;
            }
            if (anatomy == null) {
                anatomy = MsaAnatomy.aal(shared);
            }
            MsaTask task = MsaTask.parse((String) s0.get("task"));
            MsaModality mod = MsaModality.parse((String) s0.get("modality"));
            Path saved = runs.resolve(e.getKey() + "-s0").resolve("saved_model");
            MsaFamily family = trainingFamily(s0);
            if (!s0.containsKey("epochs")) {
                // jobs written before result.json named its epochs: the training state of the run says
                Path state = runs.resolve(e.getKey() + "-s0").resolve("checkpoints").resolve("last").resolve("state.json");
                if (Files.isRegularFile(state)) {
                    try (Reader rd = Files.newBufferedReader(state, StandardCharsets.UTF_8)) {
                        Object done = gson.fromJson(rd, Map.class).get("epochsDone");
                        if (done instanceof Number nd) {
                            s0.put("epochs", nd.intValue());
                        }
                    }
                }
            }
            Map<String, Object> applicability;
            if (data != null && family != MsaFamily.AAL) {
                // bounds of the family the network learnt from, calibrated once per family and report
                Map<MsaModality, org.dopaj.dl.model.Applicability> cal = calibrations.get(family);
                if (cal == null) {
                    cal = MsaApplicabilityCalibration.forFamily(data.resolve("applicability"), shared, family, log);
                    calibrations.put(family, cal);
                }
                applicability = cal.get(mod).toYaml();
            } else {
                // the AAL family's bounds were set once (2026-12-07) and are kept across re-packaging
                applicability = existingApplicability(models.resolve(e.getKey()));
            }
            ModelPackage p = writePackage(saved, models.resolve(e.getKey()), task, mod, anatomy,
                    card(task, mod, s0, (Map<?, ?>) summary.get(e.getKey()), applicability),
                    MsaCnn.Normalisation.parse(s0.get("input_normalisation")), applicability, family,
                    (Map<?, ?>) summary.get(e.getKey()));
            log.accept("packaged " + p.id() + " (weights sha256 " + p.weightsSha256() + ")");
        }
        return md.toString();
    }

    /** The summary with every {mean, sd} pair as a list, an undefined sd (one split) as null. */
    static Map<String, Object> jsonReady(Map<String, Object> summary) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : summary.entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> f : ((Map<?, ?>) e.getValue()).entrySet()) {
                Object v = f.getValue();
                if (v instanceof double[] d) {
                    List<Double> l = new ArrayList<>();
                    for (double x : d) {
                        l.add(Double.isNaN(x) ? null : x);
                    }
                    v = l;
                }
                m.put((String) f.getKey(), v);
            }
            out.put(e.getKey(), m);
        }
        return out;
    }

    static double[] meanSd(double[] v) {
        double m = 0;
        for (double x : v) {
            m += x;
        }
        m /= v.length;
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        double sd = v.length > 1 ? Math.sqrt(s / (v.length - 1)) : Double.NaN;
        return new double[] {Math.round(m * 1000) / 1000.0, Double.isNaN(sd) ? Double.NaN : Math.round(sd * 1000) / 1000.0};
    }

    static String fmt(Object o) {
        double[] v = (double[]) o;
        return Double.isNaN(v[1]) ? String.format(Locale.ROOT, "%.3f", v[0])
                : String.format(Locale.ROOT, "%.3f ± %.3f", v[0], v[1]);
    }

    static String card(MsaTask task, MsaModality mod, Map<String, Object> s0, Map<?, ?> summary) {
        return card(task, mod, s0, summary, null);
    }

    /** The model card of split 0 of a task and modality; {@code applicability}: the package's block (or null). */
    static String card(MsaTask task, MsaModality mod, Map<String, Object> s0, Map<?, ?> summary,
                       Map<String, Object> applicability) {
        Map<?, ?> own = (Map<?, ?>) s0.get("own_test");
        Map<?, ?> fb = (Map<?, ?>) s0.get("family_b");
        String id = MsaCnn.modelId(task, mod);
        MsaFamily fam = trainingFamily(s0);
        MsaCnn.Normalisation norm = MsaCnn.Normalisation.parse(s0.get("input_normalisation"));
        boolean v2 = "v2".equals(s0.get("augmentation"));
        String normText = norm == MsaCnn.Normalisation.BRAIN_MEAN
                ? "each channel divided by the subject's brain mean"
                : "each channel turned into a robust z within the subject's own tissue reference (4 mm voxels that are"
                + " ≥ 90 % GM + WM in the MNI152 FAST maps: (x − median) / (IQR / 1.349); input normalisation `"
                + norm.id() + "`, inside the SavedModel, so a global gain or offset of a map does not change the"
                + " output)" + (norm == MsaCnn.Normalisation.ROBUST_RECENTRED ? " and, after the voxel-wise z, the"
                + " z-map recentred robustly on the same reference" : "");
        String augText = v2 ? "mirroring, ±4 mm shifts, and per channel a gain 0.7–1.3, an offset of ±5 % of the brain"
                + " mean, random smoothing (3-tap, up to about 2.5 mm sd) and noise up to 2 %"
                : "mirroring, ±4 mm shifts, ±15 % channel gain";
        double target = 0.85;
        double fbAcc = ((double[]) summary.get("family_b_accuracy"))[0];
        String verdict = task == MsaTask.MSA && mod == MsaModality.GD_MD
                ? (fbAcc >= target ? String.format(Locale.ROOT, "The project's target for PD/MSA with GD-MD on a"
                        + " generator not seen (accuracy ≥ 0.85) is met on family B over the splits run (%s), which"
                        + " stands in for an unseen generator; a real cohort can still differ in ways neither family"
                        + " imagines.", fmt(summary.get("family_b_accuracy")))
                        + (fam == MsaFamily.AAL ? "" : " Family B's figures were seen while this"
                        + " training family was chosen (docs/validation/msa-pd.md §0): it is a check that has been"
                        + " looked at, no longer an untouched one.")
                        : String.format(Locale.ROOT, "The project's target for PD/MSA with GD-MD on a generator not"
                        + " seen (accuracy ≥ 0.85) is not met on family B over the splits run (%s).",
                        fmt(summary.get("family_b_accuracy"))))
                : "";
        double fbSens = d(fb.get("sensitivity_msa"));
        double fbSpec = d(fb.get("specificity_pd"));
        if (fbSens > 0.95 && fbSpec < 0.05 || fbSpec > 0.95 && fbSens < 0.05) {
            verdict = (verdict.isEmpty() ? "" : verdict + "\n\n") + String.format(Locale.ROOT, "**Operating point on family"
                    + " B**: at the 0.5 threshold this network (split 0) calls (nearly) every family-B subject %s (its AUC there:"
                    + " %.3f): its threshold does not carry over to that generator. A centre would"
                    + " need its own reference before trusting its calls (docs/validation/msa-pd.md).",
                    fbSens > 0.95 ? task.msaLabel() : "PD", d(fb.get("auc")));
        }
        double ownAcc = ((double[]) summary.get("own_test_accuracy"))[0];
        if (ownAcc < MsaClassifier.WEAK_MODEL_ACCURACY) {
            verdict = (verdict.isEmpty() ? "" : verdict + "\n\n") + String.format(Locale.ROOT, "**Weak model**: on its"
                    + " own training family's held-out phantoms it reaches only %.3f (below %.2f): every result it gives"
                    + " carries a warning saying so; this task's MD or GD-MD model does better.", ownAcc,
                    MsaClassifier.WEAK_MODEL_ACCURACY);
        }
        String appl = "";
        if (applicability != null && applicability.get("calibration") instanceof Map<?, ?> cal) {
            appl = String.format(Locale.ROOT, """

                ## Applicability check (what it flags, what it does not)
                - Refused before the network (`MsaInputs`, one line, nothing written): maps not on an MNI grid (and not
                  normalisable), mismatched GD/MD grids, NaNs, GD outside [0, 1.5], MD outside the physiological range — a
                  map in µm²/ms (or another unit a factor 1000 off) is recognised and the unit named.
                - **Input statistics** (`config.dopaj.applicability`, definition `%s`, `org.dopaj.msa.MsaApplicability`):
                  of the channels this model reads, GD extent, mean and 90th percentile and MD of parenchyma and CSF share
                  of the raw 4 mm input (before the network's normalisation), against the 0.1–99.9 %% quantiles (+5 %%) of
                  %s training-family (%s) phantoms never trained on. Flagged: %.1f %% of %s other phantoms of that family
                  (target ≤ 1 %%), %.1f %% of the held-out ICBM family. Command: `java -cp "$(./dopaj --classpath)" org.dopaj.msa.MsaApplicabilityCalibration ../shared/data %s %s`%s.
                """, MsaApplicability.DEFINITION, cal.get("n"), fam.id(),
                    100 * ((Number) cal.get("validation_flagged_fraction")).doubleValue(), cal.get("validation_n"),
                    100 * ((Number) cal.get("held_out_family_icbm_flagged_fraction")).doubleValue(),
                    fam == MsaFamily.AAL ? "runs/msa-applicability" : "runs/msa-data/applicability",
                    fam.id(), fam == MsaFamily.AAL ? ""
                    : " (the package step of the recipe runs the same calibration)");
        }
        return String.format(Locale.ROOT, """
                # %s — PD vs %s from %s (3D CNN, phantom training)

                **Research use only. Trained on synthetic phantoms only; never checked on a patient's scan.**

                ## What it does
                Classifies a subject as PD or %s from %s on the MNI152 2 mm grid (91×109×91) and returns a
                class-activation map (Grad-CAM of the MSA logit). Inputs are prepared by `org.dopaj.msa.MsaClassifier`
                (GD used as it comes, 0–1.5; MD in mm²/s smoothed 4 mm FWHM, ×1000, clipped to [0, 4]). Network:
                `org.dopaj.msa.MsaCnn`: 2×2×2 average pooling to 4 mm, %s, then a voxel-wise z-map against the training
                subjects (constants of the graph), then a convolutional branch (conv–BN–ReLU blocks of 6/12/24/32
                channels on a 4 mm grid, global average pooling) joined to a region branch (mean z in putamen L/R,
                cerebellum, pons, MCP), 2 logits; %d parameters. After Mattia et al., Movement Disorders 2025 (GD/MD 3D
                CNN, PD vs MSA). Package version %d (`config.dopaj.package_version`).

                ## What it learned from
                %d training and %d validation subjects of DopaJ's phantom %s
                Subject variability: age 50–80 GM loss, smooth fields, normalisation residue, noise, tissue MD values;
                disease: MSA-P putaminal atrophy and MD rise (posterior-lateral, asymmetric), MSA-C cerebellar/pontine/MCP
                atrophy and MD rise, MSA-PC both, PD near normal; severity a continuum from %s. Cohort: PD vs %s,
                balanced. Split 0 (70/10/20 %%) of `dopaj train models/%s/train.yaml` (recipe `msa`), %d epochs, Adam,
                cosine schedule, augmentation %s: %s. Family B was never trained on.

                ## Measured
                Command: `JAVA_OPTS=-Xmx4g nice -n 10 dopaj train models/%s/train.yaml` (writes `runs/msa/%s-s0/result.json`,
                then this card); all splits: docs/validation/msa-pd.md.

                | data | n | accuracy | AUC | sensitivity MSA | specificity PD |
                |---|---|---|---|---|---|
                | training family, held-out test (split 0) | %s | %.3f | %.3f | %.3f | %.3f |
                | family B (other generator, never trained on) | %s | %.3f | %.3f | %.3f | %.3f |

                Over the %s splits run: own held-out accuracy %s, family B accuracy %s, family B AUC %s (mean ± sd).
                %s
                ## What it has not been checked on
                Real patients' GD or MD maps (none redistributable are in reach); maps made by SPM/FSL/DopaJ from real
                scans of PD or MSA patients; other scanners, b-values, segmentations or smoothing kernels than the
                phantoms imitate; generators other than the two phantom families. Its probabilities are not calibrated
                for any real population. Do not use it on patients.

                ## Licence
                MIT (DopaJ). Templates and atlases it was trained from: see above and ../shared/data/README.md.
                %s""", id, task.msaLabel(), mod == MsaModality.GD_MD ? "GD and MD maps" : mod.id().toUpperCase(Locale.ROOT)
                        + " maps", task.msaLabel(), mod == MsaModality.GD_MD ? "grey-matter density (GD) and mean"
                        + " diffusivity (MD) maps" : mod == MsaModality.GD ? "a grey-matter density (GD) map"
                        : "a mean diffusivity (MD) map", normText, ((Number) s0.get("parameters")).longValue(),
                PACKAGE_VERSION,
                ((Number) s0.get("train")).intValue(), ((Number) s0.get("validation")).intValue(),
                familyText(fam), fam == MsaFamily.AAL ? "0.08"
                        : "0.03–0.10 (drawn per subject)", task.msaLabel(), id,
                s0.get("epochs") instanceof Number ep ? ep.intValue() : 12, v2 ? "v2" : "v1", augText, id, id,
                num(own.get("n")), d(own.get("accuracy")), d(own.get("auc")), d(own.get("sensitivity_msa")),
                d(own.get("specificity_pd")), num(fb.get("n")), d(fb.get("accuracy")), d(fb.get("auc")),
                d(fb.get("sensitivity_msa")), d(fb.get("specificity_pd")), summary.get("splits"),
                fmt(summary.get("own_test_accuracy")), fmt(summary.get("family_b_accuracy")),
                fmt(summary.get("family_b_auc")), verdict.isEmpty() ? "" : "\n" + verdict + "\n", appl);
    }

    /** The training family a job's result names ({@code aal} for results written before the field existed). */
    static MsaFamily trainingFamily(Map<?, ?> result) {
        Object f = result.get("training_family");
        return f == null ? MsaFamily.AAL : MsaFamily.parse(f.toString());
    }

    /** The card's sentence on what the phantoms were made from, per training family. */
    static String familyText(MsaFamily f) {
        String a = "tissue fractions from FSL's MNI152 2 mm FAST maps, regions from the AAL atlas (putamen, cerebellum)"
                + " and MNI ellipsoids (pons, middle cerebellar peduncles)";
        String src = ", read from `../shared/data` (MNI/McGill notice; AAL: Tzourio-Mazoyer et al. 2002, GPL/BSD-3 via"
                + " Debian mricron-data).";
        return switch (f) {
            case AAL -> "**family A** (`org.dopaj.msa.MsaPhantom`, `MsaFamily.AAL`, seeds 14·10⁶ + i): " + a + src;
            case AAL_WIDE -> "training family **aal-wide** (`MsaFamily.AAL_WIDE`, seeds 14·10⁶ + i): family A's"
                    + " anatomy (" + a + "), every tissue, protocol and disease number drawn per subject from wide"
                    + " ranges (`MsaPhantom.Params.WIDE_LO` … `WIDE_HI`)" + src;
            case MIXED_WIDE -> "training family **mixed-wide** (`MsaFamily.MIXED_WIDE`, seeds 14·10⁶ + i): half of"
                    + " the subjects on family A's anatomy (" + a + "), half on Colin 27's (Debian mricron-data"
                    + " `ch2bet`, segmented by DopaJ's own three-class mixture; putamen from AICHA, cerebellum from"
                    + " AAL, pons and MCP from the JHU white-matter labels), every tissue, protocol and disease number"
                    + " drawn per subject from wide ranges (`MsaPhantom.Params.WIDE_LO` … `WIDE_HI`)" + src;
            case ICBM -> throw new IllegalArgumentException("family icbm is never a training family");
        };
    }

    /** The {@code config.dopaj.applicability} block of an existing package folder (kept across a re-package), or null. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> existingApplicability(Path dir) {
        Path rdf = dir.resolve("rdf.yaml");
        if (!Files.isRegularFile(rdf)) {
            return null;
        }
        try (Reader r = Files.newBufferedReader(rdf, StandardCharsets.UTF_8)) {
            Object y = new org.yaml.snakeyaml.Yaml().load(r);
            if (y instanceof Map<?, ?> m && m.get("config") instanceof Map<?, ?> c && c.get("dopaj") instanceof Map<?, ?> d
                    && d.get("applicability") instanceof Map<?, ?> a) {
                return (Map<String, Object>) a;
            }
        } catch (java.io.IOException e) {
            return null;
        }
        return null;
    }

    private static String num(Object o) {
        return String.valueOf(((Number) o).intValue());
    }

    private static double d(Object o) {
        return ((Number) o).doubleValue();
    }

    /** Writes {@code models/<id>}. */
    static ModelPackage writePackage(Path saved, Path dir, MsaTask task, MsaModality mod, MsaAnatomy anatomy,
                                     String card) {
        return writePackage(saved, dir, task, mod, anatomy, card, MsaCnn.Normalisation.BRAIN_MEAN, null, MsaFamily.AAL,
                null);
    }

    /**
     * Writes {@code models/<id>} with its input normalisation ({@code config.dopaj.input_normalisation}, absent for
     * {@link MsaCnn.Normalisation#BRAIN_MEAN}) and {@code package_version}; {@code applicability}: the bounds block to
     * keep (null: none).
     */
    static ModelPackage writePackage(Path saved, Path dir, MsaTask task, MsaModality mod, MsaAnatomy anatomy,
                                     String card, MsaCnn.Normalisation norm, Map<String, Object> applicability,
                                     MsaFamily family, Map<?, ?> summary) {
        MsaPhantom.Subject s = MsaPhantom.generate(anatomy, MsaPhantom.Params.FAMILY_A, 7, MsaSubtype.MSA_PC);
        List<Volume> ch = new ArrayList<>();
        List<String> names = mod.channels();
        if (mod.usesGd()) {
            ch.add(MsaCnn.prepareGd(s.gd()));
        }
        if (mod.usesMd()) {
            ch.add(MsaCnn.prepareMd(s.md()));
        }
        Tensor test = MsaClassifier.toTensor(ch);
        String id = MsaCnn.modelId(task, mod);
        TensorSpec in = TensorSpec.of("input", "maps on the MNI152 2 mm grid, channels " + names + ": GD as is (0-1.5),"
                + " MD in mm2/s smoothed 4 mm FWHM x1000 clipped to [0,4] (org.dopaj.msa.MsaClassifier)",
                AxisSpec.batch(), AxisSpec.space("x", MsaCnn.NX), AxisSpec.space("y", MsaCnn.NY),
                AxisSpec.space("z", MsaCnn.NZ), AxisSpec.channel(names.toArray(new String[0])));
        TensorSpec probs = TensorSpec.of("probabilities", "softmax over (PD, " + task.msaLabel() + ")",
                AxisSpec.batch(), AxisSpec.index("class", 2));
        TensorSpec cam = TensorSpec.of("cam", "Grad-CAM of the MSA logit, 0..1 per image, on the input grid",
                AxisSpec.batch(), AxisSpec.space("x", MsaCnn.NX), AxisSpec.space("y", MsaCnn.NY),
                AxisSpec.space("z", MsaCnn.NZ), AxisSpec.channel("cam"));
        Map<String, Object> cfg = new LinkedHashMap<>();
        if (applicability != null) {
            cfg.put("applicability", applicability);
        }
        cfg.put("task", "classification");
        cfg.put("package_version", norm == MsaCnn.Normalisation.BRAIN_MEAN ? 1 : PACKAGE_VERSION);
        if (norm != MsaCnn.Normalisation.BRAIN_MEAN) {
            cfg.put("input_normalisation", norm.id());
        }
        cfg.put("msa_task", task.id());
        cfg.put("modalities", names);
        cfg.put("labels", List.of("PD", task.msaLabel()));
        // explicit puts: Map.of has no stable iteration order, and the rdf must come out the same on every run
        Map<String, Object> outs = new LinkedHashMap<>();
        outs.put("prediction", "probabilities");
        outs.put("cam", "cam");
        cfg.put("outputs", outs);
        cfg.put("voxel_size_mm", List.of(2.0, 2.0, 2.0));
        cfg.put("grid", "MNI152 2 mm, 91x109x91, LAS, affine [[-2,0,0,90],[0,2,0,-126],[0,0,2,-72]]");
        cfg.put("training_data", switch (family) {
            case AAL_WIDE -> "phantoms: synthetic GD/MD maps of DopaJ's training family aal-wide (org.dopaj.msa.MsaPhantom,"
                    + " MNI152 FAST tissue maps + AAL regions, numbers drawn per subject); never real patients";
            case MIXED_WIDE -> "phantoms: synthetic GD/MD maps of DopaJ's training family mixed-wide"
                    + " (org.dopaj.msa.MsaPhantom, MNI152 FAST + AAL and Colin 27 + AICHA/AAL/JHU anatomies, numbers drawn"
                    + " per subject); never real patients";
            default -> "phantoms: synthetic GD/MD maps of DopaJ's family A (org.dopaj.msa.MsaPhantom,"
                    + " MNI152 FAST tissue maps + AAL regions); never real patients";
        });
        cfg.put("training_family", family.id());
        if (summary != null && summary.get("own_test_accuracy") instanceof double[] acc) {
            // what the classifier tells a user of a weak model (MsaClassifier.WEAK_MODEL_ACCURACY)
            cfg.put("own_test_accuracy", Math.round(acc[0] * 1000) / 1000.0);
            cfg.put("own_test_splits", ((Number) summary.get("splits")).intValue());
        }
        return new ModelPackageWriter(dir).id(id)
                .name("PD vs " + task.msaLabel() + " from " + names + " maps, 3D CNN (phantom training)")
                .description("Small 3D CNN classifying PD vs " + task.msaLabel() + " from " + names + " maps on the MNI"
                        + " 2 mm grid with a class-activation map; trained on DopaJ's synthetic phantoms after Mattia et"
                        + " al. 2025. Research use only.")
                .author("DopaJ").license("MIT").tags(List.of("msa", "parkinson", "vbm", "dti", "classification",
                        "grad-cam", "synthetic-training"))
                .modelCard(card).savedModel(saved).input(in, test).output(probs, null).output(cam, null)
                .config(cfg).overwrite(true).write();
    }

}
