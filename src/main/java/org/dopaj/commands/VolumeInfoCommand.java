package org.dopaj.commands;

import ij.ImagePlus;
import java.util.Map;
import org.dopaj.DopajException;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/** SciJava twin of Plugins›DopaJ›Volume Info: the image's dims, voxel size, orientation and affine as outputs. */
@Plugin(type = Command.class, name = "dopaj.volume-info", label = "Volume Info (DopaJ)", headless = true)
public class VolumeInfoCommand implements Command {
    @Parameter(label = "image")
    private ImagePlus image;

    @Parameter(type = ItemIO.OUTPUT)
    private String dims;

    @Parameter(type = ItemIO.OUTPUT)
    private String voxel_mm;

    @Parameter(type = ItemIO.OUTPUT)
    private String orientation;

    @Parameter(type = ItemIO.OUTPUT)
    private String affine;

    @Override
    public void run() {
        // a missing ImagePlus input arrives as an empty, non-null image (DESIGN.md §2)
        if (image == null || image.getWidth() == 0 || image.getStackSize() == 0 || image.getProcessor() == null) {
            throw new DopajException("parameter image is missing or empty");
        }
        Map<String, String> d = VolumeInfo.describe(image);
        dims = d.get("dims");
        voxel_mm = d.get("voxel_mm");
        orientation = d.get("orientation");
        affine = d.get("affine_row0") + " " + d.get("affine_row1") + " " + d.get("affine_row2");
    }
}
