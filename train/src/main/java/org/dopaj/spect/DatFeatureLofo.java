package org.dopaj.spect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Which binding numbers transfer across phantom families? Leave-one-family-out logistic regression on VOI features of
 * the cached 4 mm SBR maps ({@link DatData}), the question behind the binding branch of {@link DatCnn}: a linear
 * classifier on each feature set is fitted on the training subjects of three families (original and 18 mm-smoothed
 * maps together, features standardised on them, L2 10⁻³, 3,000 full-batch gradient steps) and tested at p = 0.5 on the
 * held-out subjects ({@link DatLofo#TEST_SEED}) of the family left out, in each setting. No network is involved.
 *
 * <p>Feature sets, from the six VOI means of the network's binding branch (caudate, anterior and posterior putamen,
 * left and right; {@link DatCnn.Features}): {@code minput} — the lower side's mean putamen SBR alone; {@code abs} —
 * the ten absolute numbers the v3 binding branch sees; {@code ratio} — seven level-free ratios within the image
 * (lower posterior putamen ÷ caudate, lower putamen ÷ caudate, lower posterior ÷ lower anterior putamen, putamen ÷
 * caudate, posterior asymmetry, lower ÷ higher posterior putamen, lower putamen ÷ striatum; 0.05 added to numerator
 * and denominator); {@code ratio+minput}; {@code both} ({@code abs} and {@code ratio}); {@code abs+peak} ({@code abs}
 * and the six VOI maxima); {@code abs+sharp} ({@code abs} and striatal peak ÷ striatal mean); {@code total} (each
 * side's total binding in a large VOI, {@link #totals}, the lower side and the difference), {@code abs+total},
 * {@code total+ratio}; any set followed by
 * {@code @S} (e.g. {@code abs@0.1}) adds four copies of every training map with all its SBRs scaled by exp(S·N(0, 1)),
 * a level augmentation (seed 2019). A registration failure
 * counts as an error. An optional fourth argument N scales every feature of the left-out family by (training
 * normals' mean ÷ the mean of N normals of that family's training subjects): a site's own normal database. Command:
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.spect.DatFeatureLofo runs/spect-dat-data \
 *     ../shared/data [minput,abs,ratio,ratio+minput,both,abs+peak,abs+sharp,abs@0.1] [N]
 * </pre>
 */
public final class DatFeatureLofo {
    private static final double EPS = 0.05;

    private DatFeatureLofo() {
    }

    /** Nominal striatal volume of one side (mL) of the large-VOI total: half of Tossici-Bolt et al.'s 11.2 mL. */
    static final double SIDE_STRIATUM_ML = 5.6;
    /** Dilation (4 mm voxels) of each side's striatal VOIs into its large VOI: 16 mm, room for 18 mm blur. */
    static final int LARGE_VOI_DILATION = 4;
    /** The 4 mm voxels of each side's large VOI (index 0: the side of VOIs 0, 2, 4; 1: of 1, 3, 5). */
    static final int[][] LARGE_VOI = largeVois();

    /**
     * Each side's large VOI on the 4 mm grid: voxels within {@value #LARGE_VOI_DILATION} voxels of that side's
     * caudate or putamen VOI, a voxel in reach of both going to the nearer side.
     */
    private static int[][] largeVois() {
        float[][] w = DatCnn.Features.WEIGHTS;
        int nx = DatCnn.PX;
        int ny = DatCnn.PY;
        List<List<int[]>> core = List.of(new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < w.length; i++) {
            for (int c = 0; c < DatCnn.VOI_FEATURES; c++) {
                if (w[i][c] > 0) {
                    core.get(c % 2).add(new int[] {i % nx, (i / nx) % ny, i / (nx * ny)});
                    break;
                }
            }
        }
        List<List<Integer>> out = List.of(new ArrayList<>(), new ArrayList<>());
        int r2 = LARGE_VOI_DILATION * LARGE_VOI_DILATION;
        for (int i = 0; i < w.length; i++) {
            int x = i % nx;
            int y = (i / nx) % ny;
            int z = i / (nx * ny);
            int[] d = {Integer.MAX_VALUE, Integer.MAX_VALUE};
            for (int side = 0; side < 2; side++) {
                for (int[] q : core.get(side)) {
                    int dx = x - q[0];
                    int dy = y - q[1];
                    int dz = z - q[2];
                    d[side] = Math.min(d[side], dx * dx + dy * dy + dz * dz);
                }
            }
            int side = d[0] <= d[1] ? 0 : 1;
            if (d[side] <= r2) {
                out.get(side).add(i);
            }
        }
        return new int[][] {out.get(0).stream().mapToInt(Integer::intValue).toArray(),
            out.get(1).stream().mapToInt(Integer::intValue).toArray()};
    }

    /**
     * Each side's total specific binding in its large VOI over a nominal striatal volume (the Southampton method,
     * Tossici-Bolt et al. 2006): Σ SBR-map value × voxel volume ÷ {@value #SIDE_STRIATUM_ML} mL. Counts spread by the
     * camera's blur stay inside the large VOI, so the number does not fall with resolution as a VOI mean does.
     */
    static double[] totals(float[] x) {
        double voxelMl = 0.064;
        double[] t = new double[2];
        for (int side = 0; side < 2; side++) {
            for (int i : LARGE_VOI[side]) {
                t[side] += x[i] * voxelMl / SIDE_STRIATUM_ML;
            }
        }
        return t;
    }

    /** The six VOI means of a 4 mm map (the binding branch's matrix product), the six VOI maxima, the two totals. */
    static double[] voiMeans(float[] x) {
        double[] v = Arrays.copyOf(DatCnn.bindingFeatures(x), 2 * DatCnn.VOI_FEATURES + 2);
        double[] t = totals(x);
        v[2 * DatCnn.VOI_FEATURES] = t[0];
        v[2 * DatCnn.VOI_FEATURES + 1] = t[1];
        float[][] w = DatCnn.Features.WEIGHTS;
        for (int c = 0; c < DatCnn.VOI_FEATURES; c++) {
            double wmax = 0;
            for (float[] r : w) {
                wmax = Math.max(wmax, r[c]);
            }
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < x.length; i++) {
                if (w[i][c] >= 0.5 * wmax) {
                    m = Math.max(m, x[i]);
                }
            }
            v[DatCnn.VOI_FEATURES + c] = m;
        }
        return v;
    }

    /** The features of set {@code set} from the six VOI means. */
    static double[] features(double[] v, String set) {
        double cL = v[0];
        double cR = v[1];
        double aL = v[2];
        double aR = v[3];
        double pL = v[4];
        double pR = v[5];
        double minP = Math.min(pL, pR);
        double maxP = Math.max(pL, pR);
        double minA = Math.min(aL, aR);
        double caud = (cL + cR) / 2;
        double put = (aL + aR + pL + pR) / 4;
        double str = (cL + cR + aL + aR + pL + pR) / 6;
        double minPut = Math.min((aL + pL) / 2, (aR + pR) / 2);
        return switch (set) {
            case "minput" -> new double[] {minPut};
            case "abs" -> new double[] {cL, cR, aL, aR, pL, pR, minP, maxP, minA, Math.abs(pL - pR)};
            case "ratio" -> new double[] {(minP + EPS) / (caud + EPS), (minPut + EPS) / (caud + EPS),
                (minP + EPS) / (minA + EPS), (put + EPS) / (caud + EPS), Math.abs(pL - pR) / (pL + pR + 2 * EPS),
                (minP + EPS) / (maxP + EPS), (minPut + EPS) / (str + EPS)};
            case "ratio+minput" -> concat(features(v, "ratio"), features(v, "minput"));
            case "both" -> concat(features(v, "abs"), features(v, "ratio"));
            // resolution-aware: the VOI maxima (hottest 4 mm voxels) with the means; their ratio falls with blur
            case "abs+peak" -> concat(features(v, "abs"), Arrays.copyOfRange(v, 6, 12));
            // resolution-free: each side's total binding in a large VOI (Southampton), lower side, difference
            case "total" -> new double[] {v[12], v[13], Math.min(v[12], v[13]), Math.abs(v[12] - v[13])};
            case "abs+total" -> concat(features(v, "abs"), features(v, "total"));
            case "total+ratio" -> concat(features(v, "total"), features(v, "ratio"));
            case "abs+sharp" -> {
                double peak = Arrays.stream(v, 6, 12).max().orElse(0);
                yield concat(features(v, "abs"), new double[] {(peak + EPS) / (str + EPS)});
            }
            default -> throw new IllegalArgumentException("unknown feature set " + set);
        };
    }

    private static double[] concat(double[] a, double[] b) {
        double[] o = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, o, a.length, b.length);
        return o;
    }

    /** L2-regularised logistic regression on standardised features: weights then bias. */
    static double[] fit(List<double[]> x, List<Integer> y, double l2) {
        int d = x.get(0).length;
        double[] w = new double[d + 1];
        for (int it = 0; it < 3000; it++) {
            double[] g = new double[d + 1];
            for (int i = 0; i < x.size(); i++) {
                double z = w[d];
                for (int j = 0; j < d; j++) {
                    z += w[j] * x.get(i)[j];
                }
                double r = 1 / (1 + Math.exp(-z)) - y.get(i);
                for (int j = 0; j < d; j++) {
                    g[j] += r * x.get(i)[j];
                }
                g[d] += r;
            }
            for (int j = 0; j <= d; j++) {
                w[j] -= 0.5 * (g[j] / x.size() + (j < d ? l2 * w[j] : 0));
            }
        }
        return w;
    }

    public static void main(String[] args) throws Exception {
        DatCnnTraining.Options o = DatCnnTraining.Options.parse(new String[] {"--data", args[0], "--shared", args[1],
            "--train", "450", "--val", "40", "--physics", "150,30,100"}, 0);
        String[] sets = (args.length > 2 ? args[2] : "minput,abs,ratio,ratio+minput,both").split(",");
        // a site's own normal scans (the first N normals of the left-out family's training subjects, never tested):
        // each feature is scaled by (training normals' mean) / (site normals' mean) before the fitted model
        int siteNormals = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Map<DatFamily, List<DatData.Item>> train = new EnumMap<>(DatFamily.class);
        Map<DatFamily, List<DatData.Item>> test = new EnumMap<>(DatFamily.class);
        Map<DatData.Item, double[][]> means = new java.util.IdentityHashMap<>();
        for (DatFamily f : DatFamily.values()) {
            train.put(f, DatCnnTraining.subjects(o, f, "train", o.seed() * 1_000_000L, o.nTrain(), s -> { }).stream()
                    .filter(i -> !i.failed()).toList());
            test.put(f, DatCnnTraining.subjects(o, f, "test", DatLofo.TEST_SEED, 200, s -> { }));
            for (List<DatData.Item> l : List.of(train.get(f), test.get(f))) {
                for (DatData.Item it : l) {
                    if (!it.failed()) {
                        means.put(it, new double[][] {voiMeans(it.original()), voiMeans(it.smoothed())});
                    }
                }
            }
        }
        System.out.println("| features | family left out | n | accuracy original (normal→PD / PD→normal) |"
                + " accuracy smoothed (normal→PD / PD→normal) |\n|---|---|---|---|---|");
        for (String set : sets) {
            // "SET@S": each training map also enters 4 times with every SBR scaled by exp(S·N(0, 1)), the level shift
            // between cameras and anatomies made part of the training data
            double levelSd = set.contains("@") ? Double.parseDouble(set.substring(set.indexOf('@') + 1)) : 0;
            String base = set.contains("@") ? set.substring(0, set.indexOf('@')) : set;
            for (DatFamily left : DatFamily.values()) {
                List<double[]> x = new ArrayList<>();
                List<Integer> y = new ArrayList<>();
                SplittableRandom level = new SplittableRandom(2019);
                for (DatFamily f : DatFamily.values()) {
                    if (f != left) {
                        for (DatData.Item it : train.get(f)) {
                            for (double[] v : means.get(it)) {
                                x.add(features(v, base));
                                y.add(it.label());
                                for (int k = 0; levelSd > 0 && k < 4; k++) {
                                    double g = Math.exp(levelSd * level.nextGaussian());
                                    x.add(features(Arrays.stream(v).map(q -> q * g).toArray(), base));
                                    y.add(it.label());
                                }
                            }
                        }
                    }
                }
                int d = x.get(0).length;
                double[][] ms = meanAndSd(x);
                double[] mu = ms[0];
                double[] sd = ms[1];
                List<double[]> xs = x.stream().map(r -> standardise(r, mu, sd)).toList();
                double[] w = fit(xs, y, 1e-3);
                double[][] siteScale = new double[2][d];
                for (int k = 0; k < 2; k++) {
                    Arrays.fill(siteScale[k], 1);
                    if (siteNormals > 0) {
                        final int kk = k;
                        List<double[]> site = train.get(left).stream().filter(it -> it.label() == 0).limit(siteNormals)
                                .map(it -> features(means.get(it)[kk], base)).toList();
                        List<double[]> own = new ArrayList<>();
                        for (DatFamily f : DatFamily.values()) {
                            if (f != left) {
                                train.get(f).stream().filter(it -> it.label() == 0)
                                        .forEach(it -> own.add(features(means.get(it)[kk], base)));
                            }
                        }
                        double[] ms0 = meanAndSd(site)[0];
                        double[] mo = meanAndSd(own)[0];
                        for (int j = 0; j < d; j++) {
                            siteScale[k][j] = mo[j] / ms0[j];
                        }
                    }
                }
                StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "| %s%s | %s | %d |", set,
                        siteNormals > 0 ? " (site normals " + siteNormals + ")" : "", left.id(),
                        test.get(left).size()));
                for (int k = 0; k < 2; k++) {
                    int ok = 0;
                    int fp = 0;
                    int fn = 0;
                    for (DatData.Item it : test.get(left)) {
                        if (it.failed()) {
                            continue;
                        }
                        double[] raw = features(means.get(it)[k], base);
                        for (int j = 0; j < d; j++) {
                            raw[j] *= siteScale[k][j];
                        }
                        double[] z = standardise(raw, mu, sd);
                        double s = w[d];
                        for (int j = 0; j < d; j++) {
                            s += w[j] * z[j];
                        }
                        if ((s >= 0) == (it.label() == 1)) {
                            ok++;
                        } else if (it.label() == 1) {
                            fn++;
                        } else {
                            fp++;
                        }
                    }
                    b.append(String.format(Locale.ROOT, " %.3f (%d / %d) |", (double) ok / test.get(left).size(), fp,
                            fn));
                }
                System.out.println(b);
            }
        }
    }

    /** {mean, standard deviation (+1e-9)} of each column of {@code x} (population sd): the z-scoring of the fits. */
    static double[][] meanAndSd(List<double[]> x) {
        int d = x.get(0).length;
        double[] mu = new double[d];
        double[] sd = new double[d];
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                mu[j] += r[j] / x.size();
            }
        }
        for (double[] r : x) {
            for (int j = 0; j < d; j++) {
                sd[j] += (r[j] - mu[j]) * (r[j] - mu[j]) / x.size();
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j]) + 1e-9;
        }
        return new double[][] {mu, sd};
    }

    static double[] standardise(double[] r, double[] mu, double[] sd) {
        double[] z = new double[r.length];
        for (int j = 0; j < r.length; j++) {
            z[j] = (r[j] - mu[j]) / sd[j];
        }
        return z;
    }
}
