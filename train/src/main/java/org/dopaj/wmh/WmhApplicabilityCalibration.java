package org.dopaj.wmh;

import static org.dopaj.wmh.WmhApplicability.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.dopaj.dl.model.Applicability;
import org.dopaj.dl.train.Sample;
import org.dopaj.image.Volume;

/**
 * Calibration of {@link WmhApplicability}'s bounds from synthetic lesions in the training heads (training module).
 */
public final class WmhApplicabilityCalibration {
    private WmhApplicabilityCalibration() {
    }


    /** Bounds from synthetic images of the training heads, and the measured share of other such images flagged. */
    public static Applicability calibrate(LesionSynthesis synth) {
        WmhAtlas atlas = WmhAtlas.load();
        String definition = synth.normalisation().applicabilityDefinition();
        List<Map<String, Double>> samples = new ArrayList<>();
        for (int i = 0; i < CALIBRATION_N; i++) {
            Sample s = synth.sample(new Random(4_000_000L + i));
            samples.add(statistics(s.input(), atlas, synth.normalisation()));
        }
        // the training heads themselves, as the pipeline hands them to the network (no augmentation: cleaner than
        // every augmented sample — Colin 27 and ICBM 2009a are averages of many scans — yet what it was built from)
        int heads = 0;
        for (LesionSynthesis.Head h : synth.heads()) {
            for (double load : new double[] {0, 5, 20}) {
                WmhEvaluation.Lesioned les = WmhEvaluation.lesioned(h, synth, load, 4_200_000L + heads);
                samples.add(statistics(WmhSegmenter.normalise(WmhSegmenter.boxT1(les.t1(), h.fixedToMoving()), atlas,
                        synth.normalisation()), atlas, synth.normalisation()));
                heads++;
            }
        }
        Map<String, double[]> bounds = Applicability.calibrate(samples, 0.001, 0.05);
        Applicability a = new Applicability(definition, bounds, null, Map.of());
        int flagged = 0;
        for (int i = 0; i < CHECK_N; i++) {
            Sample s = synth.sample(new Random(4_100_000L + i));
            flagged += a.checkInput(definition, statistics(s.input(), atlas, synth.normalisation())).isEmpty() ? 0 : 1;
        }
        Map<String, Object> cal = new LinkedHashMap<>();
        cal.put("source", "synthetic lesions in the training heads (" + String.join(", ", synth.heads().stream()
                .map(LesionSynthesis.Head::name).toList()) + "), training augmentations, seeds 4000000+; and the same "
                + "heads through the pipeline without augmentation, 0/5/20 mL");
        cal.put("n", samples.size());
        cal.put("quantiles", List.of(0.001, 0.999));
        cal.put("margin", 0.05);
        cal.put("validation_n", CHECK_N);
        cal.put("validation_flagged_fraction", (double) flagged / CHECK_N);
        return new Applicability(definition, bounds, null, cal);
    }


    /** Prints the bounds as the YAML block of {@code config.dopaj.applicability}. */
    public static void main(String[] args) {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/data");
        Applicability a = calibrate(TrainWmh.synthesis(shared, WmhModel.Normalisation.parse(
                args.length > 1 ? args[1] : WmhModel.Normalisation.TISSUE.id()), List.of(LesionSynthesis.HELD_OUT),
                LesionSynthesis.Placement.parse(args.length > 2 ? args[2] : LesionSynthesis.Placement.RAW_V1.id())));
        System.out.println(new org.yaml.snakeyaml.Yaml().dump(Map.of("applicability", a.toYaml())));
        System.out.printf(Locale.ROOT, "validation flagged %.4f%n", a.calibration().get("validation_flagged_fraction"));
    }
}
