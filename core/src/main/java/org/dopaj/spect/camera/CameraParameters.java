package org.dopaj.spect.camera;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.DopajException;

/**
 * One DaT-SPECT protocol: acquisition physics, camera and reconstruction, in physical units. Build with
 * {@link #builder()} (defaults: a typical clinical 123I-FP-CIT study) or draw one with {@link #random}. The constructor
 * accepts values well beyond the clinical ranges quoted below (tests use small matrices and few angles), and refuses
 * only the impossible or contradictory.
 *
 * @param angles                 number of projection angles over 360° (clinical: 120 or 128, i.e. 3° or 2.8° steps)
 * @param radiusMm               radius of rotation: rotation axis to collimator face, mm (clinical 130–170)
 * @param collimator             collimator, which sets the depth-dependent resolution
 * @param muTissuePerCm          narrow-beam linear attenuation coefficient of brain/soft tissue at 159 keV, 1/cm
 *                               (water 0.148, brain ≈ 0.15; 0.11–0.12 is the "broad-beam" value that lumps scatter
 *                               in, which we simulate separately). Used by {@link SpectCamera#muMap} to build a μ map.
 * @param muBonePerCm            attenuation of skull bone at 159 keV, 1/cm (cortical bone ≈ 0.27, skull with diploë
 *                               0.20–0.25); used by {@link SpectCamera#muMap} where a bone mask is given
 * @param scatterFraction        Compton scatter counts in the 159 keV window relative to primary counts (0.2–0.45
 *                               for brain with a 15–20 % window)
 * @param scatterFwhmMm          FWHM of the Gaussian kernel that spreads the scatter over the projection, mm
 * @param penetrationFraction    septal penetration and down-scatter of 123I's high-energy photons (529 keV and
 *                               others, ≈ 3 % of emissions) relative to primary counts: 0.1–0.3 with LEHR, a few % with
 *                               ME collimators (Dobbeleir 1999; Inoue 2003)
 * @param penetrationFwhmMm      FWHM of the very broad kernel of that component, mm (100–250)
 * @param totalCounts            expected counts in all projections together (clinical 1–4 million)
 * @param poissonNoise           draw Poisson counts (false: the noiseless expectation, e.g. for targets or tests)
 * @param reconstruction         FBP or OSEM
 * @param butterworthOrder       order n of the Butterworth window 1/√(1 + (f/fc)^2n) (FBP; clinical 5–10)
 * @param butterworthCutoffPerCm cut-off frequency fc of the Butterworth window in cycles/cm (FBP; clinical 0.3–0.7).
 *                               Applied in both directions of each projection (transaxial with the ramp, and
 *                               axially), as the usual 2D pre-filter.
 * @param iterations             OSEM iterations (each a pass over all subsets)
 * @param subsets                OSEM subsets of interleaved angles (clinical schemes 2×10 … 8×8)
 * @param resolutionRecovery     OSEM models the collimator's depth-dependent blur in its projector
 * @param attenuationCorrection  NONE, CHANG (FBP or after OSEM) or MODELLED (OSEM, with the true μ map)
 * @param changMuPerCm           uniform μ of Chang's correction, 1/cm (EANM/SNMMI: broad-beam ≈ 0.11, range 0.10–0.14)
 * @param changOutline           where Chang's outline comes from
 * @param changThreshold         for {@link ChangOutline#EMISSION}: fraction of the image maximum that defines the
 *                               outline (0.1–0.25)
 * @param postFilterFwhmMm       3D Gaussian post-filter FWHM in mm (0 = none; clinical OSEM 0–18)
 * @param voxelMm                projection bin size = reconstruction voxel size (cubic voxels), mm (clinical 2.2–4.7,
 *                               EANM: 3.5–4.5)
 * @param matrix                 projection and reconstruction matrix (transaxial; 128 clinically; even)
 */
public record CameraParameters(int angles, double radiusMm, Collimator collimator, double muTissuePerCm,
                               double muBonePerCm, double scatterFraction, double scatterFwhmMm,
                               double penetrationFraction, double penetrationFwhmMm, double totalCounts,
                               boolean poissonNoise, Reconstruction reconstruction, int butterworthOrder,
                               double butterworthCutoffPerCm, int iterations, int subsets, boolean resolutionRecovery,
                               AttenuationCorrection attenuationCorrection, double changMuPerCm,
                               ChangOutline changOutline, double changThreshold, double postFilterFwhmMm,
                               double voxelMm, int matrix) {

    public CameraParameters {
        check(angles >= 4 && angles <= 1024, "angles must be 4…1024, got " + angles);
        check(radiusMm >= 50 && radiusMm <= 500, "radius of rotation must be 50…500 mm, got " + radiusMm);
        check(collimator != null, "collimator is missing");
        check(muTissuePerCm >= 0 && muTissuePerCm <= 1, "tissue μ must be 0…1 /cm, got " + muTissuePerCm);
        check(muBonePerCm >= 0 && muBonePerCm <= 1, "bone μ must be 0…1 /cm, got " + muBonePerCm);
        check(scatterFraction >= 0 && scatterFraction <= 2, "scatter fraction must be 0…2, got " + scatterFraction);
        check(scatterFwhmMm >= 10 && scatterFwhmMm <= 1000, "scatter kernel FWHM must be 10…1000 mm, got "
                + scatterFwhmMm);
        check(penetrationFraction >= 0 && penetrationFraction <= 2, "penetration fraction must be 0…2, got "
                + penetrationFraction);
        check(penetrationFwhmMm >= 10 && penetrationFwhmMm <= 2000, "penetration kernel FWHM must be 10…2000 mm, got "
                + penetrationFwhmMm);
        check(totalCounts >= 100 && totalCounts <= 1e10, "total counts must be 100…1e10, got " + totalCounts);
        check(reconstruction != null, "reconstruction is missing");
        check(butterworthOrder >= 1 && butterworthOrder <= 20, "Butterworth order must be 1…20, got "
                + butterworthOrder);
        check(butterworthCutoffPerCm > 0 && butterworthCutoffPerCm <= 20, "Butterworth cut-off must be > 0 and ≤ 20 "
                + "cycles/cm, got " + butterworthCutoffPerCm);
        check(iterations >= 1 && iterations <= 200, "OSEM iterations must be 1…200, got " + iterations);
        check(subsets >= 1 && subsets <= angles, "OSEM subsets must be 1…angles (" + angles + "), got " + subsets);
        check(attenuationCorrection != null, "attenuation correction is missing");
        check(!(attenuationCorrection == AttenuationCorrection.MODELLED && reconstruction == Reconstruction.FBP),
                "attenuation correction MODELLED needs OSEM (FBP takes NONE or CHANG)");
        check(!(resolutionRecovery && reconstruction == Reconstruction.FBP), "resolution recovery needs OSEM");
        check(changMuPerCm >= 0 && changMuPerCm <= 1, "Chang μ must be 0…1 /cm, got " + changMuPerCm);
        check(changOutline != null, "Chang outline is missing");
        check(changThreshold > 0 && changThreshold < 1, "Chang threshold must be in (0, 1), got " + changThreshold);
        check(postFilterFwhmMm >= 0 && postFilterFwhmMm <= 50, "post-filter FWHM must be 0…50 mm, got "
                + postFilterFwhmMm);
        check(voxelMm >= 1 && voxelMm <= 10, "voxel size must be 1…10 mm, got " + voxelMm);
        check(matrix >= 16 && matrix <= 512 && matrix % 2 == 0, "matrix must be even, 16…512, got " + matrix);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new DopajException("camera: " + message);
        }
    }

    /** A builder starting from the defaults of {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these parameters. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Angle step in degrees. */
    public double angleStepDeg() {
        return 360.0 / angles;
    }

    /** True when {@code o} describes the same acquisition (everything up to and including the counts and noise). */
    public boolean sameAcquisition(CameraParameters o) {
        return angles == o.angles && radiusMm == o.radiusMm && collimator == o.collimator
                && muTissuePerCm == o.muTissuePerCm && muBonePerCm == o.muBonePerCm
                && scatterFraction == o.scatterFraction && scatterFwhmMm == o.scatterFwhmMm
                && penetrationFraction == o.penetrationFraction && penetrationFwhmMm == o.penetrationFwhmMm
                && totalCounts == o.totalCounts && poissonNoise == o.poissonNoise && voxelMm == o.voxelMm
                && matrix == o.matrix;
    }

    /**
     * Draws a plausible clinical 123I-FP-CIT protocol (each value independently unless said):
     * <ul>
     *   <li>angles 120 (70 %) or 128 (30 %); radius of rotation U(130, 170) mm;</li>
     *   <li>collimator LEHR (65 %) or ME (35 %);</li>
     *   <li>tissue μ U(0.13, 0.15) /cm (narrow beam: scatter is simulated apart), bone μ U(0.20, 0.27) /cm;</li>
     *   <li>scatter fraction U(0.20, 0.45), kernel FWHM U(40, 80) mm; penetration fraction U(0.08, 0.25) with LEHR,
     *   U(0, 0.04) with ME, kernel FWHM U(100, 250) mm;</li>
     *   <li>total counts log-uniform in [1, 4] million, Poisson noise;</li>
     *   <li>voxel U(3.0, 4.7) mm (90 %) or U(2.2, 3.0) mm (10 %, zoomed acquisitions); matrix 128;</li>
     *   <li>FBP (40 %): Butterworth order 5…10 (uniform integer), cut-off U(0.3, 0.7) cycles/cm; attenuation
     *   correction Chang (80 %) or none; no post-filter;</li>
     *   <li>OSEM (60 %): iterations×subsets one of 2×10, 3×10, 4×8, 4×10, 5×8, 6×8, 8×8 (uniform); resolution
     *   recovery 50 %; attenuation Chang after reconstruction (55 %), modelled (25 %) or none (20 %); Gaussian
     *   post-filter none (15 %) or U(4, 18) mm;</li>
     *   <li>Chang: μ U(0.10, 0.14) /cm; outline from the emission image (75 %, threshold U(0.10, 0.25) of the
     *   maximum) or the true body outline (25 %).</li>
     * </ul>
     */
    public static CameraParameters random(SplittableRandom r) {
        Builder b = builder();
        b.angles(r.nextDouble() < 0.7 ? 120 : 128);
        b.radiusMm(u(r, 130, 170));
        Collimator col = r.nextDouble() < 0.65 ? Collimator.LEHR : Collimator.ME;
        b.collimator(col);
        b.muTissuePerCm(u(r, 0.13, 0.15));
        b.muBonePerCm(u(r, 0.20, 0.27));
        b.scatter(u(r, 0.20, 0.45), u(r, 40, 80));
        b.penetration(col == Collimator.LEHR ? u(r, 0.08, 0.25) : u(r, 0, 0.04), u(r, 100, 250));
        b.totalCounts(Math.exp(u(r, Math.log(1e6), Math.log(4e6))));
        b.poissonNoise(true);
        b.voxelMm(r.nextDouble() < 0.9 ? u(r, 3.0, 4.7) : u(r, 2.2, 3.0));
        b.matrix(128);
        b.changMuPerCm(u(r, 0.10, 0.14));
        b.changOutline(r.nextDouble() < 0.75 ? ChangOutline.EMISSION : ChangOutline.MU_MAP);
        b.changThreshold(u(r, 0.10, 0.25));
        boolean fbp = r.nextDouble() < 0.4;
        if (fbp) {
            b.reconstruction(Reconstruction.FBP);
            b.butterworth(5 + r.nextInt(6), u(r, 0.3, 0.7));
            b.attenuationCorrection(r.nextDouble() < 0.8 ? AttenuationCorrection.CHANG : AttenuationCorrection.NONE);
            b.resolutionRecovery(false);
            b.postFilterFwhmMm(0);
        } else {
            b.reconstruction(Reconstruction.OSEM);
            int[][] schemes = {{2, 10}, {3, 10}, {4, 8}, {4, 10}, {5, 8}, {6, 8}, {8, 8}};
            int[] s = schemes[r.nextInt(schemes.length)];
            b.osem(s[0], s[1]);
            b.resolutionRecovery(r.nextBoolean());
            double ac = r.nextDouble();
            b.attenuationCorrection(ac < 0.55 ? AttenuationCorrection.CHANG
                    : ac < 0.80 ? AttenuationCorrection.MODELLED : AttenuationCorrection.NONE);
            b.postFilterFwhmMm(r.nextDouble() < 0.15 ? 0 : u(r, 4, 18));
        }
        return b.build();
    }

    private static double u(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }

    /** The parameters for a JSON sidecar (snake_case keys, units in the names; settings of the other algorithm left out). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("angles", angles);
        m.put("arc_deg", 360);
        m.put("radius_of_rotation_mm", radiusMm);
        m.put("collimator", collimator.name());
        m.put("collimator_fwhm_at_100mm_mm", collimator.fwhmMm(100));
        m.put("mu_tissue_per_cm", muTissuePerCm);
        m.put("mu_bone_per_cm", muBonePerCm);
        m.put("scatter_fraction", scatterFraction);
        m.put("scatter_fwhm_mm", scatterFwhmMm);
        m.put("penetration_fraction", penetrationFraction);
        m.put("penetration_fwhm_mm", penetrationFwhmMm);
        m.put("total_counts", totalCounts);
        m.put("poisson_noise", poissonNoise);
        m.put("voxel_mm", voxelMm);
        m.put("matrix", matrix);
        m.put("reconstruction", reconstruction.name());
        if (reconstruction == Reconstruction.FBP) {
            m.put("butterworth_order", butterworthOrder);
            m.put("butterworth_cutoff_cycles_per_cm", butterworthCutoffPerCm);
        } else {
            m.put("iterations", iterations);
            m.put("subsets", subsets);
            m.put("resolution_recovery", resolutionRecovery);
        }
        m.put("attenuation_correction", attenuationCorrection.name());
        if (attenuationCorrection == AttenuationCorrection.CHANG) {
            m.put("chang_mu_per_cm", changMuPerCm);
            m.put("chang_outline", changOutline.name().toLowerCase(Locale.ROOT));
            if (changOutline == ChangOutline.EMISSION) {
                m.put("chang_threshold", changThreshold);
            }
        }
        m.put("post_filter_fwhm_mm", postFilterFwhmMm);
        return m;
    }

    /**
     * Builder. Defaults: 120 angles, radius 150 mm, LEHR, tissue μ 0.148 /cm (water, narrow beam), bone μ 0.23 /cm,
     * scatter fraction 0.3 (FWHM 60 mm), penetration 0.15 (FWHM 150 mm), 2 million counts with Poisson noise,
     * OSEM 4 iterations × 8 subsets without resolution recovery, Chang (μ 0.11 /cm, emission outline at 15 % of the
     * maximum), Gaussian post-filter 8 mm, Butterworth (for FBP) order 8 cut-off 0.5 cycles/cm, 3.9 mm voxels,
     * matrix 128.
     */
    public static final class Builder {
        private int angles = 120;
        private double radius = 150;
        private Collimator collimator = Collimator.LEHR;
        private double muTissue = 0.148;
        private double muBone = 0.23;
        private double scatterFraction = 0.3;
        private double scatterFwhm = 60;
        private double penetrationFraction = 0.15;
        private double penetrationFwhm = 150;
        private double counts = 2e6;
        private boolean noise = true;
        private Reconstruction reconstruction = Reconstruction.OSEM;
        private int bwOrder = 8;
        private double bwCutoff = 0.5;
        private int iterations = 4;
        private int subsets = 8;
        private boolean rr = false;
        private AttenuationCorrection ac = AttenuationCorrection.CHANG;
        private double changMu = 0.11;
        private ChangOutline outline = ChangOutline.EMISSION;
        private double changThreshold = 0.15;
        private double postFilter = 8;
        private double voxel = 3.9;
        private int matrix = 128;

        Builder() {
        }

        Builder(CameraParameters p) {
            angles = p.angles;
            radius = p.radiusMm;
            collimator = p.collimator;
            muTissue = p.muTissuePerCm;
            muBone = p.muBonePerCm;
            scatterFraction = p.scatterFraction;
            scatterFwhm = p.scatterFwhmMm;
            penetrationFraction = p.penetrationFraction;
            penetrationFwhm = p.penetrationFwhmMm;
            counts = p.totalCounts;
            noise = p.poissonNoise;
            reconstruction = p.reconstruction;
            bwOrder = p.butterworthOrder;
            bwCutoff = p.butterworthCutoffPerCm;
            iterations = p.iterations;
            subsets = p.subsets;
            rr = p.resolutionRecovery;
            ac = p.attenuationCorrection;
            changMu = p.changMuPerCm;
            outline = p.changOutline;
            changThreshold = p.changThreshold;
            postFilter = p.postFilterFwhmMm;
            voxel = p.voxelMm;
            matrix = p.matrix;
        }

        public Builder angles(int v) { angles = v; return this; }
        public Builder radiusMm(double v) { radius = v; return this; }
        public Builder collimator(Collimator v) { collimator = v; return this; }
        public Builder muTissuePerCm(double v) { muTissue = v; return this; }
        public Builder muBonePerCm(double v) { muBone = v; return this; }
        /** Scatter fraction and the FWHM (mm) of its kernel. */
        public Builder scatter(double fraction, double fwhmMm) { scatterFraction = fraction; scatterFwhm = fwhmMm; return this; }
        /** Septal penetration fraction and the FWHM (mm) of its kernel. */
        public Builder penetration(double fraction, double fwhmMm) { penetrationFraction = fraction; penetrationFwhm = fwhmMm; return this; }
        public Builder totalCounts(double v) { counts = v; return this; }
        public Builder poissonNoise(boolean v) { noise = v; return this; }
        public Builder reconstruction(Reconstruction v) { reconstruction = v; return this; }
        /** Butterworth order and cut-off (cycles/cm) for FBP. */
        public Builder butterworth(int order, double cutoffPerCm) { bwOrder = order; bwCutoff = cutoffPerCm; return this; }
        /** OSEM iterations and subsets. */
        public Builder osem(int iter, int subs) { iterations = iter; subsets = subs; return this; }
        public Builder resolutionRecovery(boolean v) { rr = v; return this; }
        public Builder attenuationCorrection(AttenuationCorrection v) { ac = v; return this; }
        public Builder changMuPerCm(double v) { changMu = v; return this; }
        public Builder changOutline(ChangOutline v) { outline = v; return this; }
        public Builder changThreshold(double v) { changThreshold = v; return this; }
        public Builder postFilterFwhmMm(double v) { postFilter = v; return this; }
        public Builder voxelMm(double v) { voxel = v; return this; }
        public Builder matrix(int v) { matrix = v; return this; }

        public CameraParameters build() {
            return new CameraParameters(angles, radius, collimator, muTissue, muBone, scatterFraction, scatterFwhm,
                    penetrationFraction, penetrationFwhm, counts, noise, reconstruction, bwOrder, bwCutoff, iterations,
                    subsets, rr, ac, changMu, outline, changThreshold, postFilter, voxel, matrix);
        }
    }
}
