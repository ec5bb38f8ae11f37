package org.dopaj.spect;

import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;


/**
 * The DaT-SPECT classifier's contract — input convention, grids, binding features, anchor — shared by training,
 * export and inference; the trainable graph itself is {@code DatNetwork} in the training module.
 *
 * <p>Input: a spatially normalised volume on the MNI152 2 mm grid (91×109×91), divided by the mean of the
 * occipital reference VOI ({@link SpectVois}) minus 1 — a voxel-wise SBR map, so that absolute counts and
 * calibration do not matter. The exported model takes that map at 2 mm; its first operation averages 2×2×2
 * blocks (a 4 mm grid, 46×55×46), which loses little for 8–18 mm FWHM images and makes every convolution 8×
 * cheaper. Training feeds the same 4 mm map directly ({@link #pooled}), which is identical to the in-graph
 * average pooling ('same' padding averages only the voxels present at the edge), so one checkpoint serves both.
 *
 * <p>Architecture (v3, 2026-12-06; ≈2.9 M parameters, like the 2.87 M of Wenzel et al. 2019): a convolutional branch
 * — four 3³ conv → batch norm → ReLU blocks of 8, 16, 32, 64 channels with 2³ max pooling between them (4 → 8 → 16 →
 * 32 mm cells), the 6×7×6×64 map flattened, dropout 0.5, a dense layer of 176 units with ReLU — and a <b>binding
 * branch</b>: the mean SBR of six fixed VOIs ({@link SpectVois}: caudate, anterior and posterior putamen of each side)
 * computed inside the graph from the same map, with the lower and the higher posterior- and anterior-putamen value
 * and the posterior-putamen left–right difference (10 numbers), through a dense layer of 32 units with ReLU. Both
 * branches are joined, dropout 0.3, then 2 logits (normal, parkinsonian) — the {@link Head#JOINT} head.
 *
 * <p>The {@link Head#ANCHORED} head (v4, 2026-12-07) keeps the convolutional branch and the ten binding numbers but
 * not the joint dense head: the log-odds of "parkinsonian" are a fixed logistic regression on the binding numbers
 * ({@link Anchor}, fitted before training) plus a residual from the convolutional branch bounded to ±{@value
 * #RESIDUAL_BOUND}. Leaving a phantom family out of training, v3's joint head shifted its operating point with the
 * family; the binding evidence alone transferred better (docs/validation/spect-dat-cnn.md). The exported CAM of an
 * anchored model explains only the residual; {@link SpectClassifier} adds the anchor's VOI evidence
 * ({@link Anchor#voiEvidence}) so that the map explains the whole decision.
 *
 * <p>Why the binding branch: the first network (an image and an image-minus-mirror channel only) learnt "asymmetry
 * means disease" and the background of its own generator; on an independent generator 13 of its 14 errors were
 * bilateral, nearly symmetric losses called normal, which a plain putamen-SBR threshold classified correctly. The
 * branch hands the head the absolute binding level a nuclear-medicine reader quantifies, so it cannot be lost to a
 * spurious image feature; the convolutional branch adds the shape (gradient, caudate, outline) the VOIs average out.
 * The left–right mirror channel is gone for the same reason. The class-activation map explains the parkinsonian
 * logit on the 16 mm-cell map of the third block (12×14×12), weighted HiResCAM-style
 * (HiResCAM); it shows the convolutional branch's evidence.
 */
public final class DatCnn {
    public static final String MODEL_ID = "spect-dat-cnn";
    public static final String[] LABELS = {"normal", "parkinsonian"};
    /** The 2 mm input grid size. */
    public static final int NX = 91;
    public static final int NY = 109;
    public static final int NZ = 91;
    /** The 4 mm grid size (2×2×2 block averages, 'same' padding). */
    public static final int PX = 46;
    public static final int PY = 55;
    public static final int PZ = 46;

    private DatCnn() {
    }

    /** Number of VOI means of the binding branch (caudate, anterior putamen, posterior putamen; left and right). */
    public static final int VOI_FEATURES = 6;

    /**
     * How the two branches make the decision. {@code JOINT} (v3): both branches' features are joined in one dense
     * head. {@code ANCHORED}: the decision is anchored on the binding evidence — a fixed logistic regression on the
     * binding branch's ten numbers ({@link Anchor}, fitted on the training subjects before the network is trained)
     * gives the log-odds, and the convolutional branch only adds a bounded residual, {@value #RESIDUAL_BOUND}·tanh(r /
     * {@value #RESIDUAL_BOUND}), so it can move them by at most ±{@value #RESIDUAL_BOUND} and never outvote clear
     * binding evidence.
     */
    public enum Head {
        JOINT, ANCHORED;

        public static Head of(String s) {
            try {
                return valueOf(s.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new DopajException("unknown head '" + s + "' (known: joint, anchored)");
            }
        }
    }

    /** Bound of the convolutional residual of the {@link Head#ANCHORED} head, in log-odds. */
    public static final float RESIDUAL_BOUND = 2.0f;

    /** Scale of the residual's pre-activation (keeps the bounding tanh out of saturation at the start). */
    public static final float RESIDUAL_SCALE = 0.05f;

    /** Number of binding numbers: six VOI means, lower and higher posterior putamen, lower anterior, posterior |L − R|. */
    public static final int BINDING_FEATURES = 10;

    /**
     * The anchor of the {@link Head#ANCHORED} head: log-odds of "parkinsonian" = {@code bias} + Σ {@code weights[j]} ×
     * binding number j, in the units of the SBR map (the order of {@link #bindingFeatures}); {@code normalMeans}: the
     * mean binding numbers of the training normals (for {@link #voiEvidence}; may be null).
     */
    public record Anchor(double[] weights, double bias, double[] normalMeans) {
        public Anchor {
            if (weights.length != BINDING_FEATURES || normalMeans != null && normalMeans.length != BINDING_FEATURES) {
                throw new DopajException("anchor needs " + BINDING_FEATURES + " weights (and normal means)");
            }
        }

        public Anchor(double[] weights, double bias) {
            this(weights, bias, null);
        }

        /** The anchor's log-odds for one 4 mm map. */
        public double logOdds(float[] pooledMap) {
            double[] f = bindingFeatures(pooledMap);
            double z = bias;
            for (int j = 0; j < f.length; j++) {
                z += weights[j] * f[j];
            }
            return z;
        }

        /**
         * What each of the six VOIs (order of {@link Features}: caudate L, R, anterior putamen L, R, posterior putamen
         * L, R) adds to the anchor's log-odds compared with the mean training normal: Σ weights[j] × (f_j − normal
         * mean_j) over the binding numbers of that VOI; the lower/higher posterior, lower anterior and posterior
         * difference numbers go to the VOI that realises them (the difference to the lower side). Positive = evidence
         * for "parkinsonian".
         */
        public double[] voiEvidence(float[] pooledMap) {
            if (normalMeans == null) {
                throw new DopajException("the anchor has no normal means: no VOI evidence");
            }
            double[] f = bindingFeatures(pooledMap);
            double[] d = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                d[j] = weights[j] * (f[j] - normalMeans[j]);
            }
            double[] e = new double[VOI_FEATURES];
            System.arraycopy(d, 0, e, 0, VOI_FEATURES);
            int lowPost = f[4] <= f[5] ? 4 : 5;
            e[lowPost] += d[6] + d[9];
            e[9 - lowPost] += d[7];
            e[f[2] <= f[3] ? 2 : 3] += d[8];
            return e;
        }

        public void write(java.nio.file.Path file) throws java.io.IOException {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("weights", weights);
            m.put("bias", bias);
            if (normalMeans != null) {
                m.put("normal_means", normalMeans);
            }
            java.nio.file.Files.writeString(file, new com.google.gson.GsonBuilder().setPrettyPrinting().create()
                    .toJson(m));
        }

        public static Anchor read(java.nio.file.Path file) throws java.io.IOException {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(java.nio.file.Files.readString(file))
                    .getAsJsonObject();
            return new Anchor(array(o.getAsJsonArray("weights")), o.get("bias").getAsDouble(),
                    o.has("normal_means") ? array(o.getAsJsonArray("normal_means")) : null);
        }

        private static double[] array(com.google.gson.JsonArray a) {
            double[] w = new double[a.size()];
            for (int j = 0; j < w.length; j++) {
                w[j] = a.get(j).getAsDouble();
            }
            return w;
        }

        /** The anchor of a package's {@code config.dopaj.anchor} ({@code weights}, {@code bias}, {@code normal_means}). */
        public static Anchor fromConfig(Object o) {
            if (!(o instanceof java.util.Map<?, ?> m) || !(m.get("weights") instanceof List<?> w)
                    || !(m.get("bias") instanceof Number b)) {
                return null;
            }
            double[] nm = m.get("normal_means") instanceof List<?> l ? l.stream()
                    .mapToDouble(v -> ((Number) v).doubleValue()).toArray() : null;
            return new Anchor(w.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray(), b.doubleValue(), nm);
        }
    }

    /** The binding branch's ten numbers of a 4 mm map, computed as the graph does. */
    public static double[] bindingFeatures(float[] pooledMap) {
        float[][] w = Features.WEIGHTS;
        double[] v = new double[VOI_FEATURES];
        for (int i = 0; i < pooledMap.length; i++) {
            for (int c = 0; c < v.length; c++) {
                v[c] += w[i][c] * pooledMap[i];
            }
        }
        double minP = Math.min(v[4], v[5]);
        double maxP = Math.max(v[4], v[5]);
        return new double[] {v[0], v[1], v[2], v[3], v[4], v[5], minP, maxP, Math.min(v[2], v[3]), maxP - minP};
    }

    /** The fixed VOI weights of the binding branch: [4 mm voxel][VOI], each column summing to 1. */
    static final class Features {
        static final float[][] WEIGHTS = weights();

        private static float[][] weights() {
            Volume labels = SpectVois.rasterise(HeadPhantom.mni2mm());
            int[] order = {SpectVois.CAUDATE_L, SpectVois.CAUDATE_R, SpectVois.PUTAMEN_ANT_L, SpectVois.PUTAMEN_ANT_R,
                SpectVois.PUTAMEN_POST_L, SpectVois.PUTAMEN_POST_R};
            float[][] w = new float[PX * PY * PZ][VOI_FEATURES];
            for (int c = 0; c < VOI_FEATURES; c++) {
                Volume m = Volume.allocate(labels.grid());
                for (int z = 0; z < NZ; z++) {
                    float[] l = labels.plane(z);
                    float[] o = m.plane(z);
                    for (int i = 0; i < l.length; i++) {
                        o[i] = l[i] == order[c] ? 1 : 0;
                    }
                }
                float[] p = pooled(m);
                double s = 0;
                for (float v : p) {
                    s += v;
                }
                for (int i = 0; i < p.length; i++) {
                    w[i][c] = (float) (p[i] / s);
                }
            }
            return w;
        }
    }

    /** The grid the network expects. */
    public static Grid grid() {
        return HeadPhantom.mni2mm();
    }

    /** Mean of the occipital reference VOI of an image on the MNI 2 mm grid. */
    public static double referenceMean(Volume mni) {
        Volume labels = Refs.LABELS;
        double s = 0;
        long n = 0;
        for (int z = 0; z < mni.nz(); z++) {
            float[] p = mni.plane(z);
            float[] l = labels.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (l[i] == SpectVois.REFERENCE) {
                    s += p[i];
                    n++;
                }
            }
        }
        return s / n;
    }

    /** Holder: the default VOI labels are drawn once. */
    private static final class Refs {
        static final Volume LABELS = SpectVois.rasterise(HeadPhantom.mni2mm());
    }

    /**
     * The network input: {@code mni / referenceMean − 1} (a new volume on the same grid).
     *
     * @throws DopajException when the reference mean is not positive
     */
    public static Volume normalise(Volume mni) {
        if (mni.nx() != NX || mni.ny() != NY || mni.nz() != NZ) {
            throw new DopajException("classifier input must be on the MNI 2 mm grid 91×109×91, got "
                    + mni.nx() + "×" + mni.ny() + "×" + mni.nz());
        }
        double ref = referenceMean(mni);
        if (!(ref > 0)) {
            throw new DopajException("reference VOI mean is " + ref + " (must be > 0): no usable background uptake");
        }
        Volume out = Volume.allocate(mni.grid());
        float inv = (float) (1 / ref);
        for (int z = 0; z < mni.nz(); z++) {
            float[] a = mni.plane(z);
            float[] o = out.plane(z);
            for (int i = 0; i < a.length; i++) {
                o[i] = a[i] * inv - 1f;
            }
        }
        return out;
    }

    /**
     * 2×2×2 block averages of a 91×109×91 volume in tensor order [x][y][z] (z fastest), 46×55×46: exactly
     * what the exported graph's first average pooling computes.
     */
    public static float[] pooled(Volume v) {
        float[] out = new float[PX * PY * PZ];
        for (int i = 0; i < PX; i++) {
            for (int j = 0; j < PY; j++) {
                for (int k = 0; k < PZ; k++) {
                    double s = 0;
                    int n = 0;
                    for (int dz = 0; dz < 2; dz++) {
                        int z = 2 * k + dz;
                        if (z >= NZ) {
                            continue;
                        }
                        float[] pl = v.plane(z);
                        for (int dy = 0; dy < 2; dy++) {
                            int y = 2 * j + dy;
                            if (y >= NY) {
                                continue;
                            }
                            for (int dx = 0; dx < 2; dx++) {
                                int x = 2 * i + dx;
                                if (x >= NX) {
                                    continue;
                                }
                                s += pl[x + y * NX];
                                n++;
                            }
                        }
                    }
                    out[(i * PY + j) * PZ + k] = (float) (s / n);
                }
            }
        }
        return out;
    }
}
