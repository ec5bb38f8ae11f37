package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiHeader;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.SbrRegressor;

/**
 * {@code dopaj nigrosome-sbr FILE --left x,y,z --right x,y,z [--mm] [--model DIR|ID | --model-left DIR --model-right DIR]
 * [--cam DIR] [--device auto|cpu|gpu] [--voxel-size X,Y,Z] [--force] [--json]}: crops both nigrosome-1 regions and
 * predicts each side's striatal SBR with a left/right model pair ({@link SbrRegressor}): the bundled
 * {@code nigrosome-vgg3d} pair by default; {@code --model models/mri-dat-nigral-vgg-left} runs the published pair.
 * JSON: {@code {"sbr_left", "sbr_right", "sbr_mean", "model_left", "model_right", "left": {...}, "right": {...}}}.
 * {@code --cam DIR} also writes each side's crop and Grad-CAM as NIfTI on the crop grid (when the model has a CAM).
 * Patch mode ({@code --left-patch P --right-patch P}): ready-made 50×50×20 patches (NIfTI, or {@code .npy} float32 in
 * the [x, y, z] C order TensorFlow takes) go to the models as they are — no crop, no resampling — so the published
 * models can be checked against TensorFlow's own numbers on the authors' patches.
 */
final class NigrosomeSbrCli implements CliCommand {
    @Override
    public String name() {
        return "nigrosome-sbr";
    }

    @Override
    public String usage() {
        return "nigrosome-sbr FILE --left x,y,z --right x,y,z [--mm] [--model DIR|ID | --model-left DIR --model-right DIR]"
                + " [--cam DIR] [--device auto|cpu|gpu] [--voxel-size X,Y,Z] [--force] [--json]"
                + "\n        | nigrosome-sbr --left-patch P --right-patch P [--model ...] [--json]   (50×50×20 NIfTI/.npy patches,"
                + " fed as they are)";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, DeclaredOptions.valued(name(), "left", "right", "model-left", "model-right", "cam",
                "device", "left-patch", "right-patch"), DeclaredOptions.flags(name(), "mm", "json", "force"));
        if (a.has("left-patch") || a.has("right-patch")) {
            return patches(a, out);
        }
        Path file = Path.of(a.positional(0, "FILE (the SMWI image)"));
        CliSupport.maxPositionals(a, 1, usage());
        Path camDir = a.has("cam") ? Path.of(a.option("cam")) : null;
        if (camDir != null) {
            CliSupport.checkOutputsIn(camDir, "--cam", a.flag("force"), List.of(camNames()), file);
        }
        ComputeDevice dev = ComputeDevice.parse(a.option("device", System.getProperty(ComputeDevice.PROPERTY)));
        Volume v = NigrosomeCli.image(file, a);
        Centroids c = NigrosomeCli.centroids(a, v);
        Path[] pair = NigrosomeCli.models(a);
        Map<String, Object> res = new LinkedHashMap<>();
        if (!a.has("model") && !a.has("model-left")) {
            res.put("model_choice", SbrRegressor.defaultChoice().reason());
        }
        try (SbrRegressor reg = SbrRegressor.load(pair[0], pair[1], dev)) {
            SbrRegressor.Result r = reg.predict(v, c);
            res.putAll(r.toMap());
            res.put("input", file.toString());
            res.put("units", a.flag("mm") ? "mm" : "voxel");
            res.put("centroids", c.toMap());
            if (camDir != null) {
                try {
                    Files.createDirectories(camDir);
                } catch (java.io.IOException e) {
                    throw new DopajException(camDir + ": cannot create the folder: " + e.getMessage());
                }
                String[] names = camNames();
                int i = 0;
                for (SbrRegressor.SideResult s : List.of(r.left(), r.right())) {
                    NiftiHeader h = new NiftiHeader();
                    h.setDescrip("DopaJ nigrosome-1 crop " + s.side().label());
                    Nifti.write(s.crop().volume(), camDir.resolve(names[i]), h);
                    if (s.cam() != null) {
                        NiftiHeader hc = new NiftiHeader();
                        hc.setDescrip("DopaJ Grad-CAM " + s.side().label() + " " + s.model());
                        Nifti.write(s.cam(), camDir.resolve(names[i + 1]), hc);
                    }
                    i += 2;
                }
                res.put("cam_dir", camDir.toString());
            }
        }
        res.put("notice", CliSupport.NOTICE);
        if (a.flag("json")) {
            CliSupport.printJson(out, res);
        } else {
            out.println(String.format(Locale.ROOT, "SBR left %.3f, right %.3f (mean %.3f); models %s / %s (%s)",
                    res.get("sbr_left"), res.get("sbr_right"), res.get("sbr_mean"), res.get("model_left"),
                    res.get("model_right"), res.get("training_data")));
            printWarnings(out, res);
        }
        return 0;
    }

    /** {@code --left-patch P --right-patch P}: ready-made 50×50×20 patches (NIfTI or .npy) fed as they are. */
    private static int patches(Args a, PrintStream out) {
        if (!a.has("left-patch") || !a.has("right-patch") || !a.positionals().isEmpty() || a.has("left")
                || a.has("right") || a.has("cam")) {
            throw new DopajException("patch mode: give --left-patch P and --right-patch P (NIfTI or .npy, 50×50×20), and no"
                    + " FILE, --left/--right or --cam");
        }
        ComputeDevice dev = ComputeDevice.parse(a.option("device", System.getProperty(ComputeDevice.PROPERTY)));
        Path[] pair = NigrosomeCli.models(a);
        // both patches are read and checked before the engine starts: a missing, empty or constant patch costs nothing
        Object[] patch = new Object[2];
        for (org.dopaj.nigrosome.Side side : org.dopaj.nigrosome.Side.values()) {
            Path p = Path.of(a.option(side.label() + "-patch"));
            CliSupport.requireFile(p);
            try {
                if (CliSupport.lowerName(p).endsWith(".npy")) {
                    org.dopaj.dl.model.Tensor t = org.dopaj.dl.model.Npy.read(p);
                    requireContrast(t.data(), p);
                    patch[side.ordinal()] = t;
                } else {
                    Volume v = org.dopaj.io.ImageFiles.read(p);
                    CliSupport.requireAnalysable(v, p);
                    patch[side.ordinal()] = v;
                }
            } catch (DopajException e) {
                throw CliSupport.naming(p, e);
            }
        }
        Map<String, Object> res = new LinkedHashMap<>();
        if (!a.has("model") && !a.has("model-left")) {
            res.put("model_choice", SbrRegressor.defaultChoice().reason());
        }
        try (SbrRegressor reg = SbrRegressor.load(pair[0], pair[1], dev)) {
            SbrRegressor.SideResult[] r = new SbrRegressor.SideResult[2];
            for (org.dopaj.nigrosome.Side side : org.dopaj.nigrosome.Side.values()) {
                Path p = Path.of(a.option(side.label() + "-patch"));
                Object x = patch[side.ordinal()];
                try {
                    Volume v = x instanceof Volume ? (Volume) x
                            : reg.patchFromTensor((org.dopaj.dl.model.Tensor) x, side);
                    r[side.ordinal()] = reg.predictPatch(side, v);
                } catch (DopajException e) {
                    throw CliSupport.naming(p, e);
                }
            }
            SbrRegressor.Result rr = reg.result(r[0], r[1]);
            Map<String, Object> m = rr.toMap();
            for (String k : List.of("sbr_left", "sbr_right", "sbr_mean", "model_left", "model_right", "training_data",
                    "models", "warnings")) {
                res.put(k, m.get(k));
            }
            for (SbrRegressor.SideResult x : r) {
                res.put(x.side().label(), Map.of("sbr", x.sbr(), "input_statistics", x.statistics(), "warnings",
                        x.warnings(), "predict_ms", x.millis()));
            }
            res.put("input", "patches " + a.option("left-patch") + ", " + a.option("right-patch") + " (fed as they are)");
        }
        res.put("notice", CliSupport.NOTICE);
        if (a.flag("json")) {
            CliSupport.printJson(out, res);
        } else {
            out.println(String.format(Locale.ROOT, "SBR left %.3f, right %.3f; models %s / %s (%s)", res.get("sbr_left"),
                    res.get("sbr_right"), res.get("model_left"), res.get("model_right"), res.get("training_data")));
            printWarnings(out, res);
        }
        return 0;
    }

    /** A patch's voxels must vary: an empty or constant patch has no anatomy to read. */
    private static void requireContrast(float[] x, Path p) {
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float f : x) {
            if (Float.isFinite(f)) {
                lo = Math.min(lo, f);
                hi = Math.max(hi, f);
            }
        }
        if (!(hi > lo)) {
            throw new DopajException(p + ": " + (lo > hi ? "no finite voxel" : lo == 0 ? "empty patch (every voxel is 0)"
                    : "constant patch (every voxel is " + lo + ")") + ": nothing to analyse");
        }
    }

    private static void printWarnings(PrintStream out, Map<String, Object> res) {
        for (Object w : (List<?>) res.get("warnings")) {
            out.println("WARNING: " + w);
        }
    }

    static String[] camNames() {
        return new String[]{"crop_left.nii.gz", "cam_left.nii.gz", "crop_right.nii.gz", "cam_right.nii.gz"};
    }
}
