package org.dopaj.commands;

import ij.ImagePlus;
import ij.measure.ResultsTable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.io.NiftiHeader;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

/**
 * Plugins›DopaJ›Volume Info: the image's geometry as DopaJ sees it — dimensions, voxel size, orientation code and
 * voxel→mm affine — in a results table "DopaJ Volume Info" (one row per field), the same figures as {@code dopaj info};
 * also as outputs for scripts.
 */
@Plugin(type = Command.class, name = "dopaj.volume-info", label = "Volume Info", menuPath = "Plugins>DopaJ>Volume Info",
        headless = true, attrs = @Attr(name = "cli", value = "info"))
public class VolumeInfoCommand implements Command {
    static final String TABLE = "DopaJ Volume Info";

    @Parameter(label = "image", attrs = @Attr(name = "cli", value = "positional"))
    private ImagePlus image;

    @Parameter(type = ItemIO.OUTPUT)
    private String dims;

    @Parameter(type = ItemIO.OUTPUT)
    private String voxel_mm;

    @Parameter(type = ItemIO.OUTPUT)
    private String orientation;

    @Parameter(type = ItemIO.OUTPUT)
    private String affine;

    /** One row per field: field, value. */
    @Parameter(type = ItemIO.OUTPUT, label = TABLE)
    private ResultsTable table;

    @Override
    public void run() {
        // a missing ImagePlus input arrives as an empty, non-null image (DESIGN.md §2)
        if (image == null || image.getWidth() == 0 || image.getStackSize() == 0 || image.getProcessor() == null) {
            throw new DopajException("parameter image is missing or empty");
        }
        String note = ImagePlusBridge.calibrationNote(image);
        if (note != null) {
            ij.IJ.log("DopaJ Volume Info: " + note);
        }
        Map<String, String> d = describe(image);
        dims = d.get("dims");
        voxel_mm = d.get("voxel_mm");
        orientation = d.get("orientation");
        affine = d.get("affine_row0") + " " + d.get("affine_row1") + " " + d.get("affine_row2");
        table = new ResultsTable();
        for (Map.Entry<String, String> e : d.entrySet()) {
            table.incrementCounter();
            table.addValue("field", e.getKey());
            table.addValue("value", e.getValue());
        }
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
