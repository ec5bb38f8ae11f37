package org.dopaj.commands;

import ij.ImagePlus;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava twin of Plugins›DopaJ›Brain Mask ({@link BrainMask}) for scripts and headless Fiji: the same parameter
 * names; outputs the mask, the masked brain, the pseudo-colour view and the brain volume in mL. The input is not
 * changed.
 */
@Plugin(type = Command.class, name = "dopaj.brain-mask", label = "Brain Mask (DopaJ)", headless = true)
public class BrainMaskCommand implements Command {
    @Parameter(label = "image")
    private ImagePlus image;

    @Parameter(label = "intervals", min = "2", max = "255")
    private int intervals = 49;

    @Parameter(label = "closing_mm", min = "0")
    private double closing_mm = 0;

    @Parameter(label = "border_mm", min = "-10", max = "10")
    private double border_mm = 0;

    @Parameter(label = "convention", choices = {"brain", "intracranial"})
    private String convention = "brain";

    @Parameter(label = "frame", min = "0")
    private int frame = 0;

    @Parameter(label = "use_gpu")
    private boolean use_gpu = false;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus mask;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus brain;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus pseudocolour;

    @Parameter(type = ItemIO.OUTPUT)
    private double volume_ml;

    @Parameter(type = ItemIO.OUTPUT)
    private String notice;

    @Override
    public void run() {
        // a missing ImagePlus input arrives as an empty, non-null image (DESIGN.md §2)
        if (image == null || image.getWidth() == 0 || image.getStackSize() == 0 || image.getProcessor() == null) {
            throw new DopajException("parameter image is missing or empty");
        }
        int f = frame == 0 ? (image.getNFrames() > 1 ? image.getFrame() : 1) : frame;
        BrainMask.Output o = BrainMask.compute(image, f, intervals, closing_mm, border_mm,
                org.dopaj.brainmask.BrainMaskModel.Convention.parse(convention), use_gpu, true, false);
        mask = o.mask();
        brain = o.brain();
        pseudocolour = o.pseudoColour();
        volume_ml = o.result().volumeMl();
        notice = Version.NOTICE;
    }
}
