package org.dopaj.msa;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.GsonBuilder;

/**
 * The held-out generator with a <b>site reference</b>: what a centre with its own reference subjects would do. The
 * networks standardise every input against their training population (family A); family B's maps differ from A's
 * everywhere (other templates, atlases, tissue values), which shifts the networks' operating point (see
 * docs/validation/msa-pd.md). Here the first half of family B's PD subjects (60, PD being near-normal by construction)
 * serve as B's reference: each B input, levelled as in the graph, is mapped voxel-wise from B's reference distribution
 * onto A's training distribution, (x − μ_ref)/σ_ref·σ_A + μ_A (σ floored as in {@link MsaCnn#standardisation}), and
 * scored on the other B subjects (the other 60 PD and every MSA subject of the task's cohort). It uses B's labels only
 * to pick the reference subjects (PD); nothing is trained on B.
 *
 * <p>Command: {@code java -cp "$(./dopaj --classpath)" org.dopaj.msa.MsaSiteCheck runs/msa
 * runs/msa-data docs/validation/msa-pd-site.json --shared ../shared/data}: every finished job's best checkpoint.
 */
public final class MsaSiteCheck {
    private MsaSiteCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path runs = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Path outFile = Path.of(args[2]);
        Path shared = Path.of(args.length > 4 ? args[4] : "../shared/data");
        MsaAnatomy a = MsaAnatomy.aal(shared);
        MsaCnn.Regions regions = MsaCnn.Regions.of(a);
        List<MsaData.Item> held = MsaData.load(data, MsaFamily.ICBM, MsaAnatomy.icbm(shared), "heldout",
                MsaTraining.HELDOUT_SEED, 240, s -> {
                });
        Map<String, Object> out = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder("| job | n scored | accuracy | AUC | sens. MSA | spec. PD |\n"
                + "|---|---|---|---|---|---|\n");
        try (var s = Files.list(runs)) {
            for (Path dir : s.sorted().toList()) {
                if (!Files.isRegularFile(dir.resolve("result.json"))) {
                    continue;
                }
                String name = dir.getFileName().toString();
                String res = Files.readString(dir.resolve("result.json"), StandardCharsets.UTF_8);
                if (res.contains("\"input_normalisation\"") && !res.contains("\"" + MsaCnn.Normalisation.BRAIN_MEAN.id()
                        + "\"")) {
                    // the harmonisation maps brain-mean-levelled inputs: only for networks of that normalisation
                    System.err.println(name + ": skipped (input normalisation other than "
                            + MsaCnn.Normalisation.BRAIN_MEAN.id() + ")");
                    continue;
                }
                int cut = name.lastIndexOf("-s");
                String id = name.substring(0, cut);
                MsaTask task = id.startsWith("msa-p-") ? MsaTask.MSA_P : id.startsWith("msa-c-") ? MsaTask.MSA_C
                        : MsaTask.MSA;
                MsaModality mod = id.endsWith("gd-md") ? MsaModality.GD_MD : id.endsWith("-gd") ? MsaModality.GD
                        : MsaModality.MD;
                int ch = mod.channelCount();
                float[][] stats = MsaTraining.readStats(dir.resolve("standardisation.bin"));
                List<MsaData.Item> cohort = MsaTraining.cohort(task, held);
                List<MsaData.Item> pd = new ArrayList<>();
                for (MsaData.Item it : cohort) {
                    if (it.subtype() == MsaSubtype.PD) {
                        pd.add(it);
                    }
                }
                List<MsaData.Item> ref = pd.subList(0, pd.size() / 2);
                List<float[]> refX = new ArrayList<>();
                for (MsaData.Item it : ref) {
                    refX.add(regions.levelled(it.input(mod), ch));
                }
                float[][] rs = MsaCnn.standardisation(refX);
                List<MsaData.Item> scored = new ArrayList<>();
                List<float[]> xs = new ArrayList<>();
                for (MsaData.Item it : cohort) {
                    if (ref.contains(it)) {
                        continue;
                    }
                    float[] x = regions.levelled(it.input(mod), ch);
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (x[i] - rs[0][i]) / rs[1][i] * stats[1][i] + stats[0][i];
                    }
                    scored.add(it);
                    xs.add(x);
                }
                double[] p = MsaTraining.predictInputs(dir.resolve("checkpoints").resolve("best"), id, ch, stats,
                        regions, xs, 1);
                Map<String, Object> sc = MsaTraining.scores(task, scored, p);
                sc.remove("subjects");
                out.put(name, sc);
                md.append(String.format(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f |%n", name, scored.size(),
                        sc.get("accuracy"), sc.get("auc"), sc.get("sensitivity_msa"), sc.get("specificity_pd")));
            }
        }
        Files.writeString(outFile, new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                .toJson(out) + "\n", StandardCharsets.UTF_8);
        System.out.print(md);
    }
}
