package org.dopaj.spect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.dopaj.DopajException;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled DaT-SPECT CNN (models/spect-dat-cnn) on phantoms it never saw. */
class SpectClassifierTest {
    static SpectClassifier classifier;

    @BeforeAll
    static void load() {
        classifier = SpectClassifier.load(SpectClassifier.bundledModel(), ComputeDevice.CPU);
    }

    @AfterAll
    static void close() {
        classifier.close();
    }

    static Volume phantom(double stage, double age, long seed) {
        return SpectPhantom.generate(SpectPhantom.Params.builder().stage(stage).age(age).fwhmMm(12)
                .moreAffected(SpectPhantom.Side.RIGHT).seed(seed).build()).image();
    }

    @Test
    void normalIsNormalAndStageThreeIsParkinsonian() {
        DatClassification n = classifier.classify(phantom(0, 60, 11));
        DatClassification p = classifier.classify(phantom(3, 60, 12));
        System.out.printf("SPECT-MEASURE classifier: normal p=%.4f, stage 3 p=%.4f%n", n.probabilityParkinsonian(),
                p.probabilityParkinsonian());
        assertEquals("normal", n.label());
        assertEquals("parkinsonian", p.label());
        assertTrue(n.probabilityParkinsonian() < 0.5 && p.probabilityParkinsonian() > 0.5);
        assertFalse(n.resampled());
        assertEquals("spect-dat-cnn", p.modelId());
    }

    @Test
    void camLiesOnTheInputGridAndConcentratesNearTheStriatum() {
        Volume img = phantom(3, 60, 13);
        float[] before = img.toArray();
        DatClassification r = classifier.classify(img);
        assertTrue(java.util.Arrays.equals(before, img.toArray()), "input untouched");
        Volume cam = r.cam();
        assertTrue(cam.grid().sameAs(img.grid(), 1e-6));
        Volume labels = SpectVois.rasterise(img.grid());
        Grid g = img.grid();
        // near striatum = within 16 mm of a striatal VOI voxel (labels 1..6); rest of the brain = the brain ellipsoid
        double near = 0;
        long nNear = 0;
        double far = 0;
        long nFar = 0;
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        double[][] striatal = striatalCentres(labels);
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    float c = cam.get(x, y, z);
                    min = Math.min(min, c);
                    max = Math.max(max, c);
                    double[] mm = g.toMm(x, y, z);
                    if (!SpectPhantom.BRAIN.contains(mm[0], mm[1], mm[2])) {
                        continue;
                    }
                    if (nearAny(mm, striatal, 16)) {
                        near += c;
                        nNear++;
                    } else {
                        far += c;
                        nFar++;
                    }
                }
            }
        }
        double ratio = (near / nNear) / (far / nFar);
        System.out.printf("SPECT-MEASURE CAM mean near striatum / rest of brain = %.2f (share of CAM mass near"
                + " striatum %.2f for %.2f of the brain volume)%n", ratio, near / (near + far),
                nNear / (double) (nNear + nFar));
        assertTrue(min >= 0 && max <= 1 && max > 0, "CAM in [0,1]: " + min + ".." + max);
        // v3 measured 1.83 (v2 9.30): the binding branch carries the absolute level, so the convolutional branch
        // that the map explains spreads its evidence wider; it must still favour the striatum clearly
        assertTrue(ratio > 1.5, "CAM near the striatum vs elsewhere: " + ratio);
    }

    private static double[][] striatalCentres(Volume labels) {
        java.util.List<double[]> pts = new java.util.ArrayList<>();
        Grid g = labels.grid();
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    float l = labels.get(x, y, z);
                    if (l >= 1 && l <= 6 && (x + y + z) % 2 == 0) {
                        pts.add(g.toMm(x, y, z));
                    }
                }
            }
        }
        return pts.toArray(new double[0][]);
    }

    private static boolean nearAny(double[] mm, double[][] pts, double r) {
        double r2 = r * r;
        for (double[] p : pts) {
            double dx = mm[0] - p[0];
            double dy = mm[1] - p[1];
            double dz = mm[2] - p[2];
            if (dx * dx + dy * dy + dz * dz <= r2) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anImageOnAnotherGridIsResampledAndItsCamComesBackOnThatGrid() {
        Volume img = phantom(3, 60, 14);
        Volume coarse = Resample.toVoxelSize(img, 3, 3, 3, Resample.Interpolation.LINEAR, 0f);
        DatClassification r = classifier.classify(coarse);
        assertTrue(r.resampled());
        assertEquals("parkinsonian", r.label());
        assertTrue(r.cam().grid().sameAs(coarse.grid(), 1e-6), "CAM on the 3 mm grid");
        assertFalse(r.warnings().isEmpty());
    }

    @Test
    void badInputsAreRefusedWithOneLine() {
        Grid mni = HeadPhantom.mni2mm();
        assertBad(Volume.allocate(Grid.of(91, 109, 1, 2, 2, 2)), "2D");
        assertBad(Volume.allocate(mni, 2), "frames");
        Volume empty = Volume.allocate(mni);
        assertBad(empty, "empty");
        Volume constant = Volume.allocate(mni);
        for (float[] p : constant.planes()) {
            java.util.Arrays.fill(p, 3f);
        }
        assertBad(constant, "constant");
        Volume nan = phantom(0, 60, 1);
        nan.set(40, 40, 40, Float.NaN);
        assertBad(nan, "non-finite");
        Volume neg = phantom(0, 60, 1);
        neg.set(40, 40, 40, -1000f);
        assertBad(neg, "negative");
        Volume noRef = phantom(0, 60, 1);
        Volume labels = SpectVois.rasterise(mni);
        for (int z = 0; z < mni.nz(); z++) {
            float[] p = noRef.plane(z);
            float[] l = labels.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (l[i] == SpectVois.REFERENCE) {
                    p[i] = 0;
                }
            }
        }
        assertBad(noRef, "reference");
    }

    private static void assertBad(Volume v, String fragment) {
        DopajException e = assertThrows(DopajException.class, () -> classifier.classify(v));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains(fragment.toLowerCase(java.util.Locale.ROOT)),
                "'" + fragment + "' in: " + e.getMessage());
    }

    @Test
    void anImageWithoutStriatalBindingIsRefusedNotClassified() {
        // the binary brain mask of the samples (on the MNI grid): once classified "parkinsonian, p = 0.99999"
        Volume mask = org.dopaj.io.ImageFiles.read(java.nio.file.Path.of("samples/head_phantom_brainmask.nii.gz"));
        assertBad(mask, "no striatal binding");
        // a uniform brain (perfusion-like): the same, registered or taken as it is
        assertBad(DatApplicabilityCalibration.uniformBrain(), "no striatal binding");
        DopajException e = assertThrows(DopajException.class,
                () -> classifier.classify(DatApplicabilityCalibration.uniformBrain(), false, null));
        assertTrue(e.getMessage().contains("not a DaT-SPECT image"), e.getMessage());
    }

    @Test
    void anInputUnlikeTheTrainingDataIsClassifiedWithAWarning() {
        // a normal subject whose specific binding is 2.5× that of the phantom: caudate, putamen and 99th percentile
        // above every training family's, so a warning, but a DaT-SPECT image all the same (not refused)
        Volume img = phantom(0, 60, 11);
        double ref = DatCnn.referenceMean(img);
        Volume high = Volume.allocate(img.grid());
        for (int z = 0; z < img.nz(); z++) {
            float[] a = img.plane(z);
            float[] o = high.plane(z);
            for (int i = 0; i < a.length; i++) {
                o[i] = a[i] > ref ? (float) (ref * (1 + 2.5 * (a[i] / ref - 1))) : a[i]; // uptake above the reference
            }
        }
        DatClassification r = classifier.classify(high, false, null);
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("unlike the model's training data")),
                r.warnings().toString());
        assertEquals("normal", r.label());
        DatClassification ok = classifier.classify(phantom(3, 60, 12), false, null);
        assertTrue(ok.warnings().stream().noneMatch(w -> w.contains("unlike the model's training data")),
                ok.warnings().toString());
    }
}
