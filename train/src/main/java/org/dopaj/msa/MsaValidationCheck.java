package org.dopaj.msa;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Family-A validation figures of a finished PD/MSA job folder, for choosing a method on the training family only: the
 * job's own validation subjects (split s: the 10 % after the 20 % test part, as {@link MsaTraining} cuts them), plain
 * and each with a generator-like change ({@link MsaTraining#augment}, seed 77) — the same computation as the
 * {@code own_validation} and {@code own_validation_perturbed} entries newer jobs write into {@code result.json}, for
 * jobs trained before those entries existed.
 *
 * <p>Command: {@code java -cp "$(./dopaj --classpath)" org.dopaj.msa.MsaValidationCheck
 * runs/msa/msa-pd-gd-md-s0 [--data runs/msa-data] [--shared ../shared/data]} (the normalisation is read from
 * {@code result.json}; none = brain-mean-v1).
 */
public final class MsaValidationCheck {
    private MsaValidationCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path data = Path.of("runs/msa-data");
        Path shared = Path.of("../shared/data");
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--data")) {
                data = Path.of(args[++i]);
            } else if (args[i].equals("--shared")) {
                shared = Path.of(args[++i]);
            }
        }
        Map<?, ?> res = new com.google.gson.Gson().fromJson(Files.readString(dir.resolve("result.json"),
                StandardCharsets.UTF_8), Map.class);
        MsaCnn.Normalisation norm = MsaCnn.Normalisation.parse(res.get("input_normalisation"));
        MsaTask task = MsaTask.parse((String) res.get("task"));
        MsaModality mod = MsaModality.parse((String) res.get("modality"));
        int split = ((Number) res.get("split")).intValue();
        MsaAnatomy a = MsaFamily.AAL.anatomy(shared);
        List<MsaData.Item> pool = MsaData.load(data, MsaFamily.AAL, a, "pool", MsaTraining.POOL_SEED, 480, s -> {
        });
        List<MsaData.Item> c = MsaTraining.cohort(task, pool);
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < c.size(); i++) {
            idx.add(i);
        }
        Collections.shuffle(idx, new Random(1000 + split));
        int nTest = Math.round(0.2f * c.size());
        int nVal = Math.round(0.1f * c.size());
        List<MsaData.Item> val = new ArrayList<>();
        for (int k = nTest; k < nTest + nVal; k++) {
            val.add(c.get(idx.get(k)));
        }
        MsaCnn.Regions regions = MsaCnn.Regions.of(a);
        int ch = mod.channelCount();
        float[][] stats = MsaTraining.readStats(dir.resolve("standardisation.bin"));
        String id = MsaCnn.modelId(task, mod);
        Path ckpt = dir.resolve("checkpoints").resolve("best");
        List<float[]> xs = new ArrayList<>();
        List<float[]> pert = new ArrayList<>();
        Random prng = new Random(77);
        for (MsaData.Item it : val) {
            xs.add(it.input(mod));
            float[] x = it.input(mod).clone();
            MsaTraining.augment(x, ch, prng, regions.brain());
            pert.add(x);
        }
        Map<String, Object> v = MsaTraining.scores(task, val, MsaTraining.predictInputs(ckpt, id, ch, stats, regions,
                norm, xs, 1));
        Map<String, Object> vp = MsaTraining.scores(task, val, MsaTraining.predictInputs(ckpt, id, ch, stats, regions,
                norm, pert, 1));
        v.remove("subjects");
        vp.remove("subjects");
        System.out.println(dir.getFileName() + " (" + norm.id() + ") own_validation " + v);
        System.out.println(dir.getFileName() + " (" + norm.id() + ") own_validation_perturbed " + vp);
    }
}
