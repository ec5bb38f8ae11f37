package org.dopaj.msa;

import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * The paper's z-score check on our held-out generator: are the MSA subjects the network misses those with fewer and
 * milder alterations? For each bundled PD/MSA network (split 0), family-B subjects are scored by the network
 * (the per-subject probabilities of {@code result.json}); a normal database is built from the first half of family B's
 * PD subjects (their 4 mm maps, as {@link MsaZScores} does at 2 mm: GD as is, MD smoothed and levelled alike), and every
 * MSA subject's z-maps give the number and extent (mL) of abnormal clusters (GD z ≤ −3, MD z ≥ 3, ≥ 10 voxels of 4 mm,
 * i.e. 640 mm³ — the 2 mm rule's 10 voxels would be sub-voxel here). Rows: correctly classified vs missed MSA subjects.
 *
 * <p>Command: {@code java -cp "$(./dopaj --classpath)" org.dopaj.msa.MsaZAnalysis runs/msa
 * runs/msa-data docs/validation/msa-pd-zscores.json --shared ../shared/data}.
 */
public final class MsaZAnalysis {
    private MsaZAnalysis() {
    }

    public static void main(String[] args) throws Exception {
        Path runs = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Path outFile = Path.of(args[2]);
        Path shared = Path.of(args.length > 4 ? args[4] : "../shared/data");
        MsaAnatomy b = MsaAnatomy.icbm(shared);
        List<MsaData.Item> held = MsaData.load(data, MsaFamily.ICBM, b, "heldout", MsaTraining.HELDOUT_SEED, 240, s -> {
        });
        Grid g4 = Grid.of(MsaCnn.PZ, MsaCnn.PY, MsaCnn.PX, 4, 4, 4);
        List<MsaData.Item> pd = new ArrayList<>();
        for (MsaData.Item it : held) {
            if (it.subtype() == MsaSubtype.PD) {
                pd.add(it);
            }
        }
        List<MsaData.Item> controls = pd.subList(0, pd.size() / 2);
        Map<String, MsaZScores.Entry> db = new HashMap<>();
        for (String mod : new String[] {"gd", "md"}) {
            List<Volume> maps = new ArrayList<>();
            for (MsaData.Item it : controls) {
                maps.add(vol(g4, mod.equals("gd") ? it.gd() : it.md()));
            }
            db.put(mod, MsaZScores.build(mod, maps, "first half of family-B PD subjects"));
        }
        Map<Long, double[]> counts = new HashMap<>();
        for (MsaData.Item it : held) {
            if (it.subtype() == MsaSubtype.PD) {
                continue;
            }
            MsaZScores.ZMap zg = MsaZScores.zmap(db.get("gd"), vol(g4, it.gd()));
            MsaZScores.ZMap zm = MsaZScores.zmap(db.get("md"), vol(g4, it.md()));
            counts.put(it.seed(), new double[] {zg.clusters().size() + zm.clusters().size(), zg.extentMl() + zm.extentMl(),
                it.severity()});
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Gson gson = new Gson();
        StringBuilder md = new StringBuilder("| network | MSA subjects | called MSA: n, clusters, extent mL, severity |"
                + " called PD (missed): n, clusters, extent mL, severity |\n|---|---|---|---|\n");
        for (String id : new String[] {"msa-pd-gd-md", "msa-pd-gd", "msa-pd-md"}) {
            Path r = runs.resolve(id + "-s0").resolve("result.json");
            if (!Files.isRegularFile(r)) {
                continue;
            }
            Map<?, ?> res;
            try (Reader rd = Files.newBufferedReader(r, StandardCharsets.UTF_8)) {
                res = gson.fromJson(rd, Map.class);
            }
            List<?> rows = (List<?>) ((Map<?, ?>) res.get("family_b")).get("subjects");
            double[][] acc = new double[2][4];
            for (Object o : rows) {
                Map<?, ?> row = (Map<?, ?>) o;
                long seed = ((Number) row.get("seed")).longValue();
                double[] c = counts.get(seed);
                if (c == null) {
                    continue;
                }
                int k = ((Number) row.get("p_msa")).doubleValue() >= 0.5 ? 0 : 1;
                acc[k][0]++;
                acc[k][1] += c[0];
                acc[k][2] += c[1];
                acc[k][3] += c[2];
            }
            Map<String, Object> m = new LinkedHashMap<>();
            for (int k = 0; k < 2; k++) {
                double n = Math.max(1, acc[k][0]);
                Map<String, Object> part = new LinkedHashMap<>();
                part.put("n", (int) acc[k][0]);
                part.put("mean_clusters", acc[k][1] / n);
                part.put("mean_extent_ml", acc[k][2] / n);
                part.put("mean_severity", acc[k][3] / n);
                m.put(k == 0 ? "called_msa" : "missed", part);
            }
            out.put(id, m);
            md.append(String.format(Locale.ROOT, "| %s | %d | %d, %.1f, %.1f, %.2f | %d, %.1f, %.1f, %.2f |%n", id,
                    (int) (acc[0][0] + acc[1][0]), (int) acc[0][0], acc[0][1] / Math.max(1, acc[0][0]),
                    acc[0][2] / Math.max(1, acc[0][0]), acc[0][3] / Math.max(1, acc[0][0]), (int) acc[1][0],
                    acc[1][1] / Math.max(1, acc[1][0]), acc[1][2] / Math.max(1, acc[1][0]),
                    acc[1][3] / Math.max(1, acc[1][0])));
        }
        out.put("normal_db", controls.size() + " family-B PD subjects (the first half); the other "
                + (pd.size() - controls.size()) + " PD subjects are not used here");
        Files.writeString(outFile, new GsonBuilder().setPrettyPrinting().create().toJson(out) + "\n",
                StandardCharsets.UTF_8);
        System.out.print(md);
    }

    /**
     * A 4 mm tensor-order array ([x][y][z], z fastest) as a volume whose fastest axis is that z (axes renamed: the
     * z-score and cluster code needs neighbours and voxel volume only, both preserved).
     */
    static Volume vol(Grid g, float[] x) {
        return Volume.of(g, x.clone());
    }
}
