package org.dopaj.msa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.registration.AffineTransform;
import org.dopaj.registration.DisplacementField;
import org.dopaj.registration.Registration;

/**
 * Grey-matter density (GD) from a T1-weighted head by a VBM-style recipe, the input of the MSA-vs-PD classifier:
 *
 * <ol>
 *   <li><b>Normalisation</b>: the T1 is registered to the MNI152 2 mm T1 head ({@link MniTemplates}) with
 *   {@link Registration#register} — NCC, rigid then affine on 8 and 4 mm levels with the ±20° multi-start, then the
 *   smooth non-linear refinement (cosine/DCT displacement field; 4 terms per axis with membrane regularisation 0.1,
 *   else 3 terms with 1, else 3 with 10 — the first warp that passes the no-folding check; affine alone when none
 *   does, with a note); the registration's quality check must pass.</li>
 *   <li><b>Segmentation</b> in the subject's space (its own grid, or 1.5 mm when it has more than 8 M voxels): the
 *   template's FAST CSF/GM/WM maps, warped back through the registration, are the spatial priors (floor 0.01) of a
 *   three-class Gaussian mixture of the T1 intensities, fitted by EM (20 iterations) inside the warped brain mask
 *   (template mask &gt; 0.5, or tissue prior sum &gt; 0.2). The GM posterior is the subject's GM fraction.</li>
 *   <li><b>Modulation</b>: the GM map is resampled onto the MNI grid through the same transform and multiplied by
 *   the Jacobian determinant of the template-to-subject map (affine × (I + ∇u)), so that GD is GM volume per
 *   template voxel (a smaller putamen is a lower GD, as in SPM's modulated maps).</li>
 *   <li><b>Smoothing</b>: Gaussian, 8 mm FWHM.</li>
 * </ol>
 * No bias-field correction: a strongly inhomogeneous T1 should be corrected (e.g. N4) first. Volumes of GM, WM and
 * CSF in mL (in the brain mask) are reported as a plausibility check.
 */
public final class GmDensity {
    /** Smoothing of the recipe (FWHM, mm). */
    public static final double FWHM_MM = MsaPhantom.GD_FWHM_MM;
    static final int EM_ITERATIONS = 20;
    static final long MAX_WORK_VOXELS = 8_000_000L;

    /**
     * The outputs: GD (modulated, smoothed) and the modulated GM before smoothing on the MNI 2 mm grid; the GM
     * posterior on the working grid in subject space; tissue volumes; the registration.
     */
    public record Result(Volume gd, Volume gmModulated, Volume gmNative, double gmMl, double wmMl, double csfMl,
                         double[] classMeans, Registration.Result registration, List<String> notes) {
    }

    private GmDensity() {
    }

    /** Non-linear settings tried in turn (cosine terms per axis, regularisation) until the warp passes its checks. */
    static final double[][] NONLINEAR_TRIES = {{4, 0.1}, {3, 1}, {3, 10}};

    /** The registration options of step 1 with non-linear setting {@code k} of {@link #NONLINEAR_TRIES}. */
    public static Registration.Options registrationOptions(int k) {
        return Registration.Options.defaults().withNonlinear(true, (int) NONLINEAR_TRIES[k][0], NONLINEAR_TRIES[k][1]);
    }

    /**
     * Step 1: the non-linear settings of {@link #NONLINEAR_TRIES} in turn, the first whose warp passes the quality
     * check (no folding) wins; when none does, the affine registration alone (and a note says so).
     */
    static Registration.Result normalise(Volume t1, Volume template, List<String> notes) {
        Registration.Result last = null;
        for (int k = 0; k < NONLINEAR_TRIES.length; k++) {
            last = Registration.register(t1, template, registrationOptions(k));
            if (last.quality().ok()) {
                notes.add(String.format(Locale.ROOT, "non-linear normalisation: %d cosine terms per axis, regularisation"
                        + " %g", (int) NONLINEAR_TRIES[k][0], NONLINEAR_TRIES[k][1]));
                return last;
            }
        }
        Registration.Result affine = Registration.register(t1, template, Registration.Options.defaults());
        affine.requireOk("the MNI152 T1 template", "is this a T1-weighted head?");
        notes.add("affine normalisation only: every non-linear warp failed its check (" + last.quality().reason() + ")");
        return affine;
    }

    /** Runs the recipe on a 3D T1 head. */
    public static Result run(Volume t1, MniTemplates t) {
        if (t1.is4D()) {
            throw new DopajException("T1 must be 3D, got " + t1.nt() + " frames");
        }
        String bad = t1.firstNonFinite();
        if (bad != null) {
            throw new DopajException("T1 has a non-finite value at " + bad);
        }
        List<String> notes = new ArrayList<>();
        Registration.Result reg = normalise(t1, t.t1(), notes);
        notes.add(String.format(Locale.ROOT, "registered to MNI152 T1 2 mm: NCC %.3f, %d ms", reg.ncc(),
                reg.elapsedMs()));
        Volume work = t1;
        if (t1.grid().voxelCount() > MAX_WORK_VOXELS) {
            work = Resample.toVoxelSize(t1, 1.5, 1.5, 1.5, Resample.Interpolation.LINEAR, 0);
            notes.add("segmented on a 1.5 mm copy (" + t1.grid().voxelCount() + " voxels in the input)");
        }
        Grid wg = work.grid();
        Volume[] prior = new Volume[3];
        Volume[] src = {t.csf(), t.gm(), t.wm()};
        for (int k = 0; k < 3; k++) {
            prior[k] = reg.toMoving(src[k], wg, Resample.Interpolation.LINEAR, 0);
        }
        Volume maskW = reg.toMoving(t.brainMask(), wg, Resample.Interpolation.LINEAR, 0);
        int n = (int) wg.voxelCount();
        float[] img = work.toArray();
        float[][] pr = new float[3][];
        for (int k = 0; k < 3; k++) {
            pr[k] = prior[k].toArray();
        }
        float[] mk = maskW.toArray();
        boolean[] in = new boolean[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            in[i] = mk[i] > 0.5f || pr[0][i] + pr[1][i] + pr[2][i] > 0.2f;
            count += in[i] ? 1 : 0;
        }
        if (count < 1000) {
            throw new DopajException("the warped brain mask holds only " + count + " voxels: not a head in view");
        }
        Mixture mix = em(img, pr, in);
        float[][] post = mix.posteriors();
        double[] means = mix.means();
        double vox = wg.voxelVolumeMm3() / 1000.0;
        double[] ml = new double[3];
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < n; i++) {
                ml[k] += post[k][i] * vox;
            }
        }
        Volume gmNative = Volume.of(wg, post[1]);
        Volume gmMni = reg.toFixed(gmNative, Resample.Interpolation.LINEAR, 0);
        Volume jac = jacobian(reg, gmMni.grid());
        for (int z = 0; z < gmMni.nz(); z++) {
            float[] p = gmMni.plane(z);
            float[] j = jac.plane(z);
            for (int i = 0; i < p.length; i++) {
                p[i] *= j[i];
            }
        }
        Volume gd = Gaussian.smooth(gmMni, FWHM_MM);
        notes.add(String.format(Locale.ROOT, "GM %.0f mL, WM %.0f mL, CSF %.0f mL", ml[1], ml[2], ml[0]));
        return new Result(gd, gmMni, gmNative, ml[1], ml[2], ml[0], means, reg, notes);
    }

    /** Posteriors per class (0 outside the mask) and the class means. */
    record Mixture(float[][] posteriors, double[] means) {
    }

    /** EM of a Gaussian mixture with spatial priors. */
    static Mixture em(float[] img, float[][] prior, boolean[] in) {
        int n = img.length;
        int k = prior.length;
        double[][] p = new double[k][];
        float[][] post = new float[k][n];
        double[] mu = new double[k];
        double[] var = new double[k];
        double[] mix = new double[k];
        // initial responsibilities = priors
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < n; i++) {
                if (in[i]) {
                    post[c][i] = Math.max(0.01f, prior[c][i]);
                }
            }
        }
        normalise(post, in);
        for (int it = 0; it <= EM_ITERATIONS; it++) {
            for (int c = 0; c < k; c++) {
                double sw = 0;
                double s = 0;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    if (in[i]) {
                        double w = post[c][i];
                        sw += w;
                        s += w * img[i];
                        ss += w * img[i] * (double) img[i];
                    }
                }
                mu[c] = s / Math.max(1e-12, sw);
                var[c] = Math.max(1e-6 * (mu[c] * mu[c] + 1), ss / Math.max(1e-12, sw) - mu[c] * mu[c]);
                mix[c] = sw;
            }
            if (it == EM_ITERATIONS) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (!in[i]) {
                    continue;
                }
                double tot = 0;
                double[] l = new double[k];
                for (int c = 0; c < k; c++) {
                    double d = img[i] - mu[c];
                    l[c] = Math.max(0.01, prior[c][i]) * Math.exp(-0.5 * d * d / var[c]) / Math.sqrt(var[c]);
                    tot += l[c];
                }
                for (int c = 0; c < k; c++) {
                    post[c][i] = tot > 0 ? (float) (l[c] / tot) : (float) (1.0 / k);
                }
            }
        }
        return new Mixture(post, mu.clone());
    }

    private static void normalise(float[][] post, boolean[] in) {
        for (int i = 0; i < in.length; i++) {
            if (!in[i]) {
                continue;
            }
            float s = 0;
            for (float[] p : post) {
                s += p[i];
            }
            for (float[] p : post) {
                p[i] /= s;
            }
        }
    }

    /**
     * det of the Jacobian of the template → subject map x ↦ A(x + u(x)) at the voxels of {@code g}: det(A)·det(I + ∇u),
     * ∇u by central differences of the field sampled on {@code g}.
     */
    static Volume jacobian(Registration.Result reg, Grid g) {
        AffineTransform a = reg.fixedToMoving();
        double detA = Math.abs(a.determinant());
        Volume j = Volume.allocate(g);
        DisplacementField f = reg.field();
        if (f == null) {
            for (int z = 0; z < g.nz(); z++) {
                java.util.Arrays.fill(j.plane(z), (float) detA);
            }
            return j;
        }
        Volume u = f.toVolume(g);
        double[][] m = g.affine();
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        // voxel steps in mm along each voxel axis (the grids here are axis-aligned; use the column norms)
        double[] step = new double[3];
        int[] axisOf = new int[3];
        for (int c = 0; c < 3; c++) {
            int best = 0;
            for (int r = 0; r < 3; r++) {
                if (Math.abs(m[r][c]) > Math.abs(m[best][c])) {
                    best = r;
                }
            }
            axisOf[c] = best;
            step[c] = m[best][c];
        }
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    double[][] grad = new double[3][3]; // grad[d][a] = ∂u_d / ∂x_a (mm axes)
                    int[] c = {x, y, z};
                    int[] n = {nx, ny, nz};
                    for (int v = 0; v < 3; v++) {
                        int lo = Math.max(0, c[v] - 1);
                        int hi = Math.min(n[v] - 1, c[v] + 1);
                        if (hi == lo) {
                            continue;
                        }
                        int[] cl = c.clone();
                        int[] ch = c.clone();
                        cl[v] = lo;
                        ch[v] = hi;
                        for (int d = 0; d < 3; d++) {
                            double du = u.get(ch[0], ch[1], ch[2], d) - u.get(cl[0], cl[1], cl[2], d);
                            grad[d][axisOf[v]] = du / ((hi - lo) * step[v]);
                        }
                    }
                    double a00 = 1 + grad[0][0];
                    double a11 = 1 + grad[1][1];
                    double a22 = 1 + grad[2][2];
                    double det = a00 * (a11 * a22 - grad[1][2] * grad[2][1])
                            - grad[0][1] * (grad[1][0] * a22 - grad[1][2] * grad[2][0])
                            + grad[0][2] * (grad[1][0] * grad[2][1] - a11 * grad[2][0]);
                    j.set(x, y, z, (float) (detA * Math.max(0.05, det)));
                }
            }
        }
        return j;
    }
}
