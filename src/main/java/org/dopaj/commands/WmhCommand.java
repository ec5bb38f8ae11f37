package org.dopaj.commands;

import ij.ImagePlus;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava twin of Plugins›DopaJ›White-Matter Hypointensities ({@link Wmh}) for scripts and headless Fiji: the same
 * parameter names; outputs the mask, the probability map, the overlay image and the volumes in mL. The input is not
 * changed.
 */
@Plugin(type = Command.class, name = "dopaj.wmh", label = "White-Matter Hypointensities (DopaJ)", headless = true)
public class WmhCommand implements Command {
    @Parameter(label = "image")
    private ImagePlus image;

    @Parameter(label = "method", choices = {"network", "threshold"})
    private String method = "network";

    @Parameter(label = "show", choices = {"mask", "probability"})
    private String show = "probability";

    @Parameter(label = "colour_map", choices = {"jet", "inferno", "viridis", "hot", "grays"})
    private String colour_map = "hot";

    @Parameter(label = "opacity", min = "0", max = "1")
    private double opacity = 0.5;

    @Parameter(label = "frame", min = "0")
    private int frame = 0;

    @Parameter(label = "use_gpu")
    private boolean use_gpu = false;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus mask;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus probability;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus overlay;

    @Parameter(type = ItemIO.OUTPUT)
    private double wmh_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private double wmh_pv_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private double periventricular_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private double deep_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private double juxtacortical_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private String notice;

    @Override
    public void run() {
        // a missing ImagePlus input arrives as an empty, non-null image (DESIGN.md §2)
        if (image == null || image.getWidth() == 0 || image.getStackSize() == 0 || image.getProcessor() == null) {
            throw new DopajException("parameter image is missing or empty");
        }
        int f = frame == 0 ? (image.getNFrames() > 1 ? image.getFrame() : 1) : frame;
        Wmh.Output o = Wmh.compute(image, f, method, show, colour_map, opacity, use_gpu);
        mask = o.mask();
        probability = o.probability();
        overlay = o.overlay();
        wmh_ml = o.result().wmhMl();
        wmh_pv_ml = o.result().wmhPvMl();
        periventricular_ml = o.result().periventricularMl();
        deep_ml = o.result().deepMl();
        juxtacortical_ml = o.result().juxtacorticalMl();
        notice = Version.NOTICE;
    }
}
