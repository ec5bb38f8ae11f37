package org.dopaj.spect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.registration.AffineTransform;
import org.dopaj.progress.ProgressListener;
import org.dopaj.registration.Registration;

/**
 * Spatial normalisation of a DaT-SPECT image to DopaJ's template ({@link DatTemplate}) on the MNI152 2 mm grid, so
 * that a camera's reconstruction in scanner space (any orientation, head turned, 2–5 mm voxels) is quantified and
 * classified in the space its VOIs and networks know.
 *
 * <p>Decision: an image on a grid in MNI space — the MNI152 2 mm grid itself, or any axis-aligned grid whose field of
 * view matches the MNI box within {@value #MNI_BOX_TOLERANCE_MM} mm (what SPM, FSL or a vendor's normalisation
 * writes) — whose normalised cross-correlation with the template reaches {@value #ALIGNED_NCC} is taken as already
 * normalised (resampled onto the 2 mm grid when needed). Any other image — a camera's reconstruction in scanner
 * space — is registered: centre of mass, a multi-start over head turns of ±20°, then rigid refinement on 8 and 4 mm
 * levels, maximising NCC with the striatum and 10 mm around it left out of the similarity, so that the disease (a
 * striatum that has lost its uptake) cannot pull the registration ({@link Registration}); then it is resampled into
 * MNI space. Rigid, not affine: on scanner-space twins of real-anatomy phantoms whose brains differ by up to ±7 % per
 * axis, the putamen SBR after rigid registration differed from the MNI original's by 4.0 % (median; affine with the
 * same weights 6.3 %, affine without them 8.7 %; docs/validation/spect-dat-cnn.md): the 12-parameter fit follows the
 * smooth template's outline more than the striatum's position. A registration whose NCC stays below
 * {@value #MIN_REGISTERED_NCC} or whose overlap is too small fails its quality check: an error, never a silent
 * result. {@code register = false} ({@code --no-normalise}) keeps the earlier behaviour for images known to be in
 * MNI space: resampling onto the grid when needed, with a warning when the image does not look aligned with the
 * template.
 */
public final class DatNormaliser {
    /**
     * NCC with the template from which an image on an MNI grid counts as aligned. NCC detects gross misalignment only
     * (measured on `SpectPhantom` stage 0 / 3 at 12 mm: aligned 0.83 / 0.80; moved 10 mm 0.84 / 0.83; turned 10°
     * 0.90 / 0.89; turned 10–12° and moved 27 mm 0.61 / 0.62; turned 15–20° and moved 55 mm 0.24 / 0.24; aligned
     * phantoms of the atlas families 0.70–0.85): an image on a grid in MNI space is trusted to be normalised unless it
     * is far off.
     */
    public static final double ALIGNED_NCC = 0.5;
    /** NCC a registration must reach to pass its quality check. */
    public static final double MIN_REGISTERED_NCC = 0.80;
    /** How far (mm) each face of a grid's field of view may lie from the MNI box's for the grid to count as MNI. */
    public static final double MNI_BOX_TOLERANCE_MM = 25;

    private DatNormaliser() {
    }

    /**
     * An image in MNI space with how it got there.
     *
     * @param mni          the image on the MNI 2 mm grid
     * @param normalised   whether DopaJ registered it to the template
     * @param ncc          normalised cross-correlation with the template (after registration when registered)
     * @param registration the registration, or null when the image was already in MNI space
     * @param warnings     what the user should know
     */
    public record Normalised(Volume mni, boolean normalised, double ncc, Registration.Result registration,
                             List<String> warnings) {
        /** A map on the MNI grid brought onto {@code input}'s grid (through the inverse transform when registered). */
        public Volume toInput(Volume onMni, Grid input) {
            return toInput(onMni, input, Resample.Interpolation.LINEAR);
        }

        /** As {@link #toInput(Volume, Grid)}; NEAREST for label maps such as VOIs. */
        public Volume toInput(Volume onMni, Grid input, Resample.Interpolation interpolation) {
            if (registration != null) {
                return registration.toMoving(onMni, input, interpolation, 0f);
            }
            return input.sameAs(onMni.grid(), 1e-3) ? onMni : Resample.toGrid(onMni, input, interpolation, 0f);
        }

        /** The fields every DaT-SPECT result carries: {@code normalised}, the affines, the registration figures. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("normalised", normalised);
            m.put("template_ncc", round(ncc));
            if (registration != null) {
                m.put("mni_to_image_affine", rows(registration.fixedToMoving()));
                m.put("image_to_mni_affine", rows(registration.movingToFixed()));
                AffineTransform.Parameters p = registration.movingToFixed().decompose();
                Map<String, Object> reg = new LinkedHashMap<>(); // one key order in every JVM (Map.of's is not)
                reg.put("rotation_deg", List.of(round(p.rotationDeg()[0]), round(p.rotationDeg()[1]),
                        round(p.rotationDeg()[2])));
                reg.put("scale", List.of(round(p.scale()[0]), round(p.scale()[1]), round(p.scale()[2])));
                reg.put("overlap", round(registration.overlap()));
                reg.put("iterations", registration.iterations());
                reg.put("milliseconds", registration.elapsedMs());
                m.put("registration", reg);
            }
            return m;
        }

        private static List<List<Double>> rows(AffineTransform t) {
            double[][] a = t.matrix();
            List<List<Double>> out = new ArrayList<>();
            for (int r = 0; r < 3; r++) {
                out.add(List.of(round(a[r][0]), round(a[r][1]), round(a[r][2]), round(a[r][3])));
            }
            return out;
        }

        private static double round(double v) {
            return Math.round(v * 1e4) / 1e4;
        }
    }

    /** Normalises {@code image} (never modified); see the class comment. */
    public static Normalised normalise(Volume image, boolean register, ProgressListener progress) {
        Volume template = DatTemplate.load();
        Grid mni = template.grid();
        List<String> warnings = new ArrayList<>();
        boolean onGrid = image.grid().sameAs(mni, 1e-3);
        Volume inMni = null;
        double ncc = Double.NaN;
        if (onGrid || isMniGrid(image.grid(), mni)) {
            inMni = onGrid ? image : Resample.toGrid(image, mni, Resample.Interpolation.LINEAR, 0f);
            ncc = ncc(inMni, template);
        }
        if (!register) {
            if (inMni == null) {
                inMni = Resample.toGrid(image, mni, Resample.Interpolation.LINEAR, 0f);
                ncc = ncc(inMni, template);
            }
            if (!onGrid) {
                warnings.add("image resampled (trilinear) from " + image.nx() + "×" + image.ny() + "×" + image.nz()
                        + " onto the MNI 2 mm grid; voxels outside its field of view count as 0");
            }
            if (!(ncc >= ALIGNED_NCC)) {
                warnings.add(String.format(Locale.ROOT, "the image does not look aligned with the DaT-SPECT template"
                        + " (NCC %.2f < %.2f) although spatial normalisation was switched off: VOIs may miss the"
                        + " striatum", ncc, ALIGNED_NCC));
            }
            return new Normalised(inMni, false, ncc, null, warnings);
        }
        if (inMni != null && ncc >= ALIGNED_NCC) {
            if (!onGrid) {
                warnings.add("image in MNI space resampled (trilinear) onto the MNI 2 mm grid");
            }
            return new Normalised(inMni, false, ncc, null, warnings);
        }
        if (inMni != null) {
            warnings.add(String.format(Locale.ROOT, "image on an MNI grid but not aligned with the DaT-SPECT template"
                    + " (NCC %.2f < %.2f): registered to it", ncc, ALIGNED_NCC));
        }
        Registration.Options o = Registration.Options.defaults().withModel(Registration.Model.RIGID)
                .withFixedWeight(Weights.OUTSIDE_STRIATUM).withMinNcc(MIN_REGISTERED_NCC);
        Registration.Result r = Registration.register(image, template, o, progress)
                .requireOk("the DaT-SPECT template", "is this a brain DaT-SPECT image with the whole striatum in view?");
        Volume out = r.toFixed(image, Resample.Interpolation.LINEAR, 0f);
        warnings.add(String.format(Locale.ROOT, "image spatially normalised to the DaT-SPECT template by DopaJ"
                + " (rigid, NCC %.3f)", r.ncc()));
        return new Normalised(out, true, r.ncc(), r, warnings);
    }

    /**
     * Whether {@code g} is a grid in MNI space: axis-aligned (any axis order and direction) and its field of view
     * within {@value #MNI_BOX_TOLERANCE_MM} mm of the MNI grid's on every face. A camera's reconstruction covers
     * 300–600 mm around the rotation axis and fails this.
     */
    static boolean isMniGrid(Grid g, Grid mni) {
        double[][] a = g.affine();
        for (int c = 0; c < 3; c++) {
            int nonZero = 0;
            for (int r = 0; r < 3; r++) {
                nonZero += Math.abs(a[r][c]) > 1e-6 * g.voxelMm()[c] ? 1 : 0;
            }
            if (nonZero != 1) {
                return false;
            }
        }
        double[][] bg = box(g);
        double[][] bm = box(mni);
        for (int k = 0; k < 3; k++) {
            if (Math.abs(bg[0][k] - bm[0][k]) > MNI_BOX_TOLERANCE_MM
                    || Math.abs(bg[1][k] - bm[1][k]) > MNI_BOX_TOLERANCE_MM) {
                return false;
            }
        }
        return true;
    }

    /** {min, max} mm corner of a grid's voxel-centre box. */
    private static double[][] box(Grid g) {
        double[] lo = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
        double[] hi = {-Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE};
        for (int c = 0; c < 8; c++) {
            double[] p = g.toMm((c & 1) == 0 ? 0 : g.nx() - 1, (c & 2) == 0 ? 0 : g.ny() - 1,
                    (c & 4) == 0 ? 0 : g.nz() - 1);
            for (int k = 0; k < 3; k++) {
                lo[k] = Math.min(lo[k], p[k]);
                hi[k] = Math.max(hi[k], p[k]);
            }
        }
        return new double[][] {lo, hi};
    }

    /** The registration's weight on the template grid: brain and head, without the striatum and 10 mm around it. */
    static final class Weights {
        static final Volume OUTSIDE_STRIATUM = build();

        private static Volume build() {
            Volume t = DatTemplate.load();
            Volume vois = SpectVois.rasterise(t.grid());
            Volume striatum = Volume.allocate(t.grid());
            for (int z = 0; z < t.nz(); z++) {
                float[] l = vois.plane(z);
                float[] o = striatum.plane(z);
                for (int i = 0; i < l.length; i++) {
                    o[i] = l[i] >= SpectVois.CAUDATE_L && l[i] <= SpectVois.PUTAMEN_POST_R ? 1 : 0;
                }
            }
            striatum = org.dopaj.image.Components.dilate(striatum, 10);
            Volume w = Volume.allocate(t.grid());
            for (int z = 0; z < t.nz(); z++) {
                float[] s = striatum.plane(z);
                float[] tp = t.plane(z);
                float[] o = w.plane(z);
                for (int i = 0; i < o.length; i++) {
                    o[i] = tp[i] > 0.05f && s[i] == 0 ? 1 : 0;
                }
            }
            return w;
        }
    }

    /** Normalised cross-correlation of two volumes on the same grid, over the voxels where the template is > 0.05. */
    static double ncc(Volume a, Volume template) {
        if (!a.grid().sameAs(template.grid(), 1e-3)) {
            throw new DopajException("ncc needs volumes on one grid");
        }
        double sa = 0;
        double st = 0;
        double saa = 0;
        double stt = 0;
        double sat = 0;
        long n = 0;
        for (int z = 0; z < a.nz(); z++) {
            float[] p = a.plane(z);
            float[] t = template.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (t[i] > 0.05f) {
                    sa += p[i];
                    st += t[i];
                    saa += (double) p[i] * p[i];
                    stt += (double) t[i] * t[i];
                    sat += (double) p[i] * t[i];
                    n++;
                }
            }
        }
        double va = saa - sa * sa / n;
        double vt = stt - st * st / n;
        return va > 0 && vt > 0 ? (sat - sa * st / n) / Math.sqrt(va * vt) : 0;
    }
}
