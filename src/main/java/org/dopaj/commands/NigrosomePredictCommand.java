package org.dopaj.commands;

import ij.ImagePlus;
import org.dopaj.DopajException;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.nigrosome.Centroids;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava twin of Plugins›DopaJ›Nigrosome›Predict SBR for scripts and headless batch: the same parameters
 * ({@code centroids} as {@code left=x,y,z right=x,y,z}, {@code units}, {@code voxel_size} for an uncalibrated image,
 * {@code model}, blank = bundled pair) and the SBRs as outputs. Never asks: a missing voxel size is refused.
 */
@Plugin(type = Command.class, name = "dopaj.nigrosome-sbr", label = "Predict SBR (DopaJ)", headless = true)
public class NigrosomePredictCommand implements Command {
    @Parameter(label = "image")
    private ImagePlus image;

    @Parameter(label = "centroids", description = "left=x,y,z right=x,y,z")
    private String centroids;

    @Parameter(label = "units", choices = {"voxel", "mm"})
    private String units = "voxel";

    @Parameter(label = "voxel_size", required = false)
    private String voxel_size = "";

    @Parameter(label = "model", required = false)
    private String model = "";

    @Parameter(label = "use_gpu", required = false)
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

    @Override
    public void run() {
        if (image == null || image.getWidth() == 0 || image.getStackSize() == 0 || image.getProcessor() == null) {
            throw new DopajException("parameter image is missing or empty");
        }
        if (centroids == null || centroids.isBlank()) {
            throw new DopajException("parameter centroids is missing: left=x,y,z right=x,y,z");
        }
        Volume v = NigrosomeFiji.volume(image, voxel_size, false);
        Centroids c = NigrosomeFiji.centroids(image, v, centroids, units);
        NigrosomePredict.Result r = NigrosomePredict.predict(v, c, model, ComputeDevice.fromUseGpu(use_gpu));
        sbr_left = r.result().left().sbr();
        sbr_right = r.result().right().sbr();
        sbr_mean = r.result().sbrMean();
        models = r.result().left().model() + " + " + r.result().right().model();
        model_versions = r.result().modelLeft().get("version") + " + " + r.result().modelRight().get("version");
        training_data = r.result().trainingData();
        warnings = String.join(" | ", r.result().warnings());
    }
}
