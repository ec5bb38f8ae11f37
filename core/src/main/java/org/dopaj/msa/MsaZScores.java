package org.dopaj.msa;

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

import org.dopaj.DopajException;
import org.dopaj.image.Components;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;

/**
 * z-score maps of a subject's GD or MD map against a <b>normal database</b> of the same maps, and the abnormal
 * clusters in them (the paper's z-score analysis: misclassified patients had fewer and milder alterations).
 *
 * <p><b>Normal-database format</b> (a folder): {@code normal-db.csv} with a header {@code modality,mean,sd,n,description}
 * and one row per modality ({@code gd}, {@code md}) naming two NIfTI volumes in the same folder — the voxel-wise mean
 * and standard deviation of the controls' maps on the MNI152 2 mm grid — the number of controls, and free text (who,
 * how the maps were made); {@code #} lines are comments. Maps enter both the database and the z-score after the same
 * preparation as the classifier's: GD as it comes, MD (mm²/s) smoothed 4 mm FWHM ({@link MsaCnn#MD_FWHM_MM}).
 *
 * <p>z = (x − mean) / max(sd, ¼ × the median sd in the mask), in the mask = voxels where the mean GD ≥ 0.1 (grey
 * matter) or the mean MD &gt; 0 (brain). Abnormal voxels are those in the direction of disease — GD z ≤ −3
 * (atrophy), MD z ≥ +3 (diffusivity rise) — grouped in 26-connected clusters of at least {@value #MIN_CLUSTER_VOXELS}
 * voxels (80 mm³); each subject gets the count, total extent (mL) and the clusters (size, peak z, peak MNI mm).
 */
public final class MsaZScores {
    public static final String CSV = "normal-db.csv";
    public static final double THRESHOLD = 3;
    public static final int MIN_CLUSTER_VOXELS = 10;

    /** One modality of a database. */
    public record Entry(String modality, Volume mean, Volume sd, int n, String description) {
    }

    /** A cluster of abnormal voxels. */
    public record Cluster(double ml, int voxels, double peakZ, double[] peakMm) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("ml", Math.round(ml * 1000) / 1000.0);
            m.put("voxels", voxels);
            m.put("peak_z", Math.round(peakZ * 100) / 100.0);
            m.put("peak_mni_mm", new double[] {Math.round(peakMm[0]), Math.round(peakMm[1]), Math.round(peakMm[2])});
            return m;
        }
    }

    /** The z-map of one modality with its clusters. */
    public record ZMap(String modality, Volume z, List<Cluster> clusters) {
        public double extentMl() {
            return clusters.stream().mapToDouble(Cluster::ml).sum();
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("abnormal_clusters", clusters.size());
            m.put("abnormal_extent_ml", Math.round(extentMl() * 1000) / 1000.0);
            m.put("direction", modality.equals("gd") ? "z <= -3 (lower GD: atrophy)" : "z >= +3 (higher MD)");
            m.put("clusters", clusters.stream().map(Cluster::toMap).toList());
            return m;
        }
    }

    private MsaZScores() {
    }

    /** The prepared map of a modality (GD as is, MD smoothed 4 mm), as entered in the database. */
    public static Volume prepare(String modality, Volume map) {
        return modality.equals("md") ? org.dopaj.image.Gaussian.smooth(map, MsaCnn.MD_FWHM_MM) : map;
    }

    /** Builds a database entry from prepared maps of controls. */
    public static Entry build(String modality, List<Volume> maps, String description) {
        if (maps.size() < 2) {
            throw new DopajException("a normal database needs at least 2 maps per modality, got " + maps.size());
        }
        Grid g = maps.get(0).grid();
        Volume mean = Volume.allocate(g);
        Volume sd = Volume.allocate(g);
        int n = maps.size();
        for (int z = 0; z < g.nz(); z++) {
            float[] m = mean.plane(z);
            float[] s = sd.plane(z);
            for (Volume v : maps) {
                float[] p = v.plane(z);
                for (int i = 0; i < p.length; i++) {
                    m[i] += p[i] / n;
                }
            }
            for (Volume v : maps) {
                float[] p = v.plane(z);
                for (int i = 0; i < p.length; i++) {
                    s[i] += (p[i] - m[i]) * (p[i] - m[i]);
                }
            }
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) Math.sqrt(s[i] / (n - 1));
            }
        }
        return new Entry(modality, mean, sd, n, description);
    }

    /** Writes entries as a database folder (CSV + volumes; atomic per file). */
    public static void write(Path dir, List<Entry> entries) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder("# DopaJ MSA-vs-PD normal database (docs/msa-pd.md)\n"
                + "modality,mean,sd,n,description\n");
        for (Entry e : entries) {
            String mean = e.modality() + "_mean.nii.gz";
            String sd = e.modality() + "_sd.nii.gz";
            ImageFiles.write(e.mean(), dir.resolve(mean));
            ImageFiles.write(e.sd(), dir.resolve(sd));
            csv.append(e.modality()).append(',').append(mean).append(',').append(sd).append(',').append(e.n())
                    .append(',').append(e.description().replace(',', ';')).append('\n');
        }
        Path tmp = dir.resolve(CSV + ".tmp");
        Files.writeString(tmp, csv, StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(CSV), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** Reads a database folder; every volume must be on the MNI 2 mm grid. */
    public static Map<String, Entry> read(Path dir) {
        Path csv = dir.resolve(CSV);
        if (!Files.isRegularFile(csv)) {
            throw new DopajException(dir + ": not a normal database (no " + CSV + ")");
        }
        Map<String, Entry> out = new LinkedHashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DopajException(csv + ": cannot read (" + e.getMessage() + ")");
        }
        boolean header = false;
        for (String line : lines) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] p = t.split(",", 5);
            if (!header) {
                if (!p[0].equals("modality")) {
                    throw new DopajException(csv + ": first row must be the header modality,mean,sd,n,description");
                }
                header = true;
                continue;
            }
            if (p.length < 4 || !(p[0].equals("gd") || p[0].equals("md"))) {
                throw new DopajException(csv + ": bad row '" + t + "' (modality gd or md, mean, sd, n, description)");
            }
            Volume mean = MsaInputs.basicMni(ImageFiles.read(dir.resolve(p[1])), dir.resolve(p[1]).toString());
            Volume sd = MsaInputs.basicMni(ImageFiles.read(dir.resolve(p[2])), dir.resolve(p[2]).toString());
            int n;
            try {
                n = Integer.parseInt(p[3].trim());
            } catch (NumberFormatException e) {
                throw new DopajException(csv + ": n '" + p[3] + "' is not a number");
            }
            out.put(p[0], new Entry(p[0], mean, sd, n, p.length > 4 ? p[4] : ""));
        }
        if (out.isEmpty()) {
            throw new DopajException(csv + ": no gd or md row");
        }
        return out;
    }

    /** The z-map of a prepared subject map against {@code e}, with its abnormal clusters. */
    public static ZMap zmap(Entry e, Volume prepared) {
        Grid g = e.mean().grid();
        boolean gd = e.modality().equals("gd");
        float[] sds = new float[(int) g.voxelCount()];
        int ns = 0;
        for (int z = 0; z < g.nz(); z++) {
            float[] m = e.mean().plane(z);
            float[] s = e.sd().plane(z);
            for (int i = 0; i < m.length; i++) {
                if (inMask(gd, m[i]) && s[i] > 0) {
                    sds[ns++] = s[i];
                }
            }
        }
        if (ns == 0) {
            throw new DopajException("normal database " + e.modality() + ": empty mask (mean and sd all zero?)");
        }
        Arrays.sort(sds, 0, ns);
        float floor = 0.25f * sds[ns / 2];
        Volume zv = Volume.allocate(g);
        Volume abn = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            float[] m = e.mean().plane(z);
            float[] s = e.sd().plane(z);
            float[] x = prepared.plane(z);
            float[] o = zv.plane(z);
            float[] a = abn.plane(z);
            for (int i = 0; i < m.length; i++) {
                if (!inMask(gd, m[i])) {
                    continue;
                }
                o[i] = (x[i] - m[i]) / Math.max(s[i], floor);
                a[i] = (gd ? o[i] <= -THRESHOLD : o[i] >= THRESHOLD) ? 1 : 0;
            }
        }
        Components.Labels lab = Components.label(abn, 26);
        double voxMl = g.voxelVolumeMm3() / 1000;
        List<Cluster> clusters = new ArrayList<>();
        double[] peak = new double[lab.count() + 1];
        int[][] at = new int[lab.count() + 1][3];
        for (int z = 0; z < g.nz(); z++) {
            float[] o = zv.plane(z);
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    int l = lab.get(x, y, z);
                    if (l > 0) {
                        double v = Math.abs(o[x + g.nx() * y]);
                        if (v > peak[l]) {
                            peak[l] = v;
                            at[l] = new int[] {x, y, z};
                        }
                    }
                }
            }
        }
        for (int l = 1; l <= lab.count(); l++) {
            if (lab.sizes()[l] >= MIN_CLUSTER_VOXELS) {
                clusters.add(new Cluster(lab.sizes()[l] * voxMl, (int) lab.sizes()[l], gd ? -peak[l] : peak[l],
                        g.toMm(at[l][0], at[l][1], at[l][2])));
            }
        }
        clusters.sort((p, q) -> Double.compare(q.ml(), p.ml()));
        return new ZMap(e.modality(), zv, clusters);
    }

    private static boolean inMask(boolean gd, float mean) {
        return gd ? mean >= 0.1f : mean > 0;
    }

    /** The clusters summary line, e.g. "GD: 2 abnormal clusters, 3.4 mL". */
    public static String summary(ZMap z) {
        return String.format(Locale.ROOT, "%s: %d abnormal cluster(s), %.2f mL", z.modality().toUpperCase(Locale.ROOT),
                z.clusters().size(), z.extentMl());
    }
}
