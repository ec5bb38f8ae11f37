package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.measure.ResultsTable;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dopaj.DopajException;
import org.dopaj.cam.CamOverlay;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.SbrRegressor;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›Nigrosome›Predict SBR: predicts the left and right striatal DaT SBR from the nigrosome-1 crops of an
 * SMWI image with a left/right model pair — the bundled {@code nigrosome-vgg3d} pair by default, or {@code model=} a
 * package (its other side found by name, e.g. {@code mri-dat-nigral-vgg-left}) or a folder holding both — in the table
 * "DopaJ Nigrosome SBR" (side, sbr, model) and as numbers for scripts. With {@code show_cam}, each crop is shown with
 * its Grad-CAM overlaid at {@code opacity} (when the model has one). Centroids and voxel size as in Crop ROIs.
 * Macro: {@code run("Predict SBR", "centroids=[left=35,52,18 right=82,47,18] units=voxel model=[] opacity=0.4");}
 */
@Plugin(type = Command.class, name = "dopaj.nigrosome-sbr", label = "Predict SBR",
        menuPath = "Plugins>DopaJ>Nigrosome>Predict SBR", headless = true, attrs = @Attr(name = "cli", value = "nigrosome-sbr"),
        description = NigrosomeFiji.CENTROIDS_MESSAGE)
public class NigrosomePredictCommand implements Command {
    static final String TITLE = "Predict SBR";
    static final String TABLE = "DopaJ Nigrosome SBR";

    @Parameter(label = "image", attrs = @Attr(name = "cli", value = "positional"))
    private ImagePlus image;

    @Parameter(label = "centroids", required = false, description = NigrosomeFiji.CENTROIDS_HINT, attrs = @Attr(name = "cli", value = "--left --right"))
    private String centroids = "";

    @Parameter(label = "units", choices = {"voxel", "mm"}, description = NigrosomeFiji.UNITS_HINT, attrs = @Attr(name = "cli", value = "--mm"))
    private String units = "voxel";

    @Parameter(label = "voxel_size", required = false, description = NigrosomeFiji.VOXEL_SIZE_HINT)
    private String voxel_size = "";

    @Parameter(label = "model", required = false, description = "model id, package or folder of a left/right pair;"
            + " blank = the default pair")
    private String model = "";

    @Parameter(label = "show_cam", required = false, description = "each crop with its Grad-CAM as an image", attrs = @Attr(name = "cli", value = "--cam"))
    private boolean show_cam = true;

    @Parameter(label = "opacity", min = "0", max = "1", description = "CAM overlay opacity at its maximum",
            attrs = {@Attr(name = "units", value = "0–1"), @Attr(name = "cli", value = "none")})
    private double opacity = 0.4;

    @Parameter(label = "use_gpu", required = false, description = "CUDA GPU when DopaJ was built with -Pgpu, else the"
            + " CPU", attrs = @Attr(name = "cli", value = "--device"))
    private boolean use_gpu;

    @Parameter(type = ItemIO.OUTPUT)
    private double sbr_left;

    @Parameter(type = ItemIO.OUTPUT)
    private double sbr_right;

    @Parameter(type = ItemIO.OUTPUT)
    private double sbr_mean;

    @Parameter(type = ItemIO.OUTPUT)
    private String models;

    @Parameter(type = ItemIO.OUTPUT)
    private String model_versions;

    @Parameter(type = ItemIO.OUTPUT)
    private String training_data;

    @Parameter(type = ItemIO.OUTPUT)
    private String warnings;

    /** The left crop with its CAM ({@code show_cam}), else null. */
    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus cam_left;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus cam_right;

    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    @Override
    public void run() {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new DopajException("parameter opacity must be between 0 and 1, got " + opacity);
        }
        NigrosomeFiji.Input in = NigrosomeFiji.input(image, voxel_size, NigrosomeFiji.mayAsk());
        Volume v = in.volume();
        Centroids c = NigrosomeFiji.centroids(image, v, centroids, units);
        NigrosomeFiji.Used used = NigrosomeFiji.used(centroids, units, voxel_size, c, in.voxelSize());
        centroids = used.centroids(); // what a replay types: the Recorder writes these
        units = used.units();
        voxel_size = used.voxelSize();
        Result r = predict(v, c, model, ComputeDevice.fromUseGpu(use_gpu));
        SbrRegressor.Result res = r.result();
        sbr_left = res.left().sbr();
        sbr_right = res.right().sbr();
        sbr_mean = res.sbrMean();
        models = res.left().model() + " + " + res.right().model();
        model_versions = res.modelLeft().get("version") + " + " + res.modelRight().get("version");
        training_data = res.trainingData();
        warnings = String.join(" | ", res.warnings());
        table = table(res);
        IJ.log(String.format(Locale.ROOT, "DopaJ %s: sbr_left=%.4f sbr_right=%.4f (models %s %s, %s %s; %s)",
                TITLE, res.left().sbr(), res.right().sbr(), res.left().model(), res.modelLeft().get("version"),
                res.right().model(), res.modelRight().get("version"), res.trainingData()));
        for (String w : res.warnings()) {
            IJ.log("DopaJ " + TITLE + " WARNING: " + w);
        }
        if (show_cam) {
            List<ImagePlus> cams = camImages(image.getShortTitle(), res, opacity);
            cam_left = cams.get(0);
            cam_right = cams.get(1);
        }
    }

    /** Prediction and the pair used. */
    record Result(SbrRegressor.Result result, Path left, Path right) {
    }

    /** Runs the pair chosen by {@code model} ("" = bundled) on the crops. */
    static Result predict(Volume v, Centroids c, String model, ComputeDevice device) {
        Path[] pair = model == null || model.isBlank() ? SbrRegressor.defaultChoice().pair()
                : SbrRegressor.resolvePair(model);
        try (SbrRegressor reg = SbrRegressor.load(pair[0], pair[1], device)) {
            return new Result(reg.predict(v, c), pair[0], pair[1]);
        }
    }

    /**
     * Rows: side, sbr, model, model_version, training_data, warnings ("" when none), centroid voxel; a third row with the
     * mean of both sides (its warnings: all of them).
     */
    static ResultsTable table(SbrRegressor.Result r) {
        ResultsTable rt = new ResultsTable();
        for (SbrRegressor.SideResult s : List.of(r.left(), r.right())) {
            java.util.Map<String, Object> md = s.side() == org.dopaj.nigrosome.Side.LEFT ? r.modelLeft() : r.modelRight();
            rt.incrementCounter();
            rt.addValue("side", s.side().label());
            rt.addValue("sbr", s.sbr());
            rt.addValue("model", s.model());
            rt.addValue("model_version", String.valueOf(md.get("version")));
            rt.addValue("training_data", String.valueOf(md.get("training_data")));
            rt.addValue("warnings", String.join(" | ", s.warnings()));
            double[] vx = s.crop().centroid().voxel().toArray();
            rt.addValue("voxel_x", vx[0]);
            rt.addValue("voxel_y", vx[1]);
            rt.addValue("voxel_z", vx[2]);
        }
        rt.incrementCounter();
        rt.addValue("side", "mean");
        rt.addValue("sbr", r.sbrMean());
        rt.addValue("model", "");
        rt.addValue("model_version", "");
        rt.addValue("training_data", r.trainingData());
        rt.addValue("warnings", String.join(" | ", r.warnings()));
        return rt;
    }

    /** Each crop as a calibrated image with its CAM overlaid (crops without a CAM are shown plain). */
    static List<ImagePlus> camImages(String title, SbrRegressor.Result r, double opacity) {
        List<ImagePlus> l = new java.util.ArrayList<>();
        for (SbrRegressor.SideResult s : List.of(r.left(), r.right())) {
            ImagePlus ci = NigrosomeCropCommand.cropImage(s.crop(), String.format(Locale.ROOT,
                    "%s nigrosome %s SBR %.2f", title, s.side().label(), s.sbr()));
            if (s.cam() != null) {
                Overlay cam = CamOverlay.overlay(ci, Inputs.asShown(s.cam(), ci), ColorMap.of("jet"), opacity, false);
                Overlays.replace(ci, Overlays.CAM, cam);
                // a legend needs about 30×50 pixels: on a 50×50 crop the range goes into the title and the info
                ci.setTitle(ci.getTitle() + " (Grad-CAM jet 0–1)");
                ci.setProperty("Info", "overlay: Grad-CAM of the SBR prediction, jet colour map, 0 (blue) to 1 (red),"
                        + " opacity " + opacity + " at 1");
            }
            l.add(ci);
        }
        return l;
    }
}
