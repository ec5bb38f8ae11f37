package org.dopaj.spect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import org.dopaj.DopajException;
import org.dopaj.image.Components;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.phantom.HeadPhantom;

/**
 * The DaT-SPECT phantom generator families that DopaJ trains and validates its classifier on. A family is a whole
 * way of making a subject — anatomy source, background, binding levels, disease variant and camera — so that
 * leaving one family out of training ({@link DatLofo}) tests the classifier on subjects made in a way it has never
 * seen, as a real scan will be.
 *
 * <table>
 *   <caption>families</caption>
 *   <tr><th>family</th><th>striatum</th><th>background</th><th>camera</th></tr>
 *   <tr><td>{@code ellipsoid}</td><td>DopaJ's ellipsoid VOIs, randomised ({@link DatSubjectSampler})</td>
 *       <td>flat brain, cortical rim, blobs</td><td>Gaussian blur + Poisson on the MNI grid</td></tr>
 *   <tr><td>{@code aal}</td><td>AAL caudate/putamen, deformed</td><td>MNI152 FAST grey/white/CSF maps</td>
 *       <td>Gaussian blur + Poisson on the MNI grid</td></tr>
 *   <tr><td>{@code icbm}</td><td>ICBM 2009 basal-ganglia labels, deformed</td><td>ICBM 2009a grey/white maps</td>
 *       <td>physics: projections, scatter, attenuation, FBP/OSEM in scanner space, then normalised by registration</td></tr>
 *   <tr><td>{@code aicha}</td><td>AICHA caudate/putamen subregions, deformed</td><td>MNI152 FAST maps</td>
 *       <td>physics, as {@code icbm}</td></tr>
 * </table>
 * Each family draws its own binding levels ({@link AtlasDatSampler.Binding}) and disease ranges
 * ({@link DiseasePattern.Ranges}); they are listed in {@link #sampler}. Synthetic, research use only.
 */
public enum DatFamily {
    ELLIPSOID(false), AAL(false), ICBM(true), AICHA(true);

    /** Seeds of held-out test subjects in every family: {@value} + i (never used in training). */
    public static final long TEST_SEED = 7_000_000L;

    private final boolean physics;

    DatFamily(boolean physics) {
        this.physics = physics;
    }

    /** Whether subjects of this family go through the physics camera and registration. */
    public boolean physics() {
        return physics;
    }

    /** Lower-case name, as on the command line. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The family named {@code id} (case-insensitive). */
    public static DatFamily of(String id) {
        for (DatFamily f : values()) {
            if (f.id().equalsIgnoreCase(id.trim())) {
                return f;
            }
        }
        throw new DopajException("unknown phantom family '" + id + "' (known: " + Arrays.stream(values())
                .map(DatFamily::id).toList() + ")");
    }

    /** A comma-separated list of family names. */
    public static List<DatFamily> list(String ids) {
        return Arrays.stream(ids.split(",")).filter(s -> !s.isBlank()).map(DatFamily::of).toList();
    }

    /**
     * The atlas sampler of an atlas family, built from {@code sharedData} (../shared/data); null for
     * {@link #ELLIPSOID}.
     */
    public AtlasDatSampler sampler(Path sharedData) {
        Path atlasDir = sharedData.resolve("atlas");
        return switch (this) {
            case ELLIPSOID -> null;
            case AAL -> new AtlasDatSampler(read(atlasDir.resolve("aal.nii.gz")), new int[][] {{71}, {72}},
                    new int[][] {{73}, {74}}, new int[] {77, 78}, mni152Tissue(sharedData),
                    new AtlasDatSampler.Binding(2.7, 0.3, 1.8, 4.0, 1.10, 0.04, 0.07),
                    new DiseasePattern.Ranges(new double[] {0.3, 0.9}, new double[] {0.1, 0.6}, 0.4,
                            new double[] {0.3, 0.8}));
            case ICBM -> new AtlasDatSampler(read(atlasDir.resolve("mni_basal_ganglia.nii.gz")),
                    new int[][] {{39}, {53}}, new int[][] {{14}, {16}}, new int[0], icbmTissue(sharedData),
                    new AtlasDatSampler.Binding(3.1, 0.35, 2.0, 4.4, 1.15, 0.05, 0.08),
                    new DiseasePattern.Ranges(new double[] {0.2, 0.7}, new double[] {0.2, 0.8}, 0.3,
                            new double[] {0.5, 0.8}));
            case AICHA -> {
                int[] caud = {174, 175, 176, 177, 178, 179, 180};
                int[] put = {182, 183};
                yield new AtlasDatSampler(read(atlasDir.resolve("AICHAmc.nii.gz")), new int[][] {caud, caud},
                        new int[][] {put, put}, new int[] {184, 185, 186, 187, 188, 189, 190, 191, 192},
                        mni152Tissue(sharedData), new AtlasDatSampler.Binding(2.8, 0.3, 1.8, 4.2, 1.08, 0.04, 0.08),
                        new DiseasePattern.Ranges(new double[] {0.3, 0.8}, new double[] {0.1, 0.6}, 0.35,
                                new double[] {0.4, 0.8}));
            }
        };
    }

    /**
     * Subject {@code seed} of this family on the MNI 2 mm grid as a classifier sees it: for the simple-camera
     * families the camera output itself (with a residual misregistration), for the physics families the scanner-space
     * reconstruction normalised by {@code normaliser}.
     */
    public DatSubjectSampler.Subject draw(AtlasDatSampler sampler, long seed, int label, SubjectCamera camera) {
        return draw(sampler, seed, label, camera, false);
    }

    /**
     * As {@link #draw(AtlasDatSampler, long, int, SubjectCamera)}; with {@code aligned} a simple-camera subject has no
     * residual misregistration (exactly in MNI space: the reference for the scanner-space twins of
     * {@link DatScannerTwins}).
     */
    public DatSubjectSampler.Subject draw(AtlasDatSampler sampler, long seed, int label, SubjectCamera camera,
                                          boolean aligned) {
        if (this == ELLIPSOID) {
            return DatSubjectSampler.draw(seed, label, aligned);
        }
        AtlasDatSampler.Phantom p = sampler.draw(seed, label);
        SplittableRandom r = new SplittableRandom(seed * 0x632BE59BD9B4E019L + ordinal());
        java.util.Map<String, Object> par = new java.util.LinkedHashMap<>(p.parameters());
        par.put("family", id());
        if (physics) {
            if (camera == null) {
                throw new IllegalStateException("family " + id() + " needs the physics camera");
            }
            return camera.image(p, r, par);
        }
        double[] shift = {clip(2 * r.nextGaussian(), 5), clip(2 * r.nextGaussian(), 5), clip(2 * r.nextGaussian(), 5)};
        double[] rot = {clip(3 * r.nextGaussian(), 8), clip(3 * r.nextGaussian(), 8), clip(3 * r.nextGaussian(), 8)};
        if (aligned) {
            shift = new double[3];
            rot = new double[3];
        }
        double fwhm = 9 + 6 * r.nextDouble();
        double counts = Math.exp(Math.log(1e6) + (Math.log(5e6) - Math.log(1e6)) * r.nextDouble());
        double scale = Math.exp(Math.log(0.5) + (Math.log(50) - Math.log(0.5)) * r.nextDouble());
        Volume v = DatSubjectSampler.acquire(p.activity(), shift, rot, fwhm, counts, scale, r.nextLong());
        par.put("camera", "gaussian");
        par.put("fwhm_mm", fwhm);
        par.put("total_counts", counts);
        par.put("shift_mm", List.of(shift[0], shift[1], shift[2]));
        par.put("rotation_deg", List.of(rot[0], rot[1], rot[2]));
        return new DatSubjectSampler.Subject(seed, label, p.severity(), p.age(), fwhm, counts, par, v);
    }

    /** The physics camera and spatial normalisation of a phantom (see {@link PhysicsCamera}). */
    public interface SubjectCamera {
        DatSubjectSampler.Subject image(AtlasDatSampler.Phantom p, SplittableRandom r, java.util.Map<String, Object> par);
    }

    /** MNI152 FAST partial-volume maps: CSF, GM, WM (2 mm). */
    static Volume[] mni152Tissue(Path shared) {
        Volume[] t = new Volume[3];
        for (int k = 0; k < 3; k++) {
            t[k] = read(shared.resolve("mni152_2mm/MNI152_T1_2mm_Brain_FAST_pve_" + k + ".nii.gz"));
        }
        return t;
    }

    /** ICBM 2009a grey and white matter (1 mm, onto the 2 mm grid); CSF = the filled brain outline minus both. */
    static Volume[] icbmTissue(Path shared) {
        Grid g = HeadPhantom.mni2mm();
        Volume gm = Resample.toGrid(read(shared.resolve("icbm2009a/mni_icbm152_gm_tal_nlin_sym_09a_converted.nii.gz")),
                g, Resample.Interpolation.LINEAR, 0);
        Volume wm = Resample.toGrid(read(shared.resolve("icbm2009a/mni_icbm152_wm_tal_nlin_sym_09a_converted.nii.gz")),
                g, Resample.Interpolation.LINEAR, 0);
        Volume outline = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            float[] a = gm.plane(z);
            float[] b = wm.plane(z);
            float[] o = outline.plane(z);
            for (int i = 0; i < o.length; i++) {
                o[i] = a[i] + b[i] > 0.3f ? 1 : 0;
            }
        }
        outline = Components.fillHoles(Components.close(outline, 4), 6);
        Volume csf = Volume.allocate(g);
        for (int z = 0; z < g.nz(); z++) {
            float[] a = gm.plane(z);
            float[] b = wm.plane(z);
            float[] o = outline.plane(z);
            float[] c = csf.plane(z);
            for (int i = 0; i < c.length; i++) {
                c[i] = o[i] > 0 ? Math.max(0, 1 - a[i] - b[i]) : 0;
            }
        }
        return new Volume[] {csf, gm, wm};
    }

    private static Volume read(Path p) {
        if (!Files.isRegularFile(p)) {
            throw new DopajException(p + ": not found (the DaT-SPECT phantom families need ../shared/data)");
        }
        return ImageFiles.read(p);
    }

    private static double clip(double v, double m) {
        return Math.max(-m, Math.min(m, v));
    }
}
