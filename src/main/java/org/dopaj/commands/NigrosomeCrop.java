package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.filter.Analyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.image.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiHeader;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.NigrosomeCropper;

/**
 * Plugins›DopaJ›Nigrosome›Crop ROIs: cuts the 50×50×20-voxel (0.5×0.5×1 mm) crop around each nigrosome-1 centroid of
 * the current SMWI image, shows both crops (calibrated in mm, affine kept: the centroid is crop voxel 25,25,10, slice
 * 11) and lists them in the table "DopaJ Nigrosome Crops"; with {@code output_folder} also writes them as NIfTI
 * ({@code nigrosome_left.nii.gz}, {@code nigrosome_right.nii.gz}), as {@code dopaj nigrosome-crop} does. Centroids
 * come from {@code centroids=[left=x,y,z right=x,y,z]} ({@code units} voxel — the file's indices — or mm) or, when
 * blank, from two points (recorded as the typed centroids they give).
 * Macro: {@code run("Crop ROIs", "centroids=[left=35,52,18 right=82,47,18] units=voxel output_folder=/tmp/out");}
 */
public class NigrosomeCrop implements PlugIn {
    static final String TITLE = "Crop ROIs";

    @Override
    public void run(String arg) {
        ImagePlus imp = CommandRunner.currentImage(TITLE);
        if (imp == null) {
            return;
        }
        Params p = NigrosomeFiji.centroidParams(TITLE).folder("output_folder", "",
                "writes nigrosome_left.nii.gz and nigrosome_right.nii.gz there; blank = only shown");
        CommandRunner.run(TITLE, () -> {
            if (!p.read()) {
                return;
            }
            NigrosomeFiji.Input in = NigrosomeFiji.input(imp, p.getString("voxel_size"), NigrosomeFiji.mayAsk());
            Centroids c = NigrosomeFiji.centroids(imp, in.volume(), p.getString("centroids"), p.getChoice("units"));
            NigrosomeFiji.recordUsed(p, c, in.voxelSize());
            List<org.dopaj.nigrosome.NigrosomeCrop> crops = crop(in.volume(), c, p.getString("output_folder"));
            ResultsTable rt = table(crops);
            for (org.dopaj.nigrosome.NigrosomeCrop k : crops) {
                Viewer.show(cropImage(k, imp.getShortTitle() + " nigrosome " + k.side().label()));
            }
            if (ij.macro.Interpreter.isBatchMode() || Params.headless()) {
                Analyzer.setResultsTable(rt);
            }
            rt.show("DopaJ Nigrosome Crops");
            IJ.log("DopaJ " + TITLE + ": left " + c.left().voxel().format() + ", right " + c.right().voxel().format()
                    + " (voxels); crops 50×50×20 of 0.5×0.5×1 mm");
        });
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
        double[] d = org.dopaj.image.DisplayOrientation.of(ci).toDisplay(fd, centre[0], centre[1], centre[2]);
        return (int) d[2] + 1;
    }
}
