package org.dopaj.dl.runtime;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.tensorflow.engine.javacpp.JavacppUtils;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorSpec;
import org.tensorflow.proto.ConfigProto;

/**
 * A loaded model package, ready to predict: the SavedModel runs on DJL's TensorFlow engine (offline, see
 * {@link TensorFlowRuntime}), with the package's preprocessing applied to each input and its
 * {@code output_scale} to each output, and outputs read by name (DJL sorts signature outputs by key).
 *
 * <p>Thread-safe: DJL predictors are not, so each call borrows one from a pool (created on demand, at most one per
 * concurrently predicting thread, reused afterwards — never one per image). Every NDArray lives in the per-call
 * context manager, which DJL closes when the call returns; {@link #close()} closes the pooled predictors and the
 * model (native session and graph).
 */
public final class DopajModel implements AutoCloseable {
    private final ModelPackage pkg;
    private final ComputeDevice device;
    private final Model model;
    private final long loadMillis;
    private final ConcurrentLinkedDeque<Predictor<Map<String, Tensor>, Map<String, Tensor>>> idle =
            new ConcurrentLinkedDeque<>();
    private final List<Predictor<Map<String, Tensor>, Map<String, Tensor>>> all =
            Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean closed = new AtomicBoolean();

    private DopajModel(ModelPackage pkg, ComputeDevice device, Model model, long loadMillis) {
        this.pkg = pkg;
        this.device = device;
        this.model = model;
        this.loadMillis = loadMillis;
    }

    /** Loads (and checksum-verifies) the package folder on the device from {@code -Ddopaj.device} (default auto). */
    public static DopajModel load(Path packageDir) {
        return load(ModelPackage.load(packageDir), ComputeDevice.fromSystemProperty());
    }

    /** Loads the package folder on the requested device ({@code auto|cpu|gpu}). */
    public static DopajModel load(Path packageDir, ComputeDevice requested) {
        return load(ModelPackage.load(packageDir), requested);
    }

    /**
     * Loads an already verified package. {@code gpu} is refused with the reason when impossible; {@code auto} is
     * resolved and logged by {@link TensorFlowRuntime#resolve}.
     */
    public static DopajModel load(ModelPackage pkg, ComputeDevice requested) {
        return TensorFlowRuntime.withDopajClassLoader(() -> loadHere(pkg, requested));
    }

    private static DopajModel loadHere(ModelPackage pkg, ComputeDevice requested) {
        TensorFlowRuntime.init();
        ComputeDevice dev = TensorFlowRuntime.resolve(requested);
        if (!pkg.weightsPresent()) {
            throw new DopajException("model " + pkg.id() + ": SavedModel not found at " + pkg.savedModelDir());
        }
        long t0 = System.nanoTime();
        Device djlDevice = dev == ComputeDevice.GPU ? Device.gpu(0) : Device.cpu();
        Model m = Model.newInstance(pkg.id(), djlDevice, "TensorFlow");
        try {
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("Tags", "serve");
            options.put("SignatureDefKey", pkg.signature());
            if (dev == ComputeDevice.CPU && TensorFlowRuntime.init().gpuBuild()) {
                // A CUDA build would otherwise place ops on the GPU even when the user asked for the CPU.
                ConfigProto cpuOnly = JavacppUtils.getSessionConfig().toBuilder().putDeviceCount("GPU", 0).build();
                options.put("ConfigProto", cpuOnly);
            }
            m.load(pkg.savedModelDir(), null, options);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new DopajException("model " + pkg.id() + ": cannot load SavedModel " + pkg.savedModelDir() + ": "
                    + e.getMessage(), e);
        }
        DopajModel dm = new DopajModel(pkg, dev, m, (System.nanoTime() - t0) / 1_000_000);
        try {
            dm.checkSignature();
        } catch (RuntimeException e) {
            dm.close();
            throw e;
        }
        return dm;
    }

    /** The package's inputs and outputs must be the signature's; otherwise the rdf.yaml does not fit the model. */
    private void checkSignature() {
        List<String> sigIn = new ArrayList<>(model.getBlock().describeInput().keys());
        List<String> sigOut = new ArrayList<>(((ai.djl.nn.SymbolBlock) model.getBlock()).describeOutput().keys());
        for (TensorSpec t : pkg.inputs()) {
            if (!sigIn.contains(t.id())) {
                throw new DopajException("model " + pkg.id() + ": rdf.yaml input '" + t.id() + "' is not in signature "
                        + pkg.signature() + " inputs " + sigIn);
            }
        }
        if (sigIn.size() != pkg.inputs().size()) {
            throw new DopajException("model " + pkg.id() + ": signature " + pkg.signature() + " needs inputs " + sigIn
                    + ", rdf.yaml declares " + pkg.inputs().stream().map(TensorSpec::id).toList());
        }
        for (TensorSpec t : pkg.outputs()) {
            if (!sigOut.contains(t.id())) {
                throw new DopajException("model " + pkg.id() + ": rdf.yaml output '" + t.id() + "' is not in signature "
                        + pkg.signature() + " outputs " + sigOut);
            }
        }
    }

    /**
     * Runs the model: {@code inputs} by input id (raw, before preprocessing), shapes checked against the package;
     * returns every declared output by id, after {@code output_scale}. Inputs are never modified.
     */
    public Map<String, Tensor> predict(Map<String, Tensor> inputs) {
        if (closed.get()) {
            throw new DopajException("model " + pkg.id() + " is closed");
        }
        Map<String, Tensor> prepared = new TreeMap<>();
        for (TensorSpec spec : pkg.inputs()) {
            Tensor t = inputs.get(spec.id());
            if (t == null) {
                throw new DopajException("model " + pkg.id() + ": input '" + spec.id() + "' missing (given "
                        + inputs.keySet() + ")");
            }
            spec.checkShape(t.shape(), "model " + pkg.id() + ": input");
            prepared.put(spec.id(), pkg.preprocessing(spec.id()).apply(t, spec));
        }
        for (String k : inputs.keySet()) {
            if (pkg.input(k) == null) {
                throw new DopajException("model " + pkg.id() + ": unknown input '" + k + "'");
            }
        }
        Predictor<Map<String, Tensor>, Map<String, Tensor>> p = idle.pollFirst();
        if (p == null) {
            p = model.newPredictor(new NamedTensors());
            all.add(p);
        }
        try {
            return p.predict(prepared);
        } catch (TranslateException e) {
            throw new DopajException("model " + pkg.id() + ": prediction failed: " + rootMessage(e), e);
        } finally {
            if (!closed.get()) {
                idle.offerFirst(p);
            }
        }
    }

    /** Single-input convenience: runs {@code input} and returns the package's prediction output. */
    public Tensor predict(Tensor input) {
        if (pkg.inputs().size() != 1) {
            throw new DopajException("model " + pkg.id() + " has " + pkg.inputs().size() + " inputs; pass them by name");
        }
        return predict(Map.of(pkg.inputs().get(0).id(), input)).get(pkg.predictionOutput());
    }

    /**
     * Runs the package's test inputs and returns, per output with a test tensor, the largest absolute difference to
     * the expected test output (the package's own reproducibility check).
     */
    public Map<String, Double> selfTest() {
        Map<String, Tensor> feed = new LinkedHashMap<>();
        for (TensorSpec t : pkg.inputs()) {
            if (t.testTensor() == null) {
                throw new DopajException("model " + pkg.id() + ": input '" + t.id() + "' has no test tensor");
            }
            feed.put(t.id(), org.dopaj.dl.model.Npy.read(pkg.dir().resolve(t.testTensor())));
        }
        Map<String, Tensor> got = predict(feed);
        Map<String, Double> diff = new LinkedHashMap<>();
        for (TensorSpec t : pkg.outputs()) {
            if (t.testTensor() != null) {
                diff.put(t.id(), org.dopaj.dl.model.Npy.read(pkg.dir().resolve(t.testTensor())).maxAbsDiff(got.get(t.id())));
            }
        }
        return diff;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).lines().findFirst().orElse(t.toString());
    }

    /** Tensors in by name, tensors out by name; all NDArrays stay in the per-call manager DJL closes. */
    private final class NamedTensors implements Translator<Map<String, Tensor>, Map<String, Tensor>> {
        @Override
        public NDList processInput(TranslatorContext ctx, Map<String, Tensor> in) {
            NDManager mgr = ctx.getNDManager();
            NDList list = new NDList();
            // TfSymbolBlock feeds inputs in sorted-key order and also matches them by name.
            for (Map.Entry<String, Tensor> e : new TreeMap<>(in).entrySet()) {
                NDArray a = mgr.create(e.getValue().data(), new Shape(e.getValue().shape()));
                a.setName(e.getKey());
                list.add(a);
            }
            return list;
        }

        @Override
        public Map<String, Tensor> processOutput(TranslatorContext ctx, NDList list) {
            Map<String, NDArray> byName = new LinkedHashMap<>();
            for (NDArray a : list) {
                byName.put(a.getName(), a);
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            for (TensorSpec spec : pkg.outputs()) {
                NDArray a = byName.get(spec.id());
                if (a == null) {
                    throw new DopajException("model " + pkg.id() + ": output '" + spec.id() + "' not returned (got "
                            + byName.keySet() + ")");
                }
                NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
                float[] data = f.toFloatArray();
                double scale = pkg.outputScale(spec.id());
                if (scale != 1.0) {
                    for (int i = 0; i < data.length; i++) {
                        data[i] = (float) (data[i] * scale);
                    }
                }
                out.put(spec.id(), Tensor.of(data, f.getShape().getShape()));
            }
            return out;
        }

        @Override
        public Batchifier getBatchifier() {
            return null;
        }
    }

    public ModelPackage modelPackage() {
        return pkg;
    }

    /** The device actually used ({@code cpu} or {@code gpu}). */
    public ComputeDevice device() {
        return device;
    }

    /** Time taken to load the SavedModel, ms. */
    public long loadMillis() {
        return loadMillis;
    }

    /** NDArrays still alive under the model's manager (0 between calls: the leak check). */
    public int liveArrays() {
        return model.getNDManager().getManagedArrays().size();
    }

    /** Predictors created so far (one per concurrently predicting thread at most). */
    public int predictorCount() {
        return all.size();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            synchronized (all) {
                for (Predictor<?, ?> p : all) {
                    p.close();
                }
            }
            idle.clear();
            model.close();
        }
    }
}
