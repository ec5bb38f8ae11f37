package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import org.dopaj.DopajException;
import org.dopaj.io.DisplayOrientation;
import org.dopaj.image.Grid;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;

/**
 * What every command does with its input image and its result images, so no unit is silent: the input's volume in the
 * file's voxel order (whatever the display shows), a log line when ImageJ's calibration overrides the stored affine,
 * a warning (or a refusal, where millimetres decide the result) for an image without a voxel size in mm; result
 * images shown like the input (same reading view, display range for their kind).
 */
final class Inputs {
    private Inputs() {
    }

    /**
     * The volume of {@code imp} for command {@code title}. Uncalibrated: refused when {@code needMm}, else one warning
     * line saying 1 mm voxels are assumed. Returns the warning (or null) so that tables can carry it.
     */
    static Volume volume(ImagePlus imp, String title, boolean needMm, java.util.List<String> warnings) {
        String note = ImagePlusBridge.calibrationNote(imp);
        if (note != null) {
            IJ.log("DopaJ " + title + ": " + note);
        }
        if (!ImagePlusBridge.isCalibrated(imp)) {
            String unit = imp.getCalibration().getUnit();
            if (needMm) {
                throw new DopajException(imp.getTitle() + ": no voxel size in mm (pixel unit '" + unit
                        + "'): set it in Image>Properties... (unit mm) first");
            }
            String w = imp.getTitle() + " has no voxel size in mm (unit '" + unit + "'): 1 mm voxels assumed;"
                    + " set Image>Properties... for real sizes";
            IJ.log("DopaJ " + title + " WARNING: " + w);
            if (warnings != null) {
                warnings.add(w);
            }
        }
        return ImagePlusBridge.toVolume(imp);
    }

    /**
     * The volume with only the calibration note logged: for commands that check the image's content first and then
     * {@link #requireMm} (a wrong image is named for what it is before its units are questioned).
     */
    static Volume volumeThenRequireMm(ImagePlus imp, String title) {
        String note = ImagePlusBridge.calibrationNote(imp);
        if (note != null) {
            IJ.log("DopaJ " + title + ": " + note);
        }
        return ImagePlusBridge.toVolume(imp);
    }

    /** Refuses an image without a voxel size in mm (where millimetres decide the result: VOIs, registration). */
    static void requireMm(ImagePlus imp) {
        if (!ImagePlusBridge.isCalibrated(imp)) {
            throw new DopajException(imp.getTitle() + ": no voxel size in mm (pixel unit '"
                    + imp.getCalibration().getUnit() + "'): the VOIs are placed in mm; set Image>Properties... first");
        }
    }

    /**
     * A result volume as an image shown like {@code like}: the same display mapping when it lies on {@code like}'s
     * grid (a mask, a CAM), else the reader's convention; display range and LUT of {@code m}.
     */
    static ImagePlus output(Volume v, String title, ImagePlus like, Viewer.Modality m) {
        ImagePlus out = ImagePlusBridge.toImagePlus(v, title);
        return shownLike(out, v.grid(), like, m);
    }

    /** {@link #output} for an image already made (8-bit masks, pseudo-colour) on grid {@code g}. */
    static ImagePlus shownLike(ImagePlus out, Grid g, ImagePlus like, Viewer.Modality m) {
        if (like != null && ImagePlusBridge.gridOf(like).sameAs(g, 1e-6)) {
            DisplayOrientation.reorient(out, DisplayOrientation.of(like));
        } else {
            DisplayOrientation.reorient(out, Viewer.convention());
        }
        if (m != null) {
            Viewer.style(out, m);
            out.setSlice(like != null && out.getNSlices() == like.getNSlices() && sameMapping(out, like)
                    ? like.getSlice() : Viewer.sliceOfInterest(out, m));
        }
        Viewer.letters(out);
        return out;
    }

    private static boolean sameMapping(ImagePlus a, ImagePlus b) {
        return DisplayOrientation.of(a).toString().equals(DisplayOrientation.of(b).toString());
    }

    /** {@code v} (on {@code imp}'s file grid) in the order {@code imp} is shown in. */
    static Volume asShown(Volume v, ImagePlus imp) {
        return ImagePlusBridge.isReoriented(imp) ? DisplayOrientation.of(imp).toDisplay(v) : v;
    }

    /**
     * The frame to analyse: a 3D image as it is, frame {@code frame} (1-based, as in the dialogs) of a 4D one; a frame
     * outside the image is refused naming the image.
     */
    static Volume frame(Volume all, int frame, ImagePlus imp) {
        if (all.nt() <= 1) {
            return all;
        }
        if (frame < 1 || frame > all.nt()) {
            throw new org.dopaj.DopajException("frame must be 1.." + all.nt() + " for '" + imp.getTitle() + "', got "
                    + frame);
        }
        return all.frame(frame - 1);
    }
}
