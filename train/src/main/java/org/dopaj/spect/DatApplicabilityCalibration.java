package org.dopaj.spect;

import static org.dopaj.spect.DatApplicability.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.dl.model.Applicability;
import org.dopaj.image.Volume;

/**
 * Calibration of {@link DatApplicability}'s bounds from the cached held-out and validation subjects of every phantom
 * family, and the refusal rule's margin (training module: it draws phantoms through the training's caches).
 */
public final class DatApplicabilityCalibration {
    private DatApplicabilityCalibration() {
    }


    /** The check's bounds from held-out subjects, and the measured share of flagged validation subjects. */
    public static Applicability calibrate(List<DatData.Item> heldOut, List<DatData.Item> validation) {
        List<Map<String, Double>> samples = new ArrayList<>();
        for (DatData.Item it : heldOut) {
            if (!it.failed()) {
                samples.add(statistics(it.original()));
                samples.add(statistics(it.smoothed()));
            }
        }
        Map<String, double[]> bounds = Applicability.calibrate(samples, 0.001, 0.05);
        Applicability a = new Applicability(DEFINITION, bounds, null, Map.of());
        int flagged = 0;
        int total = 0;
        for (DatData.Item it : validation) {
            if (!it.failed()) {
                for (float[] x : new float[][] {it.original(), it.smoothed()}) {
                    total++;
                    flagged += a.checkInput(DEFINITION, statistics(x)).isEmpty() ? 0 : 1;
                }
            }
        }
        Map<String, Object> cal = new LinkedHashMap<>();
        cal.put("source", "held-out phantoms of the four DatFamily families, original and 18 mm-smoothed");
        cal.put("n", samples.size());
        cal.put("quantiles", List.of(0.001, 0.999));
        cal.put("margin", 0.05);
        cal.put("validation_n", total);
        cal.put("validation_flagged_fraction", total == 0 ? 0 : (double) flagged / total);
        return new Applicability(DEFINITION, bounds, null, cal);
    }


    /**
     * The bounds from the cached held-out ({@link DatLofo#TEST_SEED}) and validation subjects of every family in
     * {@code data} (drawn there when missing; {@code shared} = ../shared/data).
     */
    public static Applicability fromCaches(Path data, Path shared) throws java.io.IOException {
        DatCnnTraining.Options o = DatCnnTraining.Options.parse(new String[] {"--data", data.toString(), "--shared",
            shared.toString()}, 0);
        List<DatData.Item> held = new ArrayList<>();
        List<DatData.Item> val = new ArrayList<>();
        for (DatFamily f : DatFamily.values()) {
            held.addAll(DatCnnTraining.subjects(o, f, "test", DatLofo.TEST_SEED, 200, s -> { }));
            val.addAll(DatCnnTraining.subjects(o, f, "val", o.seed() * 1_000_000L + 500_000L, o.nVal(), s -> { }));
        }
        return calibrate(held, val);
    }


    /**
     * {@code DatApplicability DATA SHARED}: the bounds from the caches (printed as YAML-ready JSON) and what they say
     * of a few inputs from elsewhere. {@code DatApplicability --refusal MODEL_DIR DATA SHARED [BRAIN_MASK.nii.gz]}: how
     * many statistics of every cached subject (training, validation and held-out subjects of every family, original
     * and smoothed; the training subjects were never used for the bounds) lie outside the package's bounds — the
     * margin of the refusal rule — and the same count for inputs that are not DaT-SPECT.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("--refusal")) {
            refusalMargin(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), args.length > 4 ? Path.of(args[4]) : null);
            return;
        }
        Applicability a = fromCaches(Path.of(args[0]), Path.of(args[1]));
        System.out.println(new com.google.gson.GsonBuilder().setPrettyPrinting().create().toJson(a.toYaml()));
        // inputs from elsewhere: the fixed-anatomy phantom generator and images that are not DaT-SPECT
        SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).fwhmMm(12).seed(7)
                .build());
        System.out.println("SpectPhantom stage 2: " + a.outside(DEFINITION, statistics(DatCnn.pooled(
                DatCnn.normalise(ph.image())))));
        System.out.println("uniform brain: " + a.outside(DEFINITION, statistics(DatCnn.pooled(
                DatCnn.normalise(uniformBrain())))));
        System.out.printf(Locale.ROOT, "validation flagged %.4f%n", a.calibration().get("validation_flagged_fraction"));
    }


    /** A uniform brain (perfusion-like, no striatal binding): 1 inside the template's brain, 0.1 outside. */
    static Volume uniformBrain() {
        Volume flat = DatTemplate.load().copy();
        for (float[] pl : flat.planes()) {
            for (int i = 0; i < pl.length; i++) {
                pl[i] = pl[i] > 0.5f ? 1 : 0.1f;
            }
        }
        return flat;
    }

    private static void refusalMargin(Path model, Path data, Path shared, Path brainMask) throws java.io.IOException {
        Applicability a = org.dopaj.dl.model.ModelPackage.read(model).applicability();
        int k = a.inputBounds().size();
        DatCnnTraining.Options o = DatCnnTraining.Options.parse(new String[] {"--data", data.toString(), "--shared",
            shared.toString(), "--physics", "150,30,100"}, 0);
        double lowest = Double.POSITIVE_INFINITY;
        String where = "";
        int maps = 0;
        int refused = 0;
        int[] total = new int[k + 1];
        for (DatFamily f : DatFamily.values()) {
            int[] h = new int[k + 1];
            for (String[] part : new String[][] {{"train", "0", "450"}, {"val", "500000", "40"}, {"test", "", "200"}}) {
                long seed = part[1].isEmpty() ? DatLofo.TEST_SEED : o.seed() * 1_000_000L + Long.parseLong(part[1]);
                for (DatData.Item it : DatCnnTraining.subjects(o, f, part[0], seed, Integer.parseInt(part[2]), s -> { })) {
                    if (it.failed()) {
                        continue;
                    }
                    for (float[] x : new float[][] {it.original(), it.smoothed()}) {
                        Map<String, Double> st = statistics(x);
                        h[a.outside(DEFINITION, st).size()]++;
                        double m = bindingMargin(a, st);
                        maps++;
                        refused += m < REFUSE_BELOW ? 1 : 0;
                        if (m < lowest) {
                            lowest = m;
                            where = f.id() + " " + part[0] + " seed " + it.seed() + " (label " + it.label() + ", "
                                    + (x == it.original() ? "original" : "smoothed") + ")";
                        }
                    }
                }
            }
            System.out.println(f.id() + ": maps by number of statistics outside the bounds (0.." + k + "): "
                    + java.util.Arrays.toString(h));
            for (int i = 0; i <= k; i++) {
                total[i] += h[i];
            }
        }
        System.out.printf(Locale.ROOT, "all families: %d maps, by statistics outside %s; refused %d; lowest binding"
                + " margin %.3f (%s)%n", maps, java.util.Arrays.toString(total), refused, lowest, where);
        Map<String, Volume> others = new LinkedHashMap<>();
        others.put("uniform brain (perfusion-like)", uniformBrain());
        if (brainMask != null) {
            others.put(brainMask.getFileName().toString(), DatNormaliser.normalise(org.dopaj.io.ImageFiles.read(
                    brainMask), false, null).mni());
        }
        SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).fwhmMm(12).seed(7)
                .build());
        others.put("SpectPhantom stage 2", ph.image());
        for (Map.Entry<String, Volume> e : others.entrySet()) {
            Map<String, Double> st = statistics(DatCnn.pooled(DatCnn.normalise(e.getValue())));
            List<String> out = a.outside(DEFINITION, st);
            double m = bindingMargin(a, st);
            System.out.printf(Locale.ROOT, "%s: binding margin %.3f%s; %d of %d statistics outside %s%n", e.getKey(), m,
                    m < REFUSE_BELOW ? " (refused)" : "", out.size(), k, out);
        }
    }
}
