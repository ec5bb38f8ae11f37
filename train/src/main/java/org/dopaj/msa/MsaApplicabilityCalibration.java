package org.dopaj.msa;

import static org.dopaj.msa.MsaApplicability.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.dl.model.Applicability;

/**
 * Calibration of {@link MsaApplicability}'s bounds from training-family phantoms (training module: it draws
 * phantoms). {@code main} prints the YAML block of {@code config.dopaj.applicability} for every modality.
 */
public final class MsaApplicabilityCalibration {
    private MsaApplicabilityCalibration() {
    }


    /**
     * Bounds for every modality from {@code family}'s phantoms (seeds 8,000,000 + i; checked on seeds 8,500,000 + i of
     * the same family and, for information, of the held-out ICBM family), drawn into or read from {@code data}.
     */
    public static Map<MsaModality, Applicability> forFamily(Path data, Path shared, MsaFamily family,
                                                            java.util.function.Consumer<String> log) throws Exception {
        MsaAnatomy[] an = family.anatomies(shared);
        List<MsaData.Item> cal = MsaData.load(data, family, an, "applicability", 8_000_000L, CALIBRATION_N, log);
        List<MsaData.Item> chk = MsaData.load(data, family, an, "applicability-check", 8_500_000L, CHECK_N, log);
        List<MsaData.Item> other = MsaData.load(data, MsaFamily.ICBM, MsaFamily.ICBM.anatomy(shared),
                "applicability-check", 8_500_000L, CHECK_N, log);
        return calibrate(cal, chk, other, family);
    }

    /** Bounds for every modality from {@code calibration}, and the flagged shares of {@code check} and {@code other}. */
    public static Map<MsaModality, Applicability> calibrate(List<MsaData.Item> calibration, List<MsaData.Item> check,
            List<MsaData.Item> other, MsaFamily family) {
        List<Map<String, Double>> s = new ArrayList<>();
        for (MsaData.Item it : calibration) {
            s.add(statistics(it.gd(), it.md()));
        }
        Map<String, double[]> all = Applicability.calibrate(s, 0.001, 0.05);
        Map<MsaModality, Applicability> out = new LinkedHashMap<>();
        for (MsaModality mod : MsaModality.values()) {
            Applicability bare = new Applicability(DEFINITION, forModality(all, mod), null, Map.of());
            Map<String, Object> cal = new LinkedHashMap<>();
            cal.put("source", family.id() + " phantoms (the training family), seeds 8000000+, none trained on");
            cal.put("n", calibration.size());
            cal.put("quantiles", List.of(0.001, 0.999));
            cal.put("margin", 0.05);
            cal.put("validation_n", check.size());
            cal.put("validation_flagged_fraction", flagged(bare, mod, check));
            cal.put("held_out_family_icbm_flagged_fraction", flagged(bare, mod, other));
            out.put(mod, new Applicability(DEFINITION, bare.inputBounds(), null, cal));
        }
        return out;
    }

    private static double flagged(Applicability a, MsaModality mod, List<MsaData.Item> items) {
        int f = 0;
        for (MsaData.Item it : items) {
            f += check(a, mod.usesGd() ? it.gd() : null, mod.usesMd() ? it.md() : null).isEmpty() ? 0 : 1;
        }
        return items.isEmpty() ? 0 : (double) f / items.size();
    }


    /**
     * Prints the YAML block of {@code config.dopaj.applicability} for every modality. Arguments: shared data folder,
     * cache folder, training family (default aal). The package step of the recipe {@code msa} runs the same
     * calibration for the family its networks were trained on and writes the block into the packages.
     */
    public static void main(String[] args) throws Exception {
        Path shared = Path.of(args.length > 0 ? args[0] : "../shared/data");
        Path data = Path.of(args.length > 1 ? args[1] : "runs/msa-applicability");
        MsaFamily family = MsaFamily.parse(args.length > 2 ? args[2] : "aal");
        for (Map.Entry<MsaModality, Applicability> e : forFamily(data, shared, family, System.out::println).entrySet()) {
            System.out.println("# " + e.getKey().id());
            System.out.println(new org.yaml.snakeyaml.Yaml().dump(Map.of("applicability", e.getValue().toYaml())));
            System.out.printf(Locale.ROOT, "validation flagged %.4f, ICBM family flagged %.4f%n",
                    e.getValue().calibration().get("validation_flagged_fraction"),
                    e.getValue().calibration().get("held_out_family_icbm_flagged_fraction"));
        }
    }
}
