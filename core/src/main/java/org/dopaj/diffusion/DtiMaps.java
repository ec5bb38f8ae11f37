package org.dopaj.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dopaj.DopajException;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.registration.Registration;

/**
 * MD and FA maps of a DWI series, in the subject's space and normalised to the MNI152 2 mm grid.
 *
 * <p>Normalisation: the brain-masked mean b = 0 image (T2-weighted) is registered to the MNI152 T1 brain template by
 * Mattes mutual information (different contrasts), rigid then affine on 8 and 4 mm levels, then the smooth non-linear
 * refinement (3 cosine terms per axis, regularisation 1, else 10; affine alone when both warps fail the no-folding
 * check, with a note); the registration's quality check must pass. MD, FA and the mask are resampled onto the MNI grid
 * (trilinear; mask &gt; 0.5), and MD and FA are set to 0 outside the resampled mask. MD is not modulated (it is a
 * property of the tissue, not an amount of it) and not smoothed (the classifier smooths it, 4 mm).
 */
public final class DtiMaps {
    /** Native maps, the MNI maps (null when not normalised) and notes. */
    public record Result(TensorFit.Maps nativeMaps, Volume mdMni, Volume faMni, Volume maskMni,
                         Registration.Result registration, List<String> notes) {
    }

    static final double[][] NONLINEAR_TRIES = {{3, 1}, {3, 10}};

    private DtiMaps() {
    }

    /** Fits and, when {@code templateBrain} is not null, normalises to its grid. */
    public static Result run(Volume dwi, GradientTable g, TensorFit.MaskMode mode, Volume templateBrain) {
        List<String> notes = new ArrayList<>();
        if (templateBrain != null && TensorFit.isCrop(dwi.grid())) {
            double[] v = dwi.grid().voxelMm();
            throw new DopajException(String.format(Locale.ROOT, "field of view %.0f×%.0f×%.0f mm is too small to"
                    + " normalise to MNI (needs ≥ %.0f mm on every axis); use --native for maps in the DWI's space",
                    dwi.nx() * v[0], dwi.ny() * v[1], dwi.nz() * v[2], TensorFit.HEAD_FOV_MM));
        }
        TensorFit.Maps m = TensorFit.fit(dwi, g, mode);
        notes.add(m.fittedVoxels() + " voxels fitted (weighted least squares)");
        if (templateBrain == null) {
            return new Result(m, null, null, null, null, notes);
        }
        Volume b0 = m.meanB0().copy();
        for (int z = 0; z < b0.nz(); z++) {
            float[] p = b0.plane(z);
            float[] k = m.mask().plane(z);
            for (int i = 0; i < p.length; i++) {
                p[i] *= k[i];
            }
        }
        Registration.Result reg = null;
        for (double[] t : NONLINEAR_TRIES) {
            reg = Registration.register(b0, templateBrain, options().withNonlinear(true, (int) t[0], t[1]));
            if (reg.quality().ok()) {
                notes.add(String.format(Locale.ROOT, "normalised to MNI152 2 mm (mutual information, affine + %d"
                        + " cosine terms per axis, regularisation %s): NCC %.3f", (int) t[0], t[1], reg.ncc()));
                break;
            }
        }
        if (!reg.quality().ok()) {
            String why = reg.quality().reason();
            reg = Registration.register(b0, templateBrain, options());
            reg.requireOk("the MNI152 T1 brain template", "is this a brain DWI?");
            notes.add("affine normalisation only: the non-linear warps failed their check (" + why + ")");
        }
        Volume mask = reg.toFixed(m.mask(), Resample.Interpolation.LINEAR, 0);
        Volume md = reg.toFixed(m.md(), Resample.Interpolation.LINEAR, 0);
        Volume fa = reg.toFixed(m.fa(), Resample.Interpolation.LINEAR, 0);
        for (int z = 0; z < mask.nz(); z++) {
            float[] k = mask.plane(z);
            float[] a = md.plane(z);
            float[] f = fa.plane(z);
            for (int i = 0; i < k.length; i++) {
                k[i] = k[i] > 0.5f ? 1 : 0;
                if (k[i] == 0) {
                    a[i] = 0;
                    f[i] = 0;
                }
            }
        }
        return new Result(m, md, fa, mask, reg, notes);
    }

    static Registration.Options options() {
        return Registration.Options.defaults().withMetric(Registration.Metric.MUTUAL_INFORMATION);
    }
}
