package org.dopaj.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dopaj.image.Grid;
import org.dopaj.image.ImagePlusBridge;
import org.dopaj.io.NiftiHeader;

/**
 * Plugins›DopaJ›Volume Info: the current image's geometry as DopaJ sees it — dimensions, voxel size, orientation
 * code and voxel→mm affine — in a results table "DopaJ Volume Info" (one row per field), the same figures as
 * {@code dopaj info}.
 */
public class VolumeInfo implements PlugIn {
    @Override
    public void run(String arg) {
        ImagePlus imp = CommandRunner.currentImage("Volume Info");
        if (imp == null) {
            return;
        }
        CommandRunner.run("Volume Info", () -> {
            String note = ImagePlusBridge.calibrationNote(imp);
            if (note != null) {
                ij.IJ.log("DopaJ Volume Info: " + note);
            }
            ResultsTable rt = new ResultsTable();
            for (Map.Entry<String, String> e : describe(imp).entrySet()) {
                rt.incrementCounter();
                rt.addValue("field", e.getKey());
                rt.addValue("value", e.getValue());
            }
            rt.show("DopaJ Volume Info");
        });
    }

    /** Field → text: dims, voxel_mm, orientation, affine rows, datatype, calibrated. */
    public static Map<String, String> describe(ImagePlus imp) {
        Grid g = ImagePlusBridge.gridOf(imp);
        Map<String, String> m = new LinkedHashMap<>();
        m.put("image", imp.getTitle());
        String dims = g.nx() + "×" + g.ny() + "×" + g.nz() + (imp.getNFrames() > 1 ? "×" + imp.getNFrames() : "");
        m.put("dims", dims);
        double[] v = g.voxelMm();
        m.put("voxel_mm", String.format("%.6g %.6g %.6g", v[0], v[1], v[2]));
        m.put("orientation", g.orientation());
        double[][] a = g.affine();
        for (int r = 0; r < 3; r++) {
            m.put("affine_row" + r, Arrays.toString(a[r]));
        }
        NiftiHeader h = ImagePlusBridge.originalHeader(imp);
        m.put("datatype", h != null ? org.dopaj.io.NiftiDatatype.of(h.datatype).label() : imp.getBitDepth() + "-bit");
        m.put("calibrated", String.valueOf(ImagePlusBridge.isCalibrated(imp)));
        return m;
    }
}
