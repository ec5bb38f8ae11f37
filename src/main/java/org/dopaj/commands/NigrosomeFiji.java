package org.dopaj.commands;

import ij.ImagePlus;
import ij.gui.GenericDialog;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.plugin.frame.RoiManager;
import ij.process.FloatPolygon;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.dopaj.DopajException;
import org.dopaj.image.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.SmwiInput;
import org.dopaj.nigrosome.Units;

/**
 * What the nigrosome menu commands share: the SMWI volume of an {@link ImagePlus} (3D, with a voxel size in mm —
 * asked for in the GUI when the image has none, refused in batch/headless mode), and the two centroids from typed
 * text ({@code left=x,y,z right=x,y,z}) or from point selections. Point selections: the image's multi-point
 * selection (each point keeps its own slice, {@link PointRoi#getPointPosition}; a point without one is on the current
 * slice), or, when the image has none, the point ROIs of the ROI Manager. A point's voxel is the pixel it lies in
 * (x, y) and its slice − 1 (z). Which point is left comes from the image orientation, never from the click order.
 */
final class NigrosomeFiji {
    private NigrosomeFiji() {
    }

    /** A dialog for {@code title} that starts with the fields both nigrosome commands share: centroids, units, voxel size. */
    static Params centroidParams(String title) {
        return new Params("DopaJ " + title)
                .message("Centroids: leave blank to use two points (multi-point selection or ROI Manager)")
                .string("centroids", "").choice("units", new String[]{"voxel", "mm"}, "voxel")
                .string("voxel_size", "");
    }

    /** The volume, checked 3D and calibrated; {@code voxelSize} "x,y,z" (mm) overrides a missing calibration. */
    static Volume volume(ImagePlus imp, String voxelSize, boolean mayAsk) {
        if (imp == null || imp.getStackSize() == 0 || imp.getProcessor() == null || imp.getWidth() == 0) {
            throw new DopajException("no image: open the SMWI volume first");
        }
        if (imp.getNFrames() > 1 || imp.getNChannels() > 1) {
            throw new DopajException(imp.getTitle() + ": " + imp.getNChannels() + " channels × " + imp.getNFrames()
                    + " frames: the nigrosome crop needs one 3D SMWI volume");
        }
        Volume v = SmwiInput.require3d(ImagePlusBridge.toVolume(imp), imp.getTitle());
        if (voxelSize != null && !voxelSize.isBlank()) {
            return SmwiInput.withVoxelSize(v, SmwiInput.parseVoxelSize(voxelSize), imp.getTitle());
        }
        if (ImagePlusBridge.isCalibrated(imp)) {
            return v;
        }
        if (!mayAsk) {
            throw new DopajException(imp.getTitle() + ": no voxel size in mm (pixel unit '"
                    + imp.getCalibration().getUnit() + "'): give voxel_size=x,y,z (mm) — batch mode never guesses it");
        }
        GenericDialog gd = new GenericDialog("DopaJ: voxel size");
        gd.addMessage(imp.getTitle() + " has no voxel size in mm. SMWI voxel size (mm):");
        gd.addNumericField("x", 0.5, 3);
        gd.addNumericField("y", 0.5, 3);
        gd.addNumericField("z", 1.0, 3);
        gd.showDialog();
        if (gd.wasCanceled()) {
            throw new DopajException(imp.getTitle() + ": no voxel size given");
        }
        return SmwiInput.withVoxelSize(v, new double[]{gd.getNextNumber(), gd.getNextNumber(), gd.getNextNumber()},
                imp.getTitle());
    }

    /** True when dialogs may be shown (not headless, not a batch-mode macro). */
    static boolean mayAsk() {
        return !Params.headless() && !ij.macro.Interpreter.isBatchMode();
    }

    /** Centroids from text (when not blank) or from the point selections. */
    static Centroids centroids(ImagePlus imp, Volume v, String text, String units) {
        Units u = Units.parse(units);
        if (text != null && !text.isBlank()) {
            return Centroids.parse(text, u, v.grid());
        }
        return Centroids.fromPoints(points(imp), Units.VOXEL, v.grid());
    }

    /** The voxel (x, y, slice − 1) of every point of the image's point selection, else of the ROI Manager's. */
    static List<double[]> points(ImagePlus imp) {
        List<double[]> pts = new ArrayList<>();
        Roi roi = imp.getRoi();
        if (roi instanceof PointRoi p) {
            add(imp, p, pts);
        } else {
            RoiManager rm = RoiManager.getInstance();
            if (rm != null) {
                for (Roi r : rm.getRoisAsArray()) {
                    if (r instanceof PointRoi p) {
                        add(imp, p, pts);
                    }
                }
            }
        }
        if (pts.isEmpty()) {
            throw new DopajException(imp.getTitle() + ": no centroids: place two points (Multi-point tool, one on each"
                    + " nigrosome-1, any slice), add point ROIs to the ROI Manager, or type centroids=[left=x,y,z right=x,y,z]");
        }
        return pts;
    }

    private static void add(ImagePlus imp, PointRoi p, List<double[]> pts) {
        FloatPolygon fp = p.getFloatPolygon();
        for (int i = 0; i < fp.npoints; i++) {
            int pos = p.getPointPosition(i);
            if (pos <= 0) {
                pos = p.getPosition() > 0 ? p.getPosition() : imp.getCurrentSlice();
            }
            int slice = imp.isHyperStack() || imp.getNChannels() > 1 ? imp.convertIndexToPosition(pos)[1] : pos;
            pts.add(new double[]{Math.floor(fp.xpoints[i]), Math.floor(fp.ypoints[i]), slice - 1});
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
