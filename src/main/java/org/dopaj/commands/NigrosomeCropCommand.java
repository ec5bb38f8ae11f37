package org.dopaj.commands;

import ij.ImagePlus;
import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.nigrosome.Centroids;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * SciJava twin of Plugins›DopaJ›Nigrosome›Crop ROIs for scripts and headless batch: the same parameters
 * ({@code centroids} as {@code left=x,y,z right=x,y,z}, {@code units} voxel — the file's indices — or mm,
 * {@code voxel_size} for an uncalibrated image, {@code output_folder}) and both 50×50×20 crops as output images.
 * Never asks: a missing voxel size is refused. The input is not changed.
 */
@Plugin(type = Command.class, name = "dopaj.nigrosome-crop", label = "Crop ROIs (DopaJ)", headless = true)
public class NigrosomeCropCommand implements Command {
    @Parameter(label = "image")
    private ImagePlus image;

    @Parameter(label = "centroids", description = "left=x,y,z right=x,y,z (the file's voxel indices, or mm)")
    private String centroids;

    @Parameter(label = "units", choices = {"voxel", "mm"})
    private String units = "voxel";

    @Parameter(label = "voxel_size", required = false, description = "x,y,z in mm, for an image without a voxel size")
    private String voxel_size = "";

    @Parameter(label = "output_folder", required = false, description = "writes nigrosome_left.nii.gz and"
            + " nigrosome_right.nii.gz there; blank = outputs only")
    private String output_folder = "";

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus crop_left;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus crop_right;

    /** Inside fraction of the left and right crops, "left right". */
    @Parameter(type = ItemIO.OUTPUT)
    private String inside_fraction;

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
        List<org.dopaj.nigrosome.NigrosomeCrop> crops;
        try {
            crops = NigrosomeCrop.crop(v, c, output_folder);
        } catch (java.io.IOException e) {
            throw new DopajException("output_folder " + output_folder + ": " + e.getMessage(), e);
        }
        StringBuilder f = new StringBuilder();
        for (org.dopaj.nigrosome.NigrosomeCrop k : crops) {
            ImagePlus ci = NigrosomeCrop.cropImage(k, image.getShortTitle() + " nigrosome " + k.side().label());
            if (k.side() == org.dopaj.nigrosome.Side.LEFT) {
                crop_left = ci;
            } else {
                crop_right = ci;
            }
            f.append(f.length() == 0 ? "" : " ").append(k.insideFraction());
        }
        inside_fraction = f.toString();
    }
}
