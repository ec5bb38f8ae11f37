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
import org.dopaj.registration.ProgressListener;

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
        Volume map = n.toInput(TensorLayout.toVolume(out.get(cam), camSpec, n.mni().grid()), image.grid());
        boolean resampled = !image.grid().sameAs(n.mni().grid(), 1e-3);
        String label = pp >= 0.5 ? DatCnn.LABELS[1] : DatCnn.LABELS[0];
        return new DatClassification(label, pp, map, model.modelPackage().id(), resampled, n, warnings);
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
