package org.dopaj.spect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.dopaj.DopajException;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;

import com.google.gson.GsonBuilder;

/**
 * Scanner-space twins: held-out subjects of the MNI-space phantom families ({@link DatFamily#ELLIPSOID},
 * {@link DatFamily#AAL}) resampled into a camera's space — the head turned by up to ±15° about each axis and moved by
 * up to ±25 mm, on a 128×128×64 grid of 3.3 mm voxels in DICOM-like LPS orientation — then spatially normalised by
 * DopaJ ({@link DatNormaliser}) and classified and quantified as a camera's image would be. Reports how often the twin
 * gets the label of its MNI original (classified with {@code normalise = false}), the median and 90th percentile of
 * the relative difference of the lower putamen SBR, registration failures, and the time of normalisation +
 * classification with CAM.
 *
 * <p>Command: {@code java -cp "$(./dopaj --classpath)" org.dopaj.spect.DatScannerTwins
 * models/spect-dat-cnn ../shared/data 100}.
 */
public final class DatScannerTwins {
    private DatScannerTwins() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        Path shared = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        Map<String, Object> report = new LinkedHashMap<>();
        try (SpectClassifier c = SpectClassifier.load(model, ComputeDevice.CPU)) {
            for (DatFamily f : List.of(DatFamily.ELLIPSOID, DatFamily.AAL)) {
                AtlasDatSampler s = f == DatFamily.ELLIPSOID ? null : f.sampler(shared);
                report.put(f.id(), run(c, f, s, n));
                System.err.println(f.id() + ": " + report.get(f.id()));
            }
        }
        System.out.println(new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create()
                .toJson(report));
    }

    static Map<String, Object> run(SpectClassifier c, DatFamily f, AtlasDatSampler s, int n) {
        int same = 0;
        int failures = 0;
        int correctTwin = 0;
        int correctMni = 0;
        List<Double> rel = new ArrayList<>();
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long seed = DatFamily.TEST_SEED + i;
            int label = i % 2;
            Volume mni = f.draw(s, seed, label, null, true).image();
            Volume twin = twin(mni, new SplittableRandom(seed * 31 + 7));
            DatClassification a = c.classify(mni, false, null);
            double sbrA = SbrQuantifier.defaults().quantify(mni).lowerPutamenSbr();
            long t0 = System.nanoTime();
            DatClassification b;
            DatNormaliser.Normalised norm;
            try {
                norm = DatNormaliser.normalise(twin, true, null);
                b = c.classify(twin, norm);
            } catch (DopajException e) {
                failures++;
                continue;
            }
            millis.add((System.nanoTime() - t0) / 1e6);
            double sbrB = SbrQuantifier.defaults().quantify(norm.mni()).lowerPutamenSbr();
            same += a.label().equals(b.label()) ? 1 : 0;
            correctMni += (a.label().equals(DatCnn.LABELS[1]) == (label == 1)) ? 1 : 0;
            correctTwin += (b.label().equals(DatCnn.LABELS[1]) == (label == 1)) ? 1 : 0;
            rel.add(Math.abs(sbrB - sbrA) / sbrA);
        }
        double[] r = rel.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double[] ms = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("registration_failures", failures);
        m.put("same_label", (double) same / n);
        m.put("accuracy_mni", (double) correctMni / n);
        m.put("accuracy_twin", (double) correctTwin / n);
        m.put("putamen_sbr_relative_difference_median", r.length == 0 ? Double.NaN : r[r.length / 2]);
        m.put("putamen_sbr_relative_difference_p90", r.length == 0 ? Double.NaN : r[(int) (0.9 * (r.length - 1))]);
        m.put("normalise_and_classify_ms_median", ms.length == 0 ? Double.NaN : ms[ms.length / 2]);
        return m;
    }

    /**
     * {@code mni} as a camera might have reconstructed it: turned (±15° about each axis), moved (±25 mm), on a
     * 128×128×64 grid of 3.3 mm voxels in LPS orientation centred near the head.
     */
    public static Volume twin(Volume mni, SplittableRandom r) {
        return twin(mni, new double[] {u(r, -15, 15), u(r, -15, 15), u(r, -15, 15)},
                new double[] {u(r, -25, 25), u(r, -25, 25), u(r, -25, 25)});
    }

    /** {@code mni} turned by {@code rot} degrees and moved by {@code shift} mm, on the camera grid described above. */
    public static Volume twin(Volume mni, double[] rot, double[] shift) {
        // patient pose: scanner mm = T · MNI mm; the scanner grid below is fixed in scanner mm
        double[][] pose = SpectPhantom.rigid(shift, rot);
        double v = 3.3;
        int nx = 128;
        int ny = 128;
        int nz = 64;
        // LPS voxel axes (i → left, j → posterior, k → superior), centred at scanner (0, -17, 10) mm
        double[][] a = {{-v, 0, 0, v * (nx - 1) / 2.0}, {0, -v, 0, -17 + v * (ny - 1) / 2.0},
            {0, 0, v, 10 - v * (nz - 1) / 2.0}, {0, 0, 0, 1}};
        Grid scanner = new Grid(nx, ny, nz, new double[] {v, v, v}, a);
        // the subject's MNI image placed in the scanner: its grid moved by the pose, then sampled on the scanner grid
        Grid placed = mni.grid().withAffine(Affines.multiply(pose, mni.grid().affine()));
        return Resample.toGrid(mni.withGrid(placed), scanner, Resample.Interpolation.LINEAR, 0f);
    }

    private static double u(SplittableRandom r, double lo, double hi) {
        return lo + (hi - lo) * r.nextDouble();
    }
}
