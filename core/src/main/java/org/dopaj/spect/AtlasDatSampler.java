package org.dopaj.spect;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.dopaj.DopajException;
import org.dopaj.image.Components;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

/**
 * DaT-SPECT subjects whose striatum is the caudate and putamen <b>of a real atlas</b> (AAL, AICHA or the ICBM 2009
 * basal-ganglia labels of ../shared/data/atlas), deformed elastically per subject, in a brain whose non-specific
 * uptake follows real <b>tissue maps</b> (grey matter, white matter, CSF) when they are given. Unlike
 * {@link DatSubjectSampler} (ellipsoids), the anatomy here is somebody's real brain; each generator family
 * ({@link DatFamily}) combines one atlas, one tissue source, its own binding levels and disease ranges, and a camera.
 *
 * <p>Per subject (all from one seed):
 * <ul>
 *   <li>anatomy: a global scaling ×0.93…1.07 per axis about the anterior commissure and a smooth elastic
 *   displacement (three random plane waves, wavelengths 60–150 mm, amplitudes 1–3 mm each) applied to labels
 *   (nearest neighbour) and tissue maps (trilinear) alike;</li>
 *   <li>non-specific uptake: grey matter 1.0…1.25, white matter 0.7…0.95, CSF 0.2…0.5 (or, without tissue maps, the
 *   atlas's labelled grey matter 1.1 and the rest of the brain 1.0); thalamus (serotonin-transporter binding of
 *   FP-CIT) 1.2…1.6 and midbrain/pons 1.2…1.7 (Koch et al. 2014); skull 0.05…0.2 and scalp 0.2…0.6 in shells
 *   around the brain;</li>
 *   <li>attenuation: brain and scalp μ, skull 1.5…1.9 × μ (the camera decides μ; this map is relative, in units of
 *   the soft-tissue μ);</li>
 *   <li>specific binding at 60 and its age decline (40–85 years) and the disease pattern from the family's
 *   {@link Binding} and {@link DiseasePattern.Ranges}; the posterior fraction t of a putamen voxel runs along that
 *   putamen's own antero-posterior extent.</li>
 * </ul>
 * The result is the activity and attenuation <b>before</b> any camera: {@link DatFamily} images it. Synthetic,
 * research use only.
 */
public final class AtlasDatSampler {
    /**
     * Binding levels of a family: putamen specific binding at 60 ~ N(mean, sd) clipped to [min, max], caudate =
     * putamen × N(caudateRatio, 0.06), decline per decade uniform in [declineMin, declineMax].
     */
    public record Binding(double mean, double sd, double min, double max, double caudateRatio, double declineMin,
                          double declineMax) {
    }

    /** Activity (background brain ≈ 1) and relative attenuation on the MNI 2 mm grid, with the drawn parameters. */
    public record Phantom(long seed, int label, double severity, double age, Volume activity, Volume mu,
                          Map<String, Object> parameters) {
    }

    private static final Ellipsoid THALAMUS_R = new Ellipsoid(11, -18, 7, 8, 14, 8, 0, 0);
    private static final Ellipsoid MIDBRAIN_PONS = new Ellipsoid(0, -26, -18, 9, 11, 17, 0, -20);

    private final Grid grid;
    private final Volume atlas;
    private final int[][] caudate;
    private final int[][] putamen;
    private final int[] thalamus;
    private final Volume[] tissue;
    private final Binding binding;
    private final DiseasePattern.Ranges disease;

    /**
     * As the first DopaJ atlas generator: AAL-style labels, background from the labels themselves, binding at 60
     * caudate N(3.0, 0.4) over putamen, the broad disease ranges.
     */
    public AtlasDatSampler(Volume atlas, int[] caudate, int[] putamen) {
        this(atlas, new int[][] {{caudate[0]}, {caudate[1]}}, new int[][] {{putamen[0]}, {putamen[1]}}, new int[0],
                null, new Binding(2.7, 0.4, 1.8, 4.0, 1.12, 0.04, 0.07), DiseasePattern.Ranges.BROAD);
    }

    /**
     * @param atlas    a label atlas in MNI space (any grid; resampled nearest-neighbour onto the MNI 2 mm grid)
     * @param caudate  labels of the left ([0]) and right ([1]) caudate; when both rows are equal the labels are
     *                 bilateral and split at x = 0 (AICHA)
     * @param putamen  labels of the left and right putamen, likewise
     * @param thalamus thalamic labels (either side; may be empty: an ellipsoid is used)
     * @param tissue   grey matter, white matter and CSF probability maps in MNI space, or null
     */
    public AtlasDatSampler(Volume atlas, int[][] caudate, int[][] putamen, int[] thalamus, Volume[] tissue,
                           Binding binding, DiseasePattern.Ranges disease) {
        this.grid = HeadPhantom.mni2mm();
        this.atlas = Resample.toGrid(atlas, grid, Resample.Interpolation.NEAREST, 0);
        this.caudate = caudate;
        this.putamen = putamen;
        this.thalamus = thalamus.clone();
        this.binding = binding;
        this.disease = disease;
        if (tissue != null) {
            this.tissue = new Volume[3];
            for (int k = 0; k < 3; k++) {
                this.tissue[k] = Resample.toGrid(tissue[k], grid, Resample.Interpolation.LINEAR, 0);
            }
        } else {
            this.tissue = null;
        }
        long[] counts = new long[4];
        for (int z = 0; z < grid.nz(); z++) {
            float[] a = this.atlas.plane(z);
            for (int i = 0; i < a.length; i++) {
                int s = structure(Math.round(a[i]), grid.toMm(i % grid.nx(), i / grid.nx(), z)[0] < 0);
                if (s >= 0) {
                    counts[s]++;
                }
            }
        }
        for (long c : counts) {
            if (c == 0) {
                throw new DopajException("atlas lacks one of the caudate/putamen labels (left/right caudate "
                        + java.util.Arrays.deepToString(caudate) + ", putamen " + java.util.Arrays.deepToString(putamen)
                        + ")");
            }
        }
    }

    /** 0/1 left/right caudate, 2/3 left/right putamen, −1 otherwise. */
    private int structure(int label, boolean leftOfMidline) {
        if (label == 0) {
            return -1;
        }
        for (int side = 0; side < 2; side++) {
            boolean bilateral = java.util.Arrays.equals(caudate[0], caudate[1]);
            if (!bilateral || (side == 0) == leftOfMidline) {
                for (int l : caudate[side]) {
                    if (l == label) {
                        return side;
                    }
                }
            }
            bilateral = java.util.Arrays.equals(putamen[0], putamen[1]);
            if (!bilateral || (side == 0) == leftOfMidline) {
                for (int l : putamen[side]) {
                    if (l == label) {
                        return 2 + side;
                    }
                }
            }
        }
        return -1;
    }

    private boolean isThalamus(int label) {
        for (int t : thalamus) {
            if (t == label) {
                return true;
            }
        }
        return false;
    }

    /** Subject {@code seed} with {@code label} 0 (normal) or 1 (parkinsonian), before any camera. */
    public Phantom draw(long seed, int label) {
        SplittableRandom r = new SplittableRandom(seed * 0xD1B54A32D192ED03L + 99);
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        // anatomy: global scaling and three plane waves of displacement (a smooth, invertible-looking field)
        double[] scale = {u(r, 0.93, 1.07), u(r, 0.93, 1.07), u(r, 0.93, 1.07)};
        double[][] waves = new double[3][8];
        for (double[] w : waves) {
            double th = u(r, 0, Math.PI);
            double ph = u(r, 0, 2 * Math.PI);
            double k = 2 * Math.PI / u(r, 60, 150);
            w[0] = k * Math.sin(th) * Math.cos(ph);
            w[1] = k * Math.sin(th) * Math.sin(ph);
            w[2] = k * Math.cos(th);
            w[3] = u(r, 0, 2 * Math.PI);
            double amp = u(r, 1, 3);
            double[] dir = {r.nextGaussian(), r.nextGaussian(), r.nextGaussian()};
            double dn = Math.sqrt(dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
            for (int a = 0; a < 3; a++) {
                w[4 + a] = amp * dir[a] / dn;
            }
        }
        // uptake
        double gm = u(r, 1.0, 1.25);
        double wm = u(r, 0.7, 0.95);
        double csf = u(r, 0.2, 0.5);
        double thal = u(r, 1.2, 1.6);
        double pons = u(r, 1.2, 1.7);
        double skull = u(r, 0.05, 0.2);
        double scalp = u(r, 0.2, 0.6);
        double boneMu = u(r, 1.5, 1.9);
        double skullMm = u(r, 5, 9);
        double scalpMm = u(r, 4, 8);
        // binding
        double age = u(r, 40, 85);
        double decline = u(r, binding.declineMin(), binding.declineMax());
        double put60 = clip(binding.mean() + binding.sd() * r.nextGaussian(), binding.min(), binding.max());
        double caud60 = put60 * clip(binding.caudateRatio() + 0.06 * r.nextGaussian(), 0.95, 1.35);
        double ageFactor = 1 - decline * (age - 60) / 10;
        double[] side = {1 + u(r, -0.03, 0.03), 1 + u(r, -0.03, 0.03)};
        DiseasePattern.Loss loss = label == DatSubjectSampler.PARKINSONIAN ? DiseasePattern.Loss.draw(r, disease)
                : DiseasePattern.Loss.NONE;

        // deformed labels and tissue: for each target voxel, its source position in the atlas
        Volume labels = Volume.allocate(grid);
        Volume[] tis = tissue == null ? null : new Volume[] {Volume.allocate(grid), Volume.allocate(grid),
            Volume.allocate(grid)};
        double[][] inv = org.dopaj.image.Affines.invert(grid.affine());
        for (int z = 0; z < nz; z++) {
            float[] lp = labels.plane(z);
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    double[] mm = grid.toMm(x, y, z);
                    double[] src = new double[3];
                    for (int a = 0; a < 3; a++) {
                        src[a] = mm[a] / scale[a];
                    }
                    for (double[] w : waves) {
                        double s = Math.sin(w[0] * mm[0] + w[1] * mm[1] + w[2] * mm[2] + w[3]);
                        for (int a = 0; a < 3; a++) {
                            src[a] += w[4 + a] * s;
                        }
                    }
                    double fi = inv[0][0] * src[0] + inv[0][1] * src[1] + inv[0][2] * src[2] + inv[0][3];
                    double fj = inv[1][0] * src[0] + inv[1][1] * src[1] + inv[1][2] * src[2] + inv[1][3];
                    double fk = inv[2][0] * src[0] + inv[2][1] * src[1] + inv[2][2] * src[2] + inv[2][3];
                    int i = x + y * nx;
                    int ri = (int) Math.round(fi);
                    int rj = (int) Math.round(fj);
                    int rk = (int) Math.round(fk);
                    if (ri >= 0 && rj >= 0 && rk >= 0 && ri < nx && rj < ny && rk < nz) {
                        lp[i] = atlas.get(ri, rj, rk);
                    }
                    if (tis != null) {
                        for (int c = 0; c < 3; c++) {
                            tis[c].plane(z)[i] = trilinear(tissue[c], fi, fj, fk);
                        }
                    }
                }
            }
        }
        // brain outline: tissue (or any label), closed and filled; shells of skull and scalp around it
        Volume brain = Volume.allocate(grid);
        for (int z = 0; z < nz; z++) {
            float[] b = brain.plane(z);
            float[] lp = labels.plane(z);
            for (int i = 0; i < b.length; i++) {
                double t = tis == null ? (lp[i] > 0 ? 1 : 0) : tis[0].plane(z)[i] + tis[1].plane(z)[i]
                        + tis[2].plane(z)[i];
                b[i] = t > 0.5 ? 1 : 0;
            }
        }
        brain = Components.fillHoles(Components.close(brain, 6), 6);
        Volume skullShell = Components.dilate(brain, skullMm);
        Volume head = Components.dilate(skullShell, scalpMm);
        // putamen antero-posterior extents (after deformation)
        double[][] yExt = {{Double.MAX_VALUE, -Double.MAX_VALUE}, {Double.MAX_VALUE, -Double.MAX_VALUE}};
        for (int z = 0; z < nz; z++) {
            float[] lp = labels.plane(z);
            for (int i = 0; i < lp.length; i++) {
                double[] mm = grid.toMm(i % nx, i / nx, z);
                int s = structure(Math.round(lp[i]), mm[0] < 0);
                if (s >= 2) {
                    yExt[s - 2][0] = Math.min(yExt[s - 2][0], mm[1]);
                    yExt[s - 2][1] = Math.max(yExt[s - 2][1], mm[1]);
                }
            }
        }
        Volume act = Volume.allocate(grid);
        Volume mu = Volume.allocate(grid);
        for (int z = 0; z < nz; z++) {
            float[] lp = labels.plane(z);
            float[] b = brain.plane(z);
            float[] sk = skullShell.plane(z);
            float[] hd = head.plane(z);
            float[] a = act.plane(z);
            float[] m = mu.plane(z);
            for (int i = 0; i < a.length; i++) {
                double[] mm = grid.toMm(i % nx, i / nx, z);
                boolean left = mm[0] < 0;
                int l = Math.round(lp[i]);
                double val;
                if (b[i] > 0) {
                    if (tis != null) {
                        double g = tis[1].plane(z)[i];
                        double w = tis[2].plane(z)[i];
                        double c = tis[0].plane(z)[i];
                        double sum = g + w + c;
                        val = sum > 1e-3 ? (gm * g + wm * w + csf * c) / Math.max(1, sum) + csf * Math.max(0, 1 - sum)
                                : csf;
                    } else {
                        val = l > 0 ? 1.1 : 1.0;
                    }
                    boolean th = thalamus.length > 0 ? isThalamus(l)
                            : (left ? THALAMUS_R.mirrorX() : THALAMUS_R).contains(mm[0], mm[1], mm[2]);
                    if (th) {
                        val = thal;
                    } else if (MIDBRAIN_PONS.contains(mm[0], mm[1], mm[2])) {
                        val = pons;
                    }
                    int s = structure(l, left);
                    if (s == 0 || s == 1) {
                        val = 1 + caud60 * ageFactor * side[s] * (1 - loss.caudate(s == 0));
                    } else if (s >= 2) {
                        double[] e = yExt[s - 2];
                        double t = (e[1] - mm[1]) / Math.max(1, e[1] - e[0]);
                        val = 1 + put60 * ageFactor * side[s - 2] * (1 - loss.putamen(s == 2, t));
                    }
                    m[i] = 1;
                } else if (sk[i] > 0) {
                    val = skull;
                    m[i] = (float) boneMu;
                } else if (hd[i] > 0) {
                    val = scalp;
                    m[i] = 1;
                } else {
                    val = 0;
                }
                a[i] = (float) val;
            }
        }
        Map<String, Object> par = new LinkedHashMap<>();
        par.put("synthetic", true);
        par.put("seed", seed);
        par.put("label", label == DatSubjectSampler.PARKINSONIAN ? "parkinsonian" : "normal");
        par.put("severity", loss.severity());
        par.put("loss", loss.toMap());
        par.put("age", age);
        par.put("age_decline_per_decade", decline);
        par.put("caudate_binding_at_60", caud60);
        par.put("putamen_binding_at_60", put60);
        par.put("anatomy_scale", java.util.List.of(scale[0], scale[1], scale[2]));
        par.put("uptake_gm_wm_csf", java.util.List.of(gm, wm, csf));
        par.put("uptake_thalamus_pons", java.util.List.of(thal, pons));
        return new Phantom(seed, label, label == DatSubjectSampler.PARKINSONIAN ? loss.severity() : 0, age, act, mu,
                par);
    }

    /** Trilinear sample of {@code v} at voxel position (fi, fj, fk); 0 outside. */
    private static float trilinear(Volume v, double fi, double fj, double fk) {
        int i0 = (int) Math.floor(fi);
        int j0 = (int) Math.floor(fj);
        int k0 = (int) Math.floor(fk);
        if (i0 < 0 || j0 < 0 || k0 < 0 || i0 + 1 >= v.nx() || j0 + 1 >= v.ny() || k0 + 1 >= v.nz()) {
            return 0;
        }
        double a = fi - i0;
        double b = fj - j0;
        double c = fk - k0;
        int nx = v.nx();
        float[] p0 = v.plane(k0);
        float[] p1 = v.plane(k0 + 1);
        int q = i0 + j0 * nx;
        double v0 = (1 - a) * (1 - b) * p0[q] + a * (1 - b) * p0[q + 1] + (1 - a) * b * p0[q + nx] + a * b * p0[q + nx + 1];
        double v1 = (1 - a) * (1 - b) * p1[q] + a * (1 - b) * p1[q + 1] + (1 - a) * b * p1[q + nx] + a * b * p1[q + nx + 1];
        return (float) ((1 - c) * v0 + c * v1);
    }

    private static double u(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    private static double clip(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
