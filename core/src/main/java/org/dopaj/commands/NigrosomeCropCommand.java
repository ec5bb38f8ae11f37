package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiHeader;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.NigrosomeCropper;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›Nigrosome›Crop ROIs: cuts the 50×50×20-voxel (0.5×0.5×1 mm) crop around each nigrosome-1 centroid of
 * an SMWI image, shows both crops (calibrated in mm, affine kept: the centroid is crop voxel 25,25,10, slice 11) and
 * lists them in the table "DopaJ Nigrosome Crops"; with {@code output_folder} also writes them as NIfTI
 * ({@code nigrosome_left.nii.gz}, {@code nigrosome_right.nii.gz}), as {@code dopaj nigrosome-crop} does. Centroids
 * come from {@code centroids=[left=x,y,z right=x,y,z]} ({@code units} voxel — the file's indices — or mm) or, when
 * blank, from two points (recorded as the typed centroids they give; {@link NigrosomeFiji}). An image without a voxel
 * size takes {@code voxel_size} (asked for in the GUI, refused in batch mode). The image is not changed.
 * Macro: {@code run("Crop ROIs", "centroids=[left=35,52,18 right=82,47,18] units=voxel output_folder=/tmp/out");}
 */
@Plugin(type = Command.class, name = "dopaj.nigrosome-crop", label = "Crop ROIs",
        menuPath = "Plugins>DopaJ>Nigrosome>Crop ROIs", headless = true, attrs = @Attr(name = "cli", value = "nigrosome-crop"),
        description = NigrosomeFiji.CENTROIDS_MESSAGE)
public class NigrosomeCropCommand implements Command {
    static final String TITLE = "Crop ROIs";
    static final String TABLE = "DopaJ Nigrosome Crops";

    @Parameter(label = "image", attrs = @Attr(name = "cli", value = "positional"))
    private ImagePlus image;

    @Parameter(label = "centroids", required = false, description = NigrosomeFiji.CENTROIDS_HINT, attrs = @Attr(name = "cli", value = "--left --right"))
    private String centroids = "";

    /** The keys of {@link org.dopaj.nigrosome.Units} (checked by CommandDeclarationTest). */
    @Parameter(label = "units", choices = {"voxel", "mm"}, description = NigrosomeFiji.UNITS_HINT, attrs = @Attr(name = "cli", value = "--mm"))
    private String units = "voxel";

    @Parameter(label = "voxel_size", required = false, description = NigrosomeFiji.VOXEL_SIZE_HINT)
    private String voxel_size = "";

    @Parameter(label = "output_folder", required = false, style = "directory", description = "writes"
            + " nigrosome_left.nii.gz and nigrosome_right.nii.gz there; blank = only shown", attrs = @Attr(name = "cli", value = "-o"))
    private String output_folder = "";

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus crop_left;

    @Parameter(type = ItemIO.OUTPUT)
    private ImagePlus crop_right;

    /** Inside fraction of the left and right crops, "left right". */
    @Parameter(type = ItemIO.OUTPUT)
    private String inside_fraction;

    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    @Override
    public void run() {
        NigrosomeFiji.Input in = NigrosomeFiji.input(image, voxel_size, NigrosomeFiji.mayAsk());
        Centroids c = NigrosomeFiji.centroids(image, in.volume(), centroids, units);
        NigrosomeFiji.Used used = NigrosomeFiji.used(centroids, units, voxel_size, c, in.voxelSize());
        centroids = used.centroids(); // what a replay types: the Recorder writes these
        units = used.units();
        voxel_size = used.voxelSize();
        List<org.dopaj.nigrosome.NigrosomeCrop> crops;
        try {
            crops = crop(in.volume(), c, output_folder);
        } catch (java.io.IOException e) {
            throw new DopajException("output_folder " + output_folder + ": " + e.getMessage(), e);
        }
        StringBuilder f = new StringBuilder();
        for (org.dopaj.nigrosome.NigrosomeCrop k : crops) {
            ImagePlus ci = cropImage(k, image.getShortTitle() + " nigrosome " + k.side().label());
            if (k.side() == org.dopaj.nigrosome.Side.LEFT) {
                crop_left = ci;
            } else {
                crop_right = ci;
            }
            f.append(f.length() == 0 ? "" : " ").append(k.insideFraction());
        }
        inside_fraction = f.toString();
        table = table(crops);
        IJ.log("DopaJ " + TITLE + ": left " + c.left().voxel().format() + ", right " + c.right().voxel().format()
                + " (voxels); crops 50×50×20 of 0.5×0.5×1 mm");
    }

    /** The two crops of {@code v} around {@code c}; written as NIfTI into {@code folder} unless it is blank. */
    static List<org.dopaj.nigrosome.NigrosomeCrop> crop(Volume v, Centroids c, String folder) throws java.io.IOException {
        List<org.dopaj.nigrosome.NigrosomeCrop> crops = new NigrosomeCropper().crop(v, c);
        if (folder != null && !folder.isBlank()) {
            Path dir = Path.of(folder);
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                throw new DopajException(dir + ": output_folder is a file");
            }
            Files.createDirectories(dir);
            for (org.dopaj.nigrosome.NigrosomeCrop k : crops) {
                NiftiHeader h = new NiftiHeader();
                h.setDescrip("DopaJ nigrosome-1 crop " + k.side().label());
                Nifti.write(k.volume(), dir.resolve("nigrosome_" + k.side().label() + ".nii.gz"), h);
            }
        }
        return crops;
    }

    /** One row per side: the centroid in voxels and mm, how much of the crop lies inside the image. */
    static ResultsTable table(List<org.dopaj.nigrosome.NigrosomeCrop> crops) {
        ResultsTable rt = new ResultsTable();
        for (org.dopaj.nigrosome.NigrosomeCrop k : crops) {
            rt.incrementCounter();
            rt.addValue("side", k.side().label());
            double[] vx = k.centroid().voxel().toArray();
            double[] mm = k.centroid().mm().toArray();
            rt.addValue("voxel_x", vx[0]);
            rt.addValue("voxel_y", vx[1]);
            rt.addValue("voxel_z", vx[2]);
            rt.addValue("mm_x", mm[0]);
            rt.addValue("mm_y", mm[1]);
            rt.addValue("mm_z", mm[2]);
            rt.addValue("inside_fraction", k.insideFraction());
            rt.addValue("pad_value", k.padValue());
            rt.addValue("interpolated", k.interpolated() ? 1 : 0);
        }
        return rt;
    }

    /** A crop as an image in the reading view, on the slice through its centroid (crop voxel 25,25,10). */
    static ImagePlus cropImage(org.dopaj.nigrosome.NigrosomeCrop k, String title) {
        ImagePlus ci = Inputs.output(k.volume(), title, null, Viewer.Modality.MRI);
        int[] centre = new NigrosomeCropper().centreIndex();
        ci.setSlice(centreSlice(ci, centre));
        return ci;
    }

    /** The displayed slice (1-based) holding crop voxel {@code centre}. */
    static int centreSlice(ImagePlus ci, int[] centre) {
        int[] fd = ImagePlusBridge.fileDims(ci);
        if (fd == null || !ImagePlusBridge.isReoriented(ci)) {
            return centre[2] + 1;
        }
        double[] d = org.dopaj.io.DisplayOrientation.of(ci).toDisplay(fd, centre[0], centre[1], centre[2]);
        return (int) d[2] + 1;
    }
}
