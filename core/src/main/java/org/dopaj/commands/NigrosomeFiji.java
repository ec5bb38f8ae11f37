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
import org.dopaj.io.DisplayOrientation;
import org.dopaj.io.ImagePlusBridge;
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
 * (x, y) and its slice − 1 (z) on the displayed image, mapped to the file's voxel indices when the image is shown in
 * the reading view. Which point is left comes from the image orientation, never from the click order.
 */
final class NigrosomeFiji {
    private NigrosomeFiji() {
    }

    /** The dialog's header of both nigrosome commands. */
    static final String CENTROIDS_MESSAGE = "Centroids: leave blank to use two points (multi-point selection or ROI"
            + " Manager)";
    static final String CENTROIDS_HINT = "left=x,y,z right=x,y,z: the file's voxel indices (0-based), or mm with"
            + " units=mm; blank = two points";
    static final String UNITS_HINT = "voxel = the NIfTI file's i,j,k, whatever the display shows; mm = scanner (RAS)"
            + " mm";
    static final String VOXEL_SIZE_HINT = "x,y,z in mm, only for an image without a voxel size";

    /** The centroids, units and voxel size a replay has to type to get the same crops. */
    record Used(String centroids, String units, String voxelSize) {
    }

    /**
     * What goes into the recorded macro line: centroids taken from points become typed voxel indices of the file, and
     * a voxel size typed into the prompt (or given by the old x= y= z= keys) its {@code voxel_size} key, so the line
     * replays exactly.
     */
    static Used used(String centroids, String units, String voxelSize, Centroids c, String prompted) {
        boolean typed = centroids != null && !centroids.isBlank();
        return new Used(typed ? centroids : "left=" + indices(c.left().voxel().toArray()) + " right="
                + indices(c.right().voxel().toArray()), typed ? units : "voxel", prompted != null ? prompted
                : voxelSize == null ? "" : voxelSize);
    }

    private static String indices(double[] v) {
        StringBuilder b = new StringBuilder();
        for (double d : v) {
            b.append(b.length() == 0 ? "" : ",").append(Ij1Adapter.fmt(d));
        }
        return b.toString();
    }

    /** A volume and, when the user typed it into the prompt (or gave the old x= y= z= keys), the voxel size used. */
    record Input(Volume volume, String voxelSize) {
    }

    /** The volume, checked 3D and calibrated; {@code voxelSize} "x,y,z" (mm) overrides a missing calibration. */
    static Volume volume(ImagePlus imp, String voxelSize, boolean mayAsk) {
        return input(imp, voxelSize, mayAsk).volume();
    }

    /**
     * {@link #volume}, also saying which voxel size came from the prompt or from the keys {@code x= y= z=} that
     * earlier versions recorded (still accepted), so that it can be recorded as {@code voxel_size}.
     */
    static Input input(ImagePlus imp, String voxelSize, boolean mayAsk) {
        if (imp == null || imp.getStackSize() == 0 || imp.getProcessor() == null || imp.getWidth() == 0) {
            throw new DopajException("no image: open the SMWI volume first");
        }
        if (imp.getNFrames() > 1 || imp.getNChannels() > 1) {
            throw new DopajException(imp.getTitle() + ": " + imp.getNChannels() + " channels × " + imp.getNFrames()
                    + " frames: the nigrosome crop needs one 3D SMWI volume");
        }
        String note = ImagePlusBridge.calibrationNote(imp);
        if (note != null) {
            ij.IJ.log("DopaJ nigrosome: " + note);
        }
        Volume v = SmwiInput.require3d(ImagePlusBridge.toVolume(imp), imp.getTitle());
        if (voxelSize != null && !voxelSize.isBlank()) {
            return new Input(SmwiInput.withVoxelSize(v, SmwiInput.parseVoxelSize(voxelSize), imp.getTitle()), null);
        }
        if (ImagePlusBridge.isCalibrated(imp)) {
            return new Input(v, null);
        }
        String old = oldVoxelKeys(ij.Macro.getOptions());
        if (old != null) {
            return new Input(SmwiInput.withVoxelSize(v, SmwiInput.parseVoxelSize(old), imp.getTitle()), old);
        }
        if (!mayAsk) {
            throw new DopajException(imp.getTitle() + ": no voxel size in mm (pixel unit '"
                    + imp.getCalibration().getUnit() + "'): give voxel_size=x,y,z (mm) — batch mode never guesses it");
        }
        GenericDialog gd = new GenericDialog("DopaJ: voxel size");
        gd.addMessage(imp.getTitle() + " has no voxel size in mm.");
        // one field with the documented key, so the Recorder and a replay agree
        gd.addStringField("voxel_size", "0.5,0.5,1", 12);
        gd.addMessage("x,y,z in mm (SMWI: usually 0.5,0.5,1)");
        gd.showDialog();
        if (gd.wasCanceled()) {
            throw new DopajException(imp.getTitle() + ": no voxel size given");
        }
        String typed = gd.getNextString().trim();
        return new Input(SmwiInput.withVoxelSize(v, SmwiInput.parseVoxelSize(typed), imp.getTitle()), typed);
    }

    /** "x,y,z" from the keys x= y= z= of older recordings, or null. */
    static String oldVoxelKeys(String options) {
        if (options == null) {
            return null;
        }
        String x = ij.Macro.getValue(options, "x", null);
        String y = ij.Macro.getValue(options, "y", null);
        String z = ij.Macro.getValue(options, "z", null);
        return x != null && y != null && z != null ? x + "," + y + "," + z : null;
    }

    /** True when dialogs may be shown (not headless, not a batch-mode macro). */
    static boolean mayAsk() {
        return !Ij1Adapter.headless() && !ij.macro.Interpreter.isBatchMode();
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
        // a point is placed on the displayed image: its voxel in the file comes through the display mapping
        DisplayOrientation m = ImagePlusBridge.isReoriented(imp) ? DisplayOrientation.of(imp) : DisplayOrientation.IDENTITY;
        int[] fd = m.isIdentity() ? null : ImagePlusBridge.fileDims(imp);
        FloatPolygon fp = p.getFloatPolygon();
        for (int i = 0; i < fp.npoints; i++) {
            int pos = p.getPointPosition(i);
            if (pos <= 0) {
                pos = p.getPosition() > 0 ? p.getPosition() : imp.getCurrentSlice();
            }
            int slice = imp.isHyperStack() || imp.getNChannels() > 1 ? imp.convertIndexToPosition(pos)[1] : pos;
            double[] shown = {Math.floor(fp.xpoints[i]), Math.floor(fp.ypoints[i]), slice - 1};
            pts.add(fd == null ? shown : m.toFile(fd, shown));
        }
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
