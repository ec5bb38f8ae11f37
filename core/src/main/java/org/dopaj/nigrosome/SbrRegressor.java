package org.dopaj.nigrosome;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.dl.model.AxisSpec;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.model.Preprocessing;
import org.dopaj.dl.model.Tensor;
import org.dopaj.dl.model.TensorLayout;
import org.dopaj.dl.model.TensorSpec;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.dl.runtime.DopajModel;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Predicts the striatal DaT-SPECT SBR of each side from the SMWI crop around that side's nigrosome-1 centroid, with
 * a pair of model packages (one per side, {@code config.dopaj.side: left|right}) — the bundled
 * {@code nigrosome-vgg3d-left/-right} or the published {@code mri-dat-nigral-vgg-left/-right}, through the same code:
 * each package declares its own preprocessing (e.g. divide by the crop mean; the right crop flipped), output scale and
 * optional Grad-CAM output, and this class only cuts the crops and reads the outputs by name.
 *
 * <p>A package must be a regression model with one input laid out {@code [batch, x, y, z, channel=1]} whose x, y, z
 * sizes are the crop size — {@code config.dopaj.crop.size} when the package declares it, else 50×50×20 — and the crop
 * voxel size is {@code config.dopaj.voxel_size_mm} (else 0.5×0.5×1 mm). Both packages must agree on both. Anything
 * else is refused at load with the expected and the actual shape. A Grad-CAM output comes back in the network's
 * input frame; the flips the package applies to its input are undone on the CAM so it overlays the crop as cut.
 */
public final class SbrRegressor implements AutoCloseable {
    /** Folder-name prefix of the bundled pair under models/. */
    public static final String BUNDLED = "nigrosome-vgg3d";

    /**
     * One side's result.
     *
     * @param side        patient side
     * @param sbr         predicted SBR (after the package's output scale; never clamped)
     * @param crop        the crop that was fed (raw, before the package's preprocessing)
     * @param cam         Grad-CAM on the crop's grid (0–1), or {@code null} when the model has none
     * @param model       the package id
     * @param millis      time of the prediction (preprocessing + network), ms
     * @param statistics  the crop's input statistics ({@link PatchStatistics})
     * @param warnings    applicability warnings (input unlike the training data, prediction outside the trained range)
     */
    public record SideResult(Side side, double sbr, NigrosomeCrop crop, Volume cam, String model, double millis,
                             Map<String, Double> statistics, List<String> warnings) {
        public SideResult {
            warnings = List.copyOf(warnings);
        }

        /** {@code true} when the checks found nothing to say. */
        public boolean applicable() {
            return warnings.isEmpty();
        }
    }

    /** Both sides, and what each model is (id, version, training data, licence). */
    public record Result(SideResult left, SideResult right, Map<String, Object> modelLeft,
                         Map<String, Object> modelRight) {
        public SideResult get(Side s) {
            return s == Side.LEFT ? left : right;
        }

        /** Mean of the two sides' predictions (the phantoms' "target SBR"). */
        public double sbrMean() {
            return (left.sbr + right.sbr) / 2;
        }

        /** Every warning, each prefixed with its side; plus "trained on phantoms" when a model learnt only from them. */
        public List<String> warnings() {
            List<String> w = new java.util.ArrayList<>();
            for (SideResult s : List.of(left, right)) {
                for (String x : s.warnings) {
                    w.add(s.side.label() + ": " + x);
                }
            }
            return w;
        }

        /** "trained on real patients", "trained on phantoms" (or both models' words when they differ). */
        public String trainingData() {
            String a = words(modelLeft);
            String b = words(modelRight);
            return a.equals(b) ? a : "left " + a + ", right " + b;
        }

        private static String words(Map<String, Object> m) {
            Object t = m.get("training_data");
            return ModelPackage.TRAINING_REAL.equals(t) ? "trained on real patients"
                    : ModelPackage.TRAINING_PHANTOMS.equals(t) ? "trained on phantoms" : "training data unknown";
        }

        /**
         * {"sbr_left", "sbr_right", "sbr_mean", "model_left", "model_right", "training_data", "models": {left, right},
         * "warnings": [...], "left": {crop..., statistics, warnings}, ...}.
         */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("sbr_left", left.sbr);
            m.put("sbr_right", right.sbr);
            m.put("sbr_mean", sbrMean());
            m.put("model_left", left.model);
            m.put("model_right", right.model);
            m.put("training_data", trainingData());
            m.put("models", org.dopaj.io.Ordered.map("left", modelLeft, "right", modelRight));
            m.put("warnings", warnings());
            for (SideResult s : List.of(left, right)) {
                Map<String, Object> d = new LinkedHashMap<>(s.crop.toMap());
                d.put("sbr", s.sbr);
                d.put("cam", s.cam != null);
                d.put("predict_ms", s.millis);
                d.put("input_statistics", s.statistics);
                d.put("warnings", s.warnings);
                m.put(s.side.label(), d);
            }
            return m;
        }
    }

    private final DopajModel[] models;
    private final TensorSpec[] inputs;
    private final NigrosomeCropper cropper;

    private SbrRegressor(DopajModel left, DopajModel right, NigrosomeCropper cropper) {
        this.models = new DopajModel[]{left, right};
        this.inputs = new TensorSpec[]{left.modelPackage().inputs().get(0), right.modelPackage().inputs().get(0)};
        this.cropper = cropper;
    }

    /** The two package folders of a model option: see {@link #resolvePair(String)}. */
    public static Path[] bundledPair() {
        Path models = ModelRegistry.modelsDir();
        if (models == null || !Files.isDirectory(models.resolve(BUNDLED + "-left"))) {
            throw new DopajException("the bundled nigrosome model " + BUNDLED + "-left was not found (no models/ folder;"
                    + " set -Ddopaj.models=DIR, or name the model: --model on the command line, model= in Fiji)");
        }
        return new Path[]{models.resolve(BUNDLED + "-left"), models.resolve(BUNDLED + "-right")};
    }

    /** The capability name packages declare in {@code config.dopaj.capability}. */
    public static final String CAPABILITY = "nigrosome-sbr";

    /** The pair a run without a model option uses, and why. */
    public record Choice(Path left, Path right, String reason) {
        public Path[] pair() {
            return new Path[]{left, right};
        }
    }

    /**
     * The default pair, chosen by evidence: an installed pair (user model folder, {@link ModelRegistry#userModelsDir()})
     * for {@code nigrosome-sbr} trained on real patients whose checksums verify; otherwise DopaJ's own bundled pair,
     * trained on phantoms. Several real-patient pairs: the first by folder name.
     */
    public static Choice defaultChoice() {
        for (Path d : ModelRegistry.packageDirs(ModelRegistry.userModelsDir())) {
            try {
                ModelPackage p = ModelPackage.read(d);
                if (!CAPABILITY.equals(p.capability()) || !"left".equals(side(p))
                        || !ModelPackage.TRAINING_REAL.equals(p.trainingData()) || !p.verify().isEmpty()) {
                    continue;
                }
                Path[] pair = resolvePair(d.toString());
                ModelPackage r = ModelPackage.read(pair[1]);
                if (ModelPackage.TRAINING_REAL.equals(r.trainingData()) && r.verify().isEmpty()) {
                    return new Choice(pair[0], pair[1], "default: installed pair trained on real patients ("
                            + p.id() + ", " + r.id() + ")");
                }
            } catch (DopajException ignored) {
                // a broken installed package must not hide the bundled default
            }
        }
        Path[] b = bundledPair();
        return new Choice(b[0], b[1], "default: DopaJ's own pair, trained on phantoms (no pair trained on real patients"
                + " is installed: dopaj models install ...)");
    }

    /**
     * Resolves one model option to a left and a right package: a package (folder or id) that declares
     * {@code side: left} or {@code right} is paired with the sibling folder whose name has {@code left} and
     * {@code right} swapped (e.g. {@code mri-dat-nigral-vgg-left} ↔ {@code mri-dat-nigral-vgg-right}); a folder
     * without rdf.yaml holding exactly one left and one right package is that pair.
     */
    public static Path[] resolvePair(String model) {
        Path dir = Path.of(model);
        if (Files.isDirectory(dir) && !Files.isRegularFile(dir.resolve(ModelPackage.RDF))) {
            Path l = null;
            Path r = null;
            for (Path d : ModelRegistry.packageDirs(dir)) {
                String side = side(ModelPackage.read(d));
                if ("left".equals(side)) {
                    if (l != null) {
                        throw new DopajException("--model " + model + ": holds more than one left package (" + l
                                .getFileName() + ", " + d.getFileName() + "); name one with --model-left/--model-right");
                    }
                    l = d;
                } else if ("right".equals(side)) {
                    if (r != null) {
                        throw new DopajException("--model " + model + ": holds more than one right package");
                    }
                    r = d;
                }
            }
            if (l == null || r == null) {
                throw new DopajException("--model " + model + ": no left and right package (config.dopaj.side) in it");
            }
            return new Path[]{l, r};
        }
        Path p = ModelRegistry.find(model);
        String side = side(ModelPackage.read(p));
        if (!"left".equals(side) && !"right".equals(side)) {
            throw new DopajException("model " + p.getFileName() + ": config.dopaj.side must be left or right to pair it"
                    + " (got " + side + "); give --model-left and --model-right");
        }
        String name = p.getFileName().toString();
        String other = swapSide(name);
        if (other.equals(name)) {
            throw new DopajException("model " + name + ": its folder name has no 'left'/'right' to find the other side;"
                    + " give --model-left and --model-right");
        }
        Path q = p.resolveSibling(other);
        if (!Files.isRegularFile(q.resolve(ModelPackage.RDF))) {
            throw new DopajException("model " + name + ": the other side's package " + q + " was not found; give"
                    + " --model-left and --model-right");
        }
        return side.equals("left") ? new Path[]{p, q} : new Path[]{q, p};
    }

    private static String swapSide(String name) {
        return name.replace("left", "\u0000").replace("right", "left").replace("\u0000", "right")
                .replace("Left", "\u0000").replace("Right", "Left").replace("\u0000", "Right");
    }

    /** Loads the pair, checking that each fits a nigrosome crop and its side. */
    public static SbrRegressor load(Path left, Path right, ComputeDevice device) {
        ModelPackage pl = ModelPackage.load(left);
        ModelPackage pr = ModelPackage.load(right);
        NigrosomeCropper cl = check(pl, Side.LEFT);
        NigrosomeCropper cr = check(pr, Side.RIGHT);
        if (!java.util.Arrays.equals(cl.size(), cr.size()) || !java.util.Arrays.equals(cl.voxelMm(), cr.voxelMm())) {
            throw new DopajException("models " + pl.id() + " and " + pr.id() + " expect different crops ("
                    + dims(cl) + " vs " + dims(cr) + ")");
        }
        DopajModel ml = DopajModel.load(pl, device);
        try {
            return new SbrRegressor(ml, DopajModel.load(pr, device), cl);
        } catch (RuntimeException e) {
            ml.close();
            throw e;
        }
    }

    private static String dims(NigrosomeCropper c) {
        int[] s = c.size();
        double[] v = c.voxelMm();
        return String.format(Locale.ROOT, "%d×%d×%d of %s×%s×%s mm", s[0], s[1], s[2], v[0], v[1], v[2]);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dopajConfig(ModelPackage p) {
        Object c = p.rdf().get("config");
        Object d = c instanceof Map ? ((Map<String, Object>) c).get("dopaj") : null;
        return d instanceof Map ? (Map<String, Object>) d : Map.of();
    }

    private static String side(ModelPackage p) {
        Object s = dopajConfig(p).get("side");
        return s == null ? null : s.toString().toLowerCase(Locale.ROOT);
    }

    /** The cropper a package needs; refuses a package that cannot take a nigrosome crop on {@code side}. */
    static NigrosomeCropper check(ModelPackage p, Side side) {
        String where = "model " + p.id() + " (" + p.dir() + ")";
        if (!"regression".equals(p.task())) {
            throw new DopajException(where + ": task is " + p.task() + ", the SBR needs a regression model");
        }
        String s = side(p);
        if (!side.label().equals(s)) {
            throw new DopajException(where + ": config.dopaj.side is " + s + ", but it was given for the "
                    + side.label() + " side");
        }
        if (p.inputs().size() != 1) {
            throw new DopajException(where + ": needs exactly one input (the crop), has " + p.inputs().size());
        }
        int[] size = {50, 50, 20};
        Object crop = dopajConfig(p).get("crop");
        if (crop instanceof Map<?, ?> cm && cm.get("size") instanceof List<?> l && l.size() == 3) {
            for (int i = 0; i < 3; i++) {
                size[i] = ((Number) l.get(i)).intValue();
            }
        }
        double[] vox = p.voxelSizeMm() != null ? p.voxelSizeMm() : new double[]{0.5, 0.5, 1.0};
        TensorSpec in = p.inputs().get(0);
        String expected = "[batch, x=" + size[0] + ", y=" + size[1] + ", z=" + size[2] + ", channel=1]";
        List<AxisSpec> ax = in.axes();
        boolean ok = ax.size() == 5 && ax.get(0).isBatch() && "channel".equals(ax.get(4).type())
                && Integer.valueOf(1).equals(ax.get(4).size());
        String[] ids = {"x", "y", "z"};
        for (int i = 0; ok && i < 3; i++) {
            AxisSpec a = ax.get(i + 1);
            ok = "space".equals(a.type()) && ids[i].equals(a.id()) && Integer.valueOf(size[i]).equals(a.size());
        }
        if (!ok) {
            throw new DopajException(where + ": input '" + in.id() + "' is " + in.describeShape() + ", but the nigrosome"
                    + " crop needs " + expected);
        }
        Object pad = crop instanceof Map<?, ?> cm ? cm.get("padding") : null;
        NigrosomeCropper.Padding padding = "zero".equals(String.valueOf(pad)) ? NigrosomeCropper.Padding.ZERO
                : NigrosomeCropper.Padding.CROP_MEAN;
        return new NigrosomeCropper(size[0], size[1], size[2], vox[0], vox[1], vox[2], padding);
    }

    /** Wraps two side results with what each model is. */
    public Result result(SideResult left, SideResult right) {
        return new Result(left, right, describe(Side.LEFT), describe(Side.RIGHT));
    }

    /** What results name about a side's model: id, version, training data, licence, source, checks. */
    public Map<String, Object> describe(Side side) {
        ModelPackage p = modelPackage(side);
        Map<String, Object> m = p.describe();
        m.put("source", p.weightsSource());
        return m;
    }

    /** The cropper both models need. */
    public NigrosomeCropper cropper() {
        return cropper;
    }

    /** The package of one side. */
    public ModelPackage modelPackage(Side side) {
        return models[side.ordinal()].modelPackage();
    }

    /** Crops both sides of {@code image} and predicts each side's SBR (and CAM, when the models export one). */
    public Result predict(Volume image, Centroids centroids) {
        List<NigrosomeCrop> crops = cropper.crop(image, centroids);
        return result(predict(crops.get(0)), predict(crops.get(1)));
    }

    /**
     * One side's prediction from a ready-made patch (e.g. one the authors of a model cut themselves), fed as it is:
     * no cropping, no resampling. It must have the crop size ({@link #cropper()}); its centre voxel is taken as the
     * centroid.
     */
    public SideResult predictPatch(Side side, Volume patch) {
        int[] size = cropper.size();
        if (patch.nt() != 1 || patch.nx() != size[0] || patch.ny() != size[1] || patch.nz() != size[2]) {
            throw new DopajException(side.label() + " patch is " + patch.nx() + "×" + patch.ny() + "×" + patch.nz()
                    + (patch.nt() > 1 ? "×" + patch.nt() : "") + ", the models need " + size[0] + "×" + size[1] + "×"
                    + size[2]);
        }
        patch.requireFinite(side.label() + " patch");
        int[] ci = cropper.centreIndex();
        Grid g = patch.grid();
        Point3 v = new Point3(ci[0], ci[1], ci[2]);
        Centroid c = new Centroid(side, v, Point3.of(g.toMm(ci[0], ci[1], ci[2])));
        return predict(new NigrosomeCrop(side, c, patch, false, 1.0, 0f));
    }

    /**
     * A patch stored as a numpy array ({@code .npy}, float32, shape [x, y, z] or [1, x, y, z, 1] in C order — the
     * layout the TensorFlow models take) as a volume on a grid of the crop's voxel size.
     */
    public Volume patchFromTensor(Tensor t, Side side) {
        int[] size = cropper.size();
        long n = (long) size[0] * size[1] * size[2];
        if (t.size() != n) {
            throw new DopajException(side.label() + " patch has shape " + java.util.Arrays.toString(t.shape())
                    + ", the models need " + size[0] + "×" + size[1] + "×" + size[2] + " (x, y, z)");
        }
        double[] v = cropper.voxelMm();
        Grid g = Grid.of(size[0], size[1], size[2], v[0], v[1], v[2]);
        return NigrosomeCropper.fromTensorCOrder(t.data(), g);
    }

    /**
     * One side's prediction from its crop (cut by {@link #cropper()}), with the applicability checks: the crop's
     * statistics against the package's training bounds, the prediction against its training target range. A crop no
     * SMWI can give (empty, constant, negative, non-finite) is refused.
     */
    public SideResult predict(NigrosomeCrop crop) {
        int s = crop.side().ordinal();
        DopajModel m = models[s];
        ModelPackage p = m.modelPackage();
        TensorSpec in = inputs[s];
        PatchStatistics.requireUsable(crop.volume(), crop.side().label() + " nigrosome crop");
        Map<String, Double> stats = PatchStatistics.of(crop.volume());
        long t0 = System.nanoTime();
        Map<String, Tensor> out = m.predict(Map.of(in.id(), TensorLayout.fromVolume(crop.volume(), in)));
        double ms = (System.nanoTime() - t0) / 1e6;
        double sbr = out.get(p.predictionOutput()).data()[0];
        Volume cam = null;
        if (p.camOutput() != null && out.get(p.camOutput()) != null) {
            Grid g = crop.volume().grid();
            cam = TensorLayout.toVolume(out.get(p.camOutput()), p.output(p.camOutput()), g);
            cam = undoFlips(cam, p.preprocessing(in.id()), in);
        }
        List<String> w = new java.util.ArrayList<>();
        if (!Double.isFinite(sbr)) {
            throw new DopajException("model " + p.id() + " returned " + sbr + " for the " + crop.side().label() + " side");
        }
        w.addAll(p.applicability().checkInput(PatchStatistics.DEFINITION, stats));
        w.addAll(p.applicability().checkPrediction("SBR", sbr));
        return new SideResult(crop.side(), sbr, crop, cam, p.id(), ms, stats, w);
    }

    /** Reverses, on the CAM, each {@code flip_axis} the package applied to its input. */
    static Volume undoFlips(Volume cam, Preprocessing pre, TensorSpec in) {
        Volume v = cam;
        for (Preprocessing.Step st : pre.steps()) {
            if (st.name().equals("flip_axis")) {
                int a = in.axisIndex(String.valueOf(st.parameters()));
                String id = in.axes().get(a).id();
                int axis = "x".equals(id) ? 0 : "y".equals(id) ? 1 : "z".equals(id) ? 2 : -1;
                if (axis >= 0) {
                    v = flip(v, axis);
                }
            }
        }
        return v;
    }

    static Volume flip(Volume v, int axis) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        Volume f = Volume.allocate(v.grid());
        for (int z = 0; z < nz; z++) {
            float[] src = v.plane(axis == 2 ? nz - 1 - z : z);
            float[] dst = f.plane(z);
            for (int y = 0; y < ny; y++) {
                int sy = axis == 1 ? ny - 1 - y : y;
                for (int x = 0; x < nx; x++) {
                    dst[x + y * nx] = src[(axis == 0 ? nx - 1 - x : x) + sy * nx];
                }
            }
        }
        return f;
    }

    @Override
    public void close() {
        for (DopajModel m : models) {
            m.close();
        }
    }
}
