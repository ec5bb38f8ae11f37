package org.dopaj.commands;

import ij.ImagePlus;
import org.dopaj.cam.ColorMap;
import org.dopaj.spect.DatClassification;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava twin of Plugins›DopaJ›DaT-SPECT›Classify: label, probability, the image with the CAM overlay (opacity) and
 * the CAM as an image.
 */
@Plugin(type = Command.class, name = "dopaj.spect-classify", label = "Classify DaT-SPECT (DopaJ)", headless = true)
public class SpectClassifyCommand implements Command {
    @Parameter(label = "image")
    private ImagePlus image;

    @Parameter(label = "opacity", min = "0", max = "1")
    private double opacity = 0.5;

    @Parameter(label = "colour_map", choices = {"jet", "inferno", "viridis", "hot", "grays"})
    private String colour_map = "jet";

    @Parameter(label = "model", required = false)
    private String model = "";

    @Parameter(label = "no_normalise", required = false, description = "the image is already in MNI space:"
            + " do not register it to the DaT-SPECT template")
    private boolean no_normalise = false;

    @Parameter(label = "use_gpu", required = false, description = "CUDA GPU when DopaJ was built with -Pgpu")
    private boolean use_gpu = false;

    @Parameter(type = ItemIO.OUTPUT)
    private boolean normalised;

    @Parameter(type = ItemIO.OUTPUT)
    private String label;

    @Parameter(type = ItemIO.OUTPUT)
    private double probability_parkinsonian;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus cam;

    @Override
    public void run() {
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new org.dopaj.DopajException("parameter opacity must be between 0 and 1, got " + opacity);
        }
        DatClassification r = SpectClassify.classify(image, model, !no_normalise,
                org.dopaj.dl.runtime.ComputeDevice.fromUseGpu(use_gpu));
        normalised = r.normalisation().normalised();
        ColorMap map = ColorMap.of(colour_map);
        SpectClassify.addOverlay(image, r.cam(), map, opacity);
        label = r.label();
        probability_parkinsonian = r.probabilityParkinsonian();
        cam = SpectClassify.camImage(r.cam(), map, image);
    }
}
