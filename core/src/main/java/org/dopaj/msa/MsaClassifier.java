package org.dopaj.msa;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.dopaj.image.Volume;

/**
 * MSA vs PD from a GD map, an MD map or both with the bundled networks ({@code models/<task>-pd-<modality>}, see
 * {@link MsaCnn}): checks the maps ({@link MsaInputs}), prepares the channels, runs one model call returning the
 * probabilities and the class-activation map on the MNI 2 mm grid. Load once, classify many; close it.
 */
public final class MsaClassifier implements AutoCloseable {
    private final DopajModel model;
    private final MsaTask task;
    private final MsaModality modality;
    private final String input;
    private final String probabilities;
    private final String cam;
    private final String trainingData;
    private final MsaCnn.Normalisation normalisation;
    private final String weakModel;

    /**
     * Below this mean accuracy on its own training family's held-out phantoms ({@code config.dopaj.own_test_accuracy},
     * written by the package step) a model is barely better than chance even on data like its training data, and every
     * result says so.
     */
    public static final double WEAK_MODEL_ACCURACY = 0.70;

    private MsaClassifier(DopajModel model, MsaTask task, MsaModality modality) {
        this.model = model;
        this.task = task;
        this.modality = modality;
        ModelPackage p = model.modelPackage();
        if (!"classification".equals(p.task()) || p.camOutput() == null || p.inputs().size() != 1) {
            model.close();
            throw new DopajException("model " + p.id() + " is not an MSA-vs-PD classifier with a CAM output");
        }
        TensorSpec in = p.inputs().get(0);
        org.dopaj.dl.model.AxisSpec last = in.axes().get(in.axes().size() - 1);
        long channels = last.size() != null ? last.size()
                : last.channelNames() != null ? last.channelNames().size() : 1;
        if (channels != modality.channelCount()) {
            model.close();
            throw new DopajException("model " + p.id() + " takes " + channels + " channel(s), the " + modality.id()
                    + " modality " + modality.channelCount());
        }
        try {
            // a package names the per-subject normalisation its graph applies; none = the packages before 2026-12-07
            this.normalisation = MsaCnn.Normalisation.parse(config(p).get("input_normalisation"));
            Object v = config(p).get("package_version");
            if (v != null && !(v instanceof Number n && n.intValue() >= 1 && n.intValue() <= MsaCnn.PACKAGE_VERSION)) {
                throw new DopajException("package_version " + v + " is not known to this DopaJ (it reads 1 to "
                        + MsaCnn.PACKAGE_VERSION + "): update DopaJ");
            }
        } catch (DopajException e) {
            model.close();
            throw new DopajException("model " + p.id() + ": " + e.getMessage());
        }
        this.input = in.id();
        this.probabilities = p.predictionOutput();
        this.cam = p.camOutput();
        Object own = config(p).get("own_test_accuracy");
        this.weakModel = own instanceof Number acc && acc.doubleValue() < WEAK_MODEL_ACCURACY
                ? String.format(java.util.Locale.ROOT, "model %s separates even its own training family's held-out"
                        + " phantoms only at accuracy %.2f (model card): weak evidence; this task's MD or GD-MD model"
                        + " does better", p.id(), acc.doubleValue()) : null;
        Object td = config(p).get("training_data");
        this.trainingData = td == null ? "see the model card" : td.toString();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> config(ModelPackage p) {
        Object cfg = p.rdf().get("config");
        if (cfg instanceof Map<?, ?> c && c.get("dopaj") instanceof Map<?, ?> d) {
            return (Map<String, Object>) d;
        }
        return Map.of();
    }

    /** The bundled model folder of a task and modality. */
    public static Path bundledModel(MsaTask task, MsaModality modality) {
        String id = MsaCnn.modelId(task, modality);
        Path models = ModelRegistry.modelsDir();
        Path d = models == null ? null : models.resolve(id);
        if (d == null || !Files.isDirectory(d)) {
            throw new DopajException("model " + id + " not found (no models/" + id + " folder; set -Ddopaj.models=DIR;"
                    + " docs/msa-pd.md says which task/modality models are bundled)");
        }
        return d;
    }

    /** Loads (and checksum-verifies) a package for {@code task} and {@code modality}. */
    public static MsaClassifier load(Path packageDir, MsaTask task, MsaModality modality, ComputeDevice device) {
        return new MsaClassifier(DopajModel.load(packageDir, device), task, modality);
    }

    public MsaTask task() {
        return task;
    }

    public MsaModality modality() {
        return modality;
    }

    /**
     * The per-subject input normalisation the package's graph applies first ({@code config.dopaj.input_normalisation};
     * {@link MsaCnn.Normalisation#BRAIN_MEAN} for packages without the field). It lives inside the SavedModel, so the
     * training graph, the exported graph and every caller share it; the classifier only checks that it knows it.
     */
    public MsaCnn.Normalisation normalisation() {
        return normalisation;
    }

    /**
     * Classifies checked maps (from {@link MsaInputs}; null for a modality not used). {@code warnings} are carried
     * into the result.
     */
    public MsaResult classify(Volume gd, Volume md, List<String> warnings) {
        long t0 = System.nanoTime();
        List<Volume> ch = new ArrayList<>();
        if (modality.usesGd()) {
            if (gd == null) {
                throw new DopajException("the " + modality.id() + " model needs a GD map");
            }
            ch.add(MsaCnn.prepareGd(gd));
        }
        if (modality.usesMd()) {
            if (md == null) {
                throw new DopajException("the " + modality.id() + " model needs an MD map");
            }
            ch.add(MsaCnn.prepareMd(md));
        }
        Tensor x = toTensor(ch);
        Map<String, Tensor> out = model.predict(Map.of(input, x));
        float[] p = out.get(probabilities).data();
        double pMsa = p[1];
        Volume camV = fromTensor(out.get(cam), ch.get(0));
        String label = pMsa >= 0.5 ? task.msaLabel() : "PD";
        List<String> w = new ArrayList<>(warnings);
        // are these maps like the phantoms the model learnt from? (a warning, never a silent probability)
        if (weakModel != null) {
            w.add(weakModel);
        }
        w.addAll(MsaApplicability.check(model.modelPackage().applicability(),
                modality.usesGd() ? MsaCnn.pooled(ch.get(0)) : null,
                modality.usesMd() ? MsaCnn.pooled(ch.get(ch.size() - 1)) : null));
        return new MsaResult(label, pMsa, task, modality, camV, model.modelPackage().id(), trainingData, w,
                (System.nanoTime() - t0) / 1e6);
    }

    /** [1, x, y, z, c] in C order (z then c fastest) from volumes stored x fastest. */
    static Tensor toTensor(List<Volume> ch) {
        int c = ch.size();
        Volume v0 = ch.get(0);
        int nx = v0.nx();
        int ny = v0.ny();
        int nz = v0.nz();
        float[] d = new float[nx * ny * nz * c];
        for (int k = 0; k < c; k++) {
            Volume v = ch.get(k);
            for (int z = 0; z < nz; z++) {
                float[] pl = v.plane(z);
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x++) {
                        d[((x * ny + y) * nz + z) * c + k] = pl[x + nx * y];
                    }
                }
            }
        }
        return Tensor.of(d, 1, nx, ny, nz, c);
    }

    static Volume fromTensor(Tensor t, Volume like) {
        int nx = like.nx();
        int ny = like.ny();
        int nz = like.nz();
        float[] d = t.data();
        Volume v = Volume.allocate(like.grid());
        for (int z = 0; z < nz; z++) {
            float[] pl = v.plane(z);
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    pl[x + nx * y] = d[(x * ny + y) * nz + z];
                }
            }
        }
        return v;
    }

    public DopajModel model() {
        return model;
    }

    @Override
    public void close() {
        model.close();
    }
}
