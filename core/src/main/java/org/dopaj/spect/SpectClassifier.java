package org.dopaj.spect;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorLayout;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.dopaj.image.Volume;
import org.dopaj.progress.ProgressListener;

/**
 * Classifies a DaT-SPECT volume as normal or parkinsonian with the bundled CNN
 * ({@code models/spect-dat-cnn}, see {@link DatCnn}) and returns its Grad-CAM map on the input grid.
 *
 * <p>Steps: the same input checks as {@link SbrQuantifier} (3D, finite, not empty or constant, no negative counts);
 * spatial normalisation to DopaJ's DaT-SPECT template when the image is not already in MNI space
 * ({@link DatNormaliser}); division by the occipital reference mean minus 1 ({@link DatCnn#normalise}); the
 * applicability check ({@link DatApplicability}: a warning for an unusual input, a refusal for an image without any
 * striatal binding); one model
 * call returning probabilities and CAM; the CAM brought back onto the input grid. The input is never modified. Load
 * once, classify many (thread-safe).
 */
public final class SpectClassifier implements AutoCloseable {
    private final DopajModel model;
    private final TensorSpec input;
    private final TensorSpec camSpec;
    private final String probabilities;
    private final String cam;
    private final int parkinsonianIndex;
    private final double temperature;
    private final DatCnn.Anchor anchor;

    private SpectClassifier(DopajModel model) {
        this.model = model;
        ModelPackage p = model.modelPackage();
        if (!"classification".equals(p.task()) || p.camOutput() == null || p.inputs().size() != 1) {
            model.close();
            throw new DopajException("model " + p.id() + " is not a DaT-SPECT classifier with a CAM output");
        }
        this.input = p.inputs().get(0);
        this.probabilities = p.predictionOutput();
        this.cam = p.camOutput();
        this.camSpec = p.output(cam);
        this.parkinsonianIndex = p.labels().indexOf(DatCnn.LABELS[1]);
        this.temperature = temperature(p);
        this.anchor = anchor(p);
        if (parkinsonianIndex < 0) {
            model.close();
            throw new DopajException("model " + p.id() + " has no class '" + DatCnn.LABELS[1] + "' (labels " + p.labels() + ")");
        }
    }

    /** The bundled model ({@code models/spect-dat-cnn}, found by {@link ModelRegistry}). */
    public static Path bundledModel() {
        Path models = ModelRegistry.modelsDir();
        Path d = models == null ? null : models.resolve(DatCnn.MODEL_ID);
        if (d == null || !Files.isDirectory(d)) {
            throw new DopajException("model " + DatCnn.MODEL_ID + " not found (no models/" + DatCnn.MODEL_ID
                    + " folder; set -Ddopaj.models=DIR)");
        }
        return d;
    }

    /** Loads the bundled model on the device of {@code -Ddopaj.device} (default auto). */
    public static SpectClassifier load() {
        return load(bundledModel(), ComputeDevice.fromSystemProperty());
    }

    /** Loads (and checksum-verifies) a model package. */
    public static SpectClassifier load(Path packageDir, ComputeDevice device) {
        return new SpectClassifier(DopajModel.load(packageDir, device));
    }

    /**
     * The input checks of {@link #classify} alone (3D, one frame, finite, not empty or constant, no negative counts),
     * so a caller can refuse a bad image before loading a model.
     */
    public static void checkImage(Volume image) {
        SbrQuantifier.check(image);
    }

    /** Classifies {@code image}, normalising it to the template first when it is not in MNI space. */
    public DatClassification classify(Volume image) {
        return classify(image, true, null);
    }

    /**
     * Classifies {@code image} (never modified): spatially normalised by {@link DatNormaliser} (with
     * {@code normalise = false}: taken as in MNI space and resampled onto the 2 mm grid when needed), then one model
     * call returning probabilities and CAM; the CAM is brought back onto the input grid (through the inverse
     * transform when the image was registered).
     */
    public DatClassification classify(Volume image, boolean normalise, ProgressListener progress) {
        SbrQuantifier.check(image);
        return classify(image, DatNormaliser.normalise(image, normalise, progress));
    }

    /** Classifies an image already brought to MNI space by {@code n} (its CAM back on {@code image}'s grid). */
    public DatClassification classify(Volume image, DatNormaliser.Normalised n) {
        List<String> warnings = new ArrayList<>(n.warnings());
        Volume x = DatCnn.normalise(n.mni());
        // applicability: is this input like the phantoms the model learnt from? (a warning, never a silent answer;
        // an image with no striatal binding at all — a brain mask, a perfusion scan — is refused, no probability)
        warnings.addAll(DatApplicability.check(model.modelPackage().applicability(), x));
        Map<String, Tensor> out = model.predict(Map.of(input.id(), TensorLayout.fromVolume(x, input)));
        float[] p = out.get(probabilities).data();
        double pp = DatCalibration.apply(p[parkinsonianIndex], temperature);
        Volume camMni = TensorLayout.toVolume(out.get(cam), camSpec, n.mni().grid());
        if (anchor != null && anchor.normalMeans() != null) {
            camMni = withAnchorEvidence(camMni, DatCnn.pooled(x), p[parkinsonianIndex]);
        }
        Volume map = n.toInput(camMni, image.grid());
        boolean resampled = !image.grid().sameAs(n.mni().grid(), 1e-3);
        String label = pp >= 0.5 ? DatCnn.LABELS[1] : DatCnn.LABELS[0];
        return new DatClassification(label, pp, map, model.modelPackage().id(), resampled, n, warnings);
    }

    /**
     * The class-activation map of an anchored model ({@link DatCnn.Head#ANCHORED}) for its whole decision: the CAM
     * of the network explains only the convolutional residual, so the anchor's evidence is added as a map of the
     * striatal VOIs, each at the log-odds it adds towards "parkinsonian" compared with the mean training normal
     * ({@link DatCnn.Anchor#voiEvidence}, negative evidence shown as none). The two maps (each 0…1) are mixed in
     * proportion to the positive log-odds each part contributes — the anchor's summed VOI evidence, the residual's
     * (network log-odds − anchor log-odds) — and the result is scaled to 0…1 again. With no positive evidence from
     * either, the network's CAM is returned as it came.
     */
    private Volume withAnchorEvidence(Volume camMni, float[] pooled, float rawParkinsonian) {
        double[] e = anchor.voiEvidence(pooled);
        double a = 0;
        double emax = 0;
        for (double v : e) {
            a += Math.max(0, v);
            emax = Math.max(emax, v);
        }
        double q = Math.min(1 - 1e-7, Math.max(1e-7, rawParkinsonian));
        double r = Math.max(0, Math.log(q / (1 - q)) - anchor.logOdds(pooled));
        if (!(a + r > 0)) {
            return camMni;
        }
        Volume labels = VoiLabels.LABELS;
        Volume out = Volume.allocate(camMni.grid());
        float max = 0;
        for (int z = 0; z < out.nz(); z++) {
            float[] c = camMni.plane(z);
            float[] l = labels.plane(z);
            float[] o = out.plane(z);
            for (int i = 0; i < o.length; i++) {
                int voi = (int) l[i] - SpectVois.CAUDATE_L; // caudate L … posterior putamen R = 0 … 5
                double ev = voi >= 0 && voi < DatCnn.VOI_FEATURES && emax > 0 ? Math.max(0, e[voi]) / emax : 0;
                o[i] = (float) ((a * ev + r * c[i]) / (a + r));
                max = Math.max(max, o[i]);
            }
        }
        if (max > 0) {
            for (float[] pl : out.planes()) {
                for (int i = 0; i < pl.length; i++) {
                    pl[i] /= max;
                }
            }
        }
        return out;
    }

    /** DopaJ's VOIs on the MNI 2 mm grid, drawn once. */
    private static final class VoiLabels {
        static final Volume LABELS = SpectVois.rasterise(DatCnn.grid());
    }

    /** The anchor of an anchored package ({@code config.dopaj.anchor}), null for others. */
    static DatCnn.Anchor anchor(ModelPackage p) {
        Object cfg = p.rdf().get("config");
        if (cfg instanceof Map<?, ?> c && c.get("dopaj") instanceof Map<?, ?> d) {
            return DatCnn.Anchor.fromConfig(d.get("anchor"));
        }
        return null;
    }

    /** The package's calibration temperature ({@code config.dopaj.temperature}), 1 when it has none. */
    @SuppressWarnings("unchecked")
    static double temperature(ModelPackage p) {
        Object cfg = p.rdf().get("config");
        if (cfg instanceof Map<?, ?> c && c.get("dopaj") instanceof Map<?, ?> d && d.get("temperature") instanceof Number t
                && t.doubleValue() > 0) {
            return t.doubleValue();
        }
        return 1;
    }

    public DopajModel model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }
}
