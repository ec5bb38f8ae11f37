package org.dopaj.spect.camera;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;

/**
 * A DaT-SPECT camera and its workstation: projects an activity distribution through the head's attenuation and the
 * collimator, adds scatter, septal penetration and Poisson noise, and reconstructs the projections by FBP or OSEM into
 * a scanner-space image, as a camera workstation would. See the package description for the model.
 *
 * <p>Output grid (scanner space, mm): z is the camera's rotation axis; x and y are transaxial with the rotation
 * axis at x = y = 0, in the middle of the N×N matrix (between voxels N/2 − 1 and N/2, as on a camera whose centre of
 * rotation lies at the matrix centre); slice k lies at z = (rowLo + k − (N−1)/2)·v, where detector row rowLo is the
 * first row holding the object (less a margin of 16 mm or two standard deviations of the collimator blur). Only those
 * rows are recorded and reconstructed, so the image usually has fewer than N slices; the affine says where they lie.
 * FBP fills the matrix's inscribed circle; OSEM reconstructs the head plus 40 mm and leaves 0 beyond.
 * A head placed with the identity {@code patientToScanner} keeps its patient axes, e.g. an MNI (RAS) head comes out
 * RAS, supine head first along the rotation axis, its origin on the axis.
 *
 * <p>Single-threaded by design (except the optional post-filter): run subjects in parallel, one per core.
 */
public final class SpectCamera {
    /** Extra field of view around the object for OSEM, mm (FBP reconstructs the whole matrix). */
    static final double OSEM_EXTRA_MM = 40;

    private SpectCamera() {
    }

    /** Projections as the camera recorded them, for tests and inspection. */
    public record Projections(Volume counts, double[] anglesDeg, double binMm) {
        /**
         * @param counts    plane a = the projection at angle a (ImageJ stack order): x = detector bin (N bins), y =
         *                  detector row (the reconstructed rows only); grid voxel size (bin, row, angle step in
         *                  degrees), affine x, y in scanner mm (x along the bin axis, y = z of the row)
         * @param anglesDeg detector angles: at angle θ the detector lies in direction (cos θ, sin θ, 0) from the
         *                  rotation axis, its bins along (−sin θ, cos θ, 0)
         */
        public Projections {
            anglesDeg = anglesDeg.clone();
        }

        @Override
        public double[] anglesDeg() {
            return anglesDeg.clone();
        }

        /** Sum of all counts. */
        public double total() {
            double s = 0;
            for (float[] p : counts.planes()) {
                for (float v : p) {
                    s += v;
                }
            }
            return s;
        }
    }

    /** A simulated acquisition: projections and the geometry needed to reconstruct them (possibly several ways). */
    public static final class Acquisition {
        final CameraParameters parameters;
        final double[][] patientToScanner;
        final ScannerGeometry geo;
        final double[] anglesRad;
        /** Measured counts per angle, full matrix width: counts[angle][bin][row]. */
        final float[][][] counts;
        /** μ map on the crop (1/cm), null when no μ was given. */
        final float[][] mu;
        private Projections projections;

        Acquisition(CameraParameters parameters, double[][] patientToScanner, ScannerGeometry geo, double[] anglesRad,
                    float[][][] counts, float[][] mu) {
            this.parameters = parameters;
            this.patientToScanner = patientToScanner;
            this.geo = geo;
            this.anglesRad = anglesRad;
            this.counts = counts;
            this.mu = mu;
        }

        public CameraParameters parameters() {
            return parameters;
        }

        /** The rigid patient → scanner transform (a copy). */
        public double[][] patientToScanner() {
            return copy(patientToScanner);
        }

        /** Sum of the recorded counts. */
        public double recordedCounts() {
            double s = 0;
            for (float[][] p : counts) {
                for (float[] r : p) {
                    for (float v : r) {
                        s += v;
                    }
                }
            }
            return s;
        }

        /** The projections as a volume (built on first call). */
        public synchronized Projections projections() {
            if (projections == null) {
                int n = geo.matrix;
                int nz = geo.nz;
                double v = geo.voxelMm;
                double step = parameters.angleStepDeg();
                double half = (n - 1) / 2.0;
                double[][] aff = {{v, 0, 0, -half * v}, {0, v, 0, (geo.rowLo - half) * v}, {0, 0, step, 0},
                    {0, 0, 0, 1}};
                Grid g = new Grid(n, nz, counts.length, new double[]{v, v, step}, aff);
                Volume vol = Volume.allocate(g);
                for (int a = 0; a < counts.length; a++) {
                    float[][] src = counts[a];
                    float[] dst = vol.plane(a);
                    for (int b = 0; b < n; b++) {
                        for (int z = 0; z < nz; z++) {
                            dst[z * n + b] = src[b][z];
                        }
                    }
                }
                double[] deg = new double[anglesRad.length];
                for (int a = 0; a < deg.length; a++) {
                    deg[a] = Math.toDegrees(anglesRad[a]);
                }
                projections = new Projections(vol, deg, v);
            }
            return projections;
        }
    }

    /**
     * A reconstructed study.
     *
     * @param image       the reconstruction on the scanner-space grid (see the class description), in counts-like units
     *                    (projected counts per voxel path; proportional to activity where corrections are exact)
     * @param parameters  the protocol
     * @param acquisition the projections it was made from
     */
    public record Result(Volume image, CameraParameters parameters, Acquisition acquisition) {
        public Projections projections() {
            return acquisition.projections();
        }

        /** The image resampled (trilinear) onto a patient-space grid, e.g. the MNI grid, through the known transform. */
        public Volume inPatientSpace(Grid target) {
            double[][] s2p = Affines.invert(acquisition.patientToScanner);
            Grid g = image.grid().withAffine(Affines.multiply(s2p, image.grid().affine()));
            return Resample.toGrid(image.withGrid(g), target, Resample.Interpolation.LINEAR, 0f);
        }

        /** Parameters, recorded counts and the scanner geometry, for a JSON sidecar. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("camera", "dopaj SpectCamera (rotation-based projector, incremental collimator blur)");
            m.put("parameters", parameters.toMap());
            m.put("recorded_counts", acquisition.recordedCounts());
            m.put("first_row", acquisition.geo.rowLo);
            m.put("slices", acquisition.geo.nz);
            double[][] t = acquisition.patientToScanner;
            m.put("patient_to_scanner", List.of(List.of(t[0][0], t[0][1], t[0][2], t[0][3]),
                    List.of(t[1][0], t[1][1], t[1][2], t[1][3]), List.of(t[2][0], t[2][1], t[2][2], t[2][3])));
            return m;
        }
    }

    /**
     * Simulates the acquisition and reconstructs it.
     *
     * @param activity         relative activity concentration (≥ 0; e.g. brain 1, striatum up to 4) on a patient grid
     * @param mu               linear attenuation coefficients in 1/cm on the same grid (see {@link #muMap}), or null for
     *                         no attenuating medium
     * @param patientToScanner rigid 4×4 transform from patient mm (the grids' space) to scanner mm: where and how the
     *                         head lies in the camera
     * @param noiseSeed        seed of the Poisson noise (same seed, same counts)
     */
    public static Result acquireAndReconstruct(Volume activity, Volume mu, double[][] patientToScanner,
                                               CameraParameters p, long noiseSeed) {
        return reconstruct(acquire(activity, mu, patientToScanner, p, noiseSeed), p);
    }

    /**
     * Simulates the acquisition only (the reconstruction settings of {@code p} are not used): primary projections with
     * attenuation and collimator blur, plus scatter and septal penetration, scaled to the total counts and drawn as
     * Poisson counts. Refused (DopajException) when the activity is empty or negative, μ is outside 0…1 /cm or on
     * another grid, the transform is not rigid, or the head reaches within 5 mm of the collimator (choose a larger
     * radius of rotation or centre the head on the axis). Memory: a few crop-sized float arrays (≈ 1–6 MB each) and
     * the projections (angles × N × rows floats).
     */
    public static Acquisition acquire(Volume activity, Volume mu, double[][] patientToScanner, CameraParameters p,
                                      long noiseSeed) {
        check(activity, mu, patientToScanner);
        double[][] t = copy(patientToScanner);
        ScannerGeometry geo = ScannerGeometry.forObject(activity, mu, t, p.matrix(), p.voxelMm(), p.radiusMm(),
                p.collimator());
        float[][] act = geo.newImage();
        float[][] muCrop = mu == null ? null : geo.newImage();
        geo.sample(activity, mu, t, act, muCrop);
        double[] angles = angles(p.angles());
        Projector proj = new Projector(geo, angles, p.collimator(), p.radiusMm());
        int n = geo.matrix;
        int nz = geo.nz;
        float[][][] e = new float[angles.length][][];
        double sigmaScatter = p.scatterFwhmMm() / Gaussian.FWHM_PER_SIGMA / geo.voxelMm;
        double sigmaPen = p.penetrationFwhmMm() / Gaussian.FWHM_PER_SIGMA / geo.voxelMm;
        DetectorFilters.Work work = new DetectorFilters.Work(n, nz, Math.max(sigmaScatter, sigmaPen));
        float[][] primary = new float[n][nz];
        float[][] att = muCrop == null ? null : proj.newImage();
        double sum = 0;
        for (int a = 0; a < angles.length; a++) {
            float[][] ea = new float[n][nz];
            if (att != null) {
                proj.attenuation(muCrop, a, att);
            }
            proj.forward(act, att, a, ea);
            for (int b = 0; b < n; b++) {
                System.arraycopy(ea[b], 0, primary[b], 0, nz);
            }
            if (p.scatterFraction() > 0) {
                DetectorFilters.addSmoothed(primary, ea, sigmaScatter, p.scatterFraction(), work);
            }
            if (p.penetrationFraction() > 0) {
                DetectorFilters.addSmoothed(primary, ea, sigmaPen, p.penetrationFraction(), work);
            }
            for (float[] r : ea) {
                for (float v : r) {
                    sum += v;
                }
            }
            e[a] = ea;
        }
        if (!(sum > 0)) {
            throw new DopajException("camera: no counts reach the detector (is the activity inside the field of view?)");
        }
        double k = p.totalCounts() / sum;
        SplittableRandom rng = new SplittableRandom(noiseSeed);
        for (float[][] ea : e) {
            for (float[] r : ea) {
                for (int z = 0; z < nz; z++) {
                    double lambda = r[z] * k;
                    r[z] = (float) (p.poissonNoise() ? Poisson.sample(lambda, rng) : lambda);
                }
            }
        }
        return new Acquisition(p, t, geo, angles, e, muCrop);
    }

    /**
     * Reconstructs an acquisition with the reconstruction settings of {@code p}, whose acquisition settings must be
     * those the projections were made with ({@link CameraParameters#sameAcquisition}). The same projections can thus
     * be reconstructed several ways.
     */
    public static Result reconstruct(Acquisition acq, CameraParameters p) {
        if (!p.sameAcquisition(acq.parameters)) {
            throw new DopajException("camera: the reconstruction parameters describe another acquisition than the "
                    + "projections were made with");
        }
        ScannerGeometry geo = reconstructionGeometry(acq.geo, p);
        boolean needsMu = p.attenuationCorrection() == AttenuationCorrection.MODELLED
                || (p.attenuationCorrection() == AttenuationCorrection.CHANG && p.changOutline() == ChangOutline.MU_MAP);
        if (needsMu && acq.mu == null) {
            throw new DopajException("camera: attenuation correction " + p.attenuationCorrection()
                    + (p.attenuationCorrection() == AttenuationCorrection.CHANG ? " with the μ-map outline" : "")
                    + " needs a μ map");
        }
        float[][] img;
        if (p.reconstruction() == Reconstruction.FBP) {
            img = Fbp.reconstruct(acq.counts, geo, acq.anglesRad, p.butterworthOrder(), p.butterworthCutoffPerCm());
        } else {
            Projector proj = new Projector(geo, acq.anglesRad, p.resolutionRecovery() ? p.collimator() : null,
                    p.radiusMm());
            float[][] mu = p.attenuationCorrection() == AttenuationCorrection.MODELLED ? acq.geo.embed(acq.mu, geo)
                    : null;
            img = Osem.reconstruct(acq.counts, geo, proj, mu, p.iterations(), p.subsets());
        }
        if (p.attenuationCorrection() == AttenuationCorrection.CHANG) {
            // the outline lies within the head's crop: Chang's factors are computed there only (1 outside)
            ScannerGeometry cg = acq.geo;
            float[][] inner = cg.extract(img, geo);
            float[][] outline = p.changOutline() == ChangOutline.MU_MAP ? Chang.muOutline(acq.mu)
                    : Chang.emissionOutline(inner, cg, p.changThreshold());
            Chang.correct(inner, outline, cg, p.changMuPerCm(), acq.anglesRad);
        }
        Volume out = Volume.allocate(geo.outputGrid());
        int n = geo.matrix;
        int m = geo.m;
        int nz = geo.nz;
        for (int z = 0; z < nz; z++) {
            float[] pl = out.plane(z);
            for (int y = 0; y < m; y++) {
                int row = (y + geo.off) * n + geo.off;
                for (int x = 0; x < m; x++) {
                    pl[row + x] = img[y * m + x][z];
                }
            }
        }
        if (p.postFilterFwhmMm() > 0) {
            out = Gaussian.smooth(out, p.postFilterFwhmMm());
        }
        // workstations store unsigned images: FBP's negative values are clipped
        for (float[] pl : out.planes()) {
            for (int i = 0; i < pl.length; i++) {
                if (pl[i] < 0) {
                    pl[i] = 0;
                }
            }
        }
        return new Result(out, p, acq);
    }

    /**
     * The field of view reconstructed: the whole matrix for FBP (backprojection is cheap, and its streaks and noise
     * outside the head are part of the look), the object plus {@link #OSEM_EXTRA_MM} for OSEM, so the scatter halo
     * outside the head has room to spread instead of piling up at the edge.
     */
    static ScannerGeometry reconstructionGeometry(ScannerGeometry acq, CameraParameters p) {
        if (p.reconstruction() == Reconstruction.FBP) {
            return acq.widened(acq.matrix);
        }
        return acq.widened(acq.m + 2 * (int) Math.ceil(OSEM_EXTRA_MM / acq.voxelMm));
    }

    /**
     * A μ map (1/cm) from tissue masks on one grid: {@code head} (1 inside the head, fractions allowed) gets the tissue
     * μ, {@code bone} (may be null) raises it to the bone μ.
     */
    public static Volume muMap(Volume head, Volume bone, CameraParameters p) {
        if (bone != null && !bone.grid().sameAs(head.grid(), 1e-3)) {
            throw new DopajException("camera: the bone mask lies on another grid than the head mask");
        }
        Volume mu = Volume.allocate(head.grid());
        for (int z = 0; z < head.nz(); z++) {
            float[] h = head.plane(z);
            float[] b = bone == null ? null : bone.plane(z);
            float[] o = mu.plane(z);
            for (int i = 0; i < o.length; i++) {
                double hv = Math.max(0, Math.min(1, h[i]));
                double bv = b == null ? 0 : Math.max(0, Math.min(1, b[i]));
                o[i] = (float) (p.muTissuePerCm() * hv + (p.muBonePerCm() - p.muTissuePerCm()) * bv);
            }
        }
        return mu;
    }

    /** Detector angles 0, 2π/N, … (radians). */
    static double[] angles(int n) {
        double[] a = new double[n];
        for (int k = 0; k < n; k++) {
            a[k] = 2 * Math.PI * k / n;
        }
        return a;
    }

    private static void check(Volume activity, Volume mu, double[][] t) {
        if (activity.is4D()) {
            throw new DopajException("camera: the activity must be a 3D volume");
        }
        activity.requireFinite("the activity volume");
        for (float[] pl : activity.planes()) {
            for (float v : pl) {
                if (v < 0) {
                    throw new DopajException("camera: activity must be ≥ 0, found " + v);
                }
            }
        }
        if (mu != null) {
            if (!mu.grid().sameAs(activity.grid(), 1e-3) || mu.is4D()) {
                throw new DopajException("camera: the μ map must lie on the activity's grid");
            }
            mu.requireFinite("the μ map");
            for (float[] pl : mu.planes()) {
                for (float v : pl) {
                    if (v < 0 || v > 1) {
                        throw new DopajException("camera: μ must be 0…1 /cm (tissue ≈ 0.15 at 159 keV), found " + v);
                    }
                }
            }
        }
        if (t == null || t.length != 4) {
            throw new DopajException("camera: patientToScanner must be a 4×4 matrix");
        }
        for (int r = 0; r < 4; r++) {
            if (t[r].length != 4) {
                throw new DopajException("camera: patientToScanner must be a 4×4 matrix");
            }
        }
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double d = 0;
                for (int k = 0; k < 3; k++) {
                    d += t[k][i] * t[k][j];
                }
                if (Math.abs(d - (i == j ? 1 : 0)) > 1e-4) {
                    throw new DopajException("camera: patientToScanner must be rigid (a rotation and a shift)");
                }
            }
        }
        double det = t[0][0] * (t[1][1] * t[2][2] - t[1][2] * t[2][1])
                - t[0][1] * (t[1][0] * t[2][2] - t[1][2] * t[2][0])
                + t[0][2] * (t[1][0] * t[2][1] - t[1][1] * t[2][0]);
        if (det < 0) {
            throw new DopajException("camera: patientToScanner mirrors the head; it must be a proper rotation and a shift");
        }
        if (Math.abs(t[3][0]) + Math.abs(t[3][1]) + Math.abs(t[3][2]) + Math.abs(t[3][3] - 1) > 1e-9) {
            throw new DopajException("camera: the last row of patientToScanner must be 0 0 0 1");
        }
    }

    private static double[][] copy(double[][] t) {
        double[][] c = new double[4][];
        for (int r = 0; r < 4; r++) {
            c[r] = t[r].clone();
        }
        return c;
    }
}
