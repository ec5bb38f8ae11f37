package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.gui.Overlay;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.filter.Analyzer;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.dopaj.DopajException;
import org.dopaj.cam.CamOverlay;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.SbrRegressor;

/**
 * Plugins›DopaJ›Nigrosome›Predict SBR: predicts the left and right striatal DaT SBR from the nigrosome-1 crops of the
 * current SMWI image with a left/right model pair — the bundled {@code nigrosome-vgg3d} pair by default, or
 * {@code model=} a package (its other side found by name, e.g. {@code mri-dat-nigral-vgg-left}) or a folder holding
 * both — and lists them in the table "DopaJ Nigrosome SBR" (side, sbr, model). With {@code show_cam}, each crop is shown
 * with its Grad-CAM overlaid at {@code opacity} (when the model has one). Centroids as in Crop ROIs.
 * Macro: {@code run("Predict SBR", "centroids=[left=35,52,18 right=82,47,18] units=voxel model=[] opacity=0.4");}
 */
public class NigrosomePredict implements PlugIn {
    static final String TITLE = "Predict SBR";

    @Override
    public void run(String arg) {
        ImagePlus imp = CommandRunner.currentImage(TITLE);
        if (imp == null) {
            return;
        }
        Params p = NigrosomeFiji.centroidParams(TITLE)
                .string("model", "", "model id, package or folder of a left/right pair; blank = the default pair")
                .check("show_cam", true).number("opacity", 0.4, 2, "0–1", "CAM overlay opacity at its maximum")
                .check("use_gpu", false, "CUDA GPU when DopaJ was built with -Pgpu, else the CPU");
        CommandRunner.run(TITLE, () -> {
            if (!p.read()) {
                return;
            }
            double opacity = p.getNumber("opacity");
            if (!(opacity >= 0 && opacity <= 1)) {
                throw new DopajException("opacity must be between 0 and 1, got " + opacity);
            }
            NigrosomeFiji.Input in = NigrosomeFiji.input(imp, p.getString("voxel_size"), NigrosomeFiji.mayAsk());
            Volume v = in.volume();
            Centroids c = NigrosomeFiji.centroids(imp, v, p.getString("centroids"), p.getChoice("units"));
            NigrosomeFiji.recordUsed(p, c, in.voxelSize());
            Result r = predict(v, c, p.getString("model"), ComputeDevice.fromUseGpu(p.getCheck("use_gpu")));
            ResultsTable rt = table(r.result());
            if (ij.macro.Interpreter.isBatchMode() || Params.headless()) {
                Analyzer.setResultsTable(rt);
            }
            rt.show("DopaJ Nigrosome SBR");
            IJ.log(String.format(Locale.ROOT, "DopaJ %s: sbr_left=%.4f sbr_right=%.4f (models %s %s, %s %s; %s)",
                    TITLE, r.result().left().sbr(), r.result().right().sbr(), r.result().left().model(),
                    r.result().modelLeft().get("version"), r.result().right().model(),
                    r.result().modelRight().get("version"), r.result().trainingData()));
            for (String w : r.result().warnings()) {
                IJ.log("DopaJ " + TITLE + " WARNING: " + w);
            }
            if (p.getCheck("show_cam") && !Params.headless()) {
                for (ImagePlus ci : camImages(imp.getShortTitle(), r.result(), opacity)) {
                    Viewer.show(ci);
                }
            }
        });
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
            ImagePlus ci = NigrosomeCrop.cropImage(s.crop(), String.format(Locale.ROOT,
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
