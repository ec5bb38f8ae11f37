package org.dopaj.msa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import java.nio.file.Files;
import java.nio.file.Path;

import org.dopaj.DopajException;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.dl.graph.ModelGraph;
import org.dopaj.dl.graph.NetBuilder;
import org.dopaj.dl.runtime.TensorFlowRuntime;
import org.junit.jupiter.api.Test;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The per-subject input normalisation inside the MSA network ({@link MsaCnn.Normalisation}): with the robust tissue
 * normalisation a global MD scale (×1.15) or a GD gain and offset leaves the prediction unchanged; the Java twin used
 * for the training statistics is the graph's; unknown package fields are refused.
 */
class MsaNormalisationTest {
    /** Synthetic regions: a brain box, a tissue reference inside it, five uniform regions. */
    private static MsaCnn.Regions regions() {
        float[] brain = new float[MsaCnn.SIZE];
        List<Integer> ref = new ArrayList<>();
        int nb = 0;
        for (int x = 8; x < 38; x++) {
            for (int y = 8; y < 47; y++) {
                for (int z = 8; z < 38; z++) {
                    int i = (x * MsaCnn.PY + y) * MsaCnn.PZ + z;
                    brain[i] = 1;
                    nb++;
                    if (x > 10 && x < 35 && y > 10 && y < 44 && z > 10 && z < 35) {
                        ref.add(i);
                    }
                }
            }
        }
        float[][] w = new float[MsaCnn.SIZE][MsaCnn.REGIONS.length];
        for (int i = 0; i < MsaCnn.SIZE; i++) {
            brain[i] /= nb;
            for (int r = 0; r < w[i].length; r++) {
                w[i][r] = brain[i];
            }
        }
        return new MsaCnn.Regions(w, brain, ref.stream().mapToInt(Integer::intValue).toArray());
    }

    /** A two-channel 4 mm input: GD-like and MD-like (µm²/ms) values in the brain, 0 outside. */
    private static float[] input(SplittableRandom r, float[] brain) {
        float[] x = new float[MsaCnn.SIZE * 2];
        for (int i = 0; i < MsaCnn.SIZE; i++) {
            if (brain[i] > 0) {
                x[2 * i] = (float) (0.4 + 0.15 * r.nextGaussian());
                x[2 * i + 1] = (float) (r.nextDouble() < 0.15 ? 2.8 + 0.2 * r.nextGaussian() : 0.75 + 0.05 * r.nextGaussian());
            }
        }
        return x;
    }

    private static double[] predict(MsaCnn.Normalisation norm, MsaCnn.Regions reg, List<float[]> xs) {
        float[] mean = new float[MsaCnn.SIZE * 2];
        float[] sd = new float[MsaCnn.SIZE * 2];
        java.util.Arrays.fill(sd, 1f);
        TensorFlowRuntime.init();
        double[] p = new double[xs.size()];
        try (ModelGraph g = ModelGraph.build(MsaNetwork.trainingSpec("t", 2, new float[][] {mean, sd}, reg, norm),
                NetBuilder.Mode.INFERENCE, 7); Session s = new Session(g.graph())) {
            s.initialize();
            for (int k = 0; k < xs.size(); k++) {
                try (TFloat32 in = TFloat32.tensorOf(Shape.of(1, MsaCnn.PX, MsaCnn.PY, MsaCnn.PZ, 2),
                        DataBuffers.of(xs.get(k), true, false));
                        var out = s.runner().feed(g.input(), in).fetch(g.prediction()).run()) {
                    p[k] = ((TFloat32) out.get(0)).getFloat(0, 1);
                }
            }
        }
        return p;
    }

    @Test
    void theRobustNormalisationMakesThePredictionInvariantToAGlobalMdScaleAndAGdGainAndOffset() {
        MsaCnn.Regions reg = regions();
        SplittableRandom r = new SplittableRandom(5);
        List<float[]> xs = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            float[] x = input(r, reg.brain());
            float[] mdScaled = x.clone();
            float[] gdShifted = x.clone();
            for (int i = 0; i < MsaCnn.SIZE; i++) {
                mdScaled[2 * i + 1] *= 1.15f;
                if (reg.brain()[i] > 0) {
                    gdShifted[2 * i] = 0.8f * gdShifted[2 * i] + 0.05f;
                }
            }
            xs.add(x);
            xs.add(mdScaled);
            xs.add(gdShifted);
        }
        for (MsaCnn.Normalisation norm : new MsaCnn.Normalisation[] {MsaCnn.Normalisation.ROBUST,
            MsaCnn.Normalisation.ROBUST_RECENTRED}) {
            double[] p = predict(norm, reg, xs);
            for (int k = 0; k < 3; k++) {
                assertEquals(p[3 * k], p[3 * k + 1], 1e-4, norm + ": MD ×1.15 moved p(MSA)");
                assertEquals(p[3 * k], p[3 * k + 2], 1e-4, norm + ": GD ×0.8 + 0.05 moved p(MSA)");
            }
            assertTrue(Math.abs(p[0] - p[3]) > 1e-6 || Math.abs(p[0] - p[6]) > 1e-6,
                    "different subjects get different outputs (the test can see a change)");
        }
        // the old levelling (brain mean) is not invariant to an offset: the check above can fail
        double[] old = predict(MsaCnn.Normalisation.BRAIN_MEAN, reg, xs.subList(0, 3));
        assertTrue(Math.abs(old[0] - old[2]) > 1e-5, "brain-mean levelling moved by the GD offset: " + old[0] + " "
                + old[2]);
    }

    @Test
    void theJavaTwinIsARobustZOverTheReference() {
        MsaCnn.Regions reg = regions();
        float[] x = input(new SplittableRandom(9), reg.brain());
        float[] y = reg.normalised(x, 2, MsaCnn.Normalisation.ROBUST);
        float[] y2 = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y2[i] = x[i] * 1.15f;
        }
        assertArrayEquals(y, reg.normalised(y2, 2, MsaCnn.Normalisation.ROBUST), 1e-4f);
        // median of each channel over the reference is 0 after normalisation, IQR/1.349 is 1
        for (int c = 0; c < 2; c++) {
            float[] v = new float[reg.reference().length];
            for (int i = 0; i < v.length; i++) {
                v[i] = y[reg.reference()[i] * 2 + c];
            }
            java.util.Arrays.sort(v);
            assertEquals(0, v[v.length / 2], 0.01);
            assertEquals(1.349, v[3 * v.length / 4] - v[v.length / 4], 0.02);
        }
    }

    @Test
    void packagesNameTheirNormalisationAndUnknownOnesAreRefused() {
        assertEquals(MsaCnn.Normalisation.BRAIN_MEAN, MsaCnn.Normalisation.parse(null));
        assertEquals(MsaCnn.Normalisation.ROBUST, MsaCnn.Normalisation.parse("tissue-robust-z-v2"));
        DopajException e = assertThrows(DopajException.class, () -> MsaCnn.Normalisation.parse("tissue-robust-z-v9"));
        assertTrue(e.getMessage().contains("update DopaJ"), e.getMessage());
    }

    @Test
    void theBundledPdMsaPackagesGiveTheSameProbabilityForAnMdMapScaledBy115() {
        Path shared = MsaSharedData.dir();
        MsaAnatomy a = MsaAnatomy.aal(shared);
        MsaPhantom.Subject s = MsaPhantom.generate(a, MsaPhantom.Params.FAMILY_A, 11, MsaSubtype.MSA_P);
        Volume md2 = s.md().copy();
        for (int z = 0; z < md2.nz(); z++) {
            float[] pl = md2.plane(z);
            for (int i = 0; i < pl.length; i++) {
                pl[i] *= 1.15f;
            }
        }
        int checked = 0;
        for (MsaModality mod : new MsaModality[] {MsaModality.GD_MD, MsaModality.MD}) {
            Path pkg = Path.of("models").resolve(MsaCnn.modelId(MsaTask.MSA, mod));
            if (!Files.isDirectory(pkg)) {
                continue;
            }
            try (MsaClassifier c = MsaClassifier.load(pkg, MsaTask.MSA, mod, ComputeDevice.CPU)) {
                if (c.normalisation() == MsaCnn.Normalisation.BRAIN_MEAN) {
                    continue;
                }
                double p1 = c.classify(s.gd(), s.md(), List.of()).probabilityMsa();
                double p2 = c.classify(s.gd(), md2, List.of()).probabilityMsa();
                assertEquals(p1, p2, 1e-3, pkg + ": p(MSA) " + p1 + " vs " + p2 + " with MD x1.15");
                checked++;
            }
        }
        assumeTrue(checked > 0, "no bundled PD/MSA package with a robust normalisation yet");
    }

    @Test
    void aPackageWithoutTheFieldLoadsAsBeforeAndAnUnknownNormalisationIsRefused(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path bundled = Path.of("models/msa-p-pd-md");
        assumeTrue(Files.isDirectory(bundled), "models/msa-p-pd-md not bundled");
        String rdf = Files.readString(bundled.resolve("rdf.yaml"));
        String field = "    input_normalisation: tissue-robust-z-v2\n";
        assertTrue(rdf.contains(field), "the bundled package names its normalisation");
        // a package written before the field existed (package version 1) is read as brain-mean levelling
        Path old = copyOf(bundled, tmp.resolve("old").resolve("msa-p-pd-md"));
        Files.writeString(old.resolve("rdf.yaml"), rdf.replace(field, ""));
        try (MsaClassifier c = MsaClassifier.load(old, MsaTask.MSA_P, MsaModality.MD, ComputeDevice.CPU)) {
            assertEquals(MsaCnn.Normalisation.BRAIN_MEAN, c.normalisation());
        }
        // the same package claiming a normalisation from the future: one clear line, no model left open
        Path future = copyOf(bundled, tmp.resolve("future").resolve("msa-p-pd-md"));
        Files.writeString(future.resolve("rdf.yaml"), rdf.replace(field, "    input_normalisation: tissue-robust-z-v9\n"));
        DopajException e = assertThrows(DopajException.class,
                () -> MsaClassifier.load(future, MsaTask.MSA_P, MsaModality.MD, ComputeDevice.CPU));
        assertTrue(e.getMessage().contains("tissue-robust-z-v9") && e.getMessage().contains("update DopaJ"),
                e.getMessage());
    }

    private static Path copyOf(Path from, Path to) throws java.io.IOException {
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path t = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(f, t);
                }
            }
        }
        return to;
    }
}
