package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.Prefs;
import ij.gui.ImageCanvas;
import ij.gui.ImageWindow;
import ij.gui.Overlay;
import ij.gui.Roi;
import ij.gui.TextRoi;
import ij.process.ImageProcessor;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Font;
import java.awt.Rectangle;
import java.util.Arrays;
import java.util.Locale;
import org.dopaj.cam.ColorMap;
import org.dopaj.io.DisplayOrientation;
import org.dopaj.io.DisplayOrientation.Convention;
import org.dopaj.io.ImagePlusBridge;

/**
 * How DopaJ shows a volume to a reader: the axial reading view ({@link DisplayOrientation}; left-right convention
 * from the preference {@value #PREF}, radiological unless set), orientation letters on the four edges, a robust
 * display range for the modality (percentiles, so a few hot or noisy voxels do not wash the image out), a
 * nuclear-medicine LUT for SPECT, the slice of interest, and a zoom that fills the screen. Display settings only:
 * voxel values are never changed.
 */
final class Viewer {
    /** ImageJ preference (IJ_Prefs.txt) with the left-right convention: radiological, neurological or file. */
    static final String PREF = "dopaj.display";
    /** Overlay group (ROI name prefix) of the orientation letters. */
    static final String LETTERS = "DopaJ orientation";

    /** What an image shows, which decides its display range, LUT and opening slice. */
    enum Modality {
        /** MRI and anything unknown: 0.5th–99.5th percentile of the non-zero voxels, grey. */
        MRI,
        /** DaT-SPECT/PET counts: 0 to the 99.9th percentile, hot-iron LUT, opening at the striatum's slice. */
        SPECT,
        /** A 0/255 mask: 0–255, opening at the mask's centre. */
        MASK;

        static Modality parse(String s) {
            if (s == null || s.isBlank() || s.equalsIgnoreCase("auto")) {
                return null;
            }
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new org.dopaj.DopajException("modality must be auto, mri or spect; got '" + s + "'");
            }
        }
    }

    private Viewer() {
    }

    /** The left-right convention the user chose (preference), radiological by default. */
    static Convention convention() {
        try {
            return Convention.parse(Prefs.get(PREF, "radiological"));
        } catch (org.dopaj.DopajException e) {
            return Convention.RADIOLOGICAL;
        }
    }

    /** Remembers the convention for the next images. */
    static void setConvention(Convention c) {
        Prefs.set(PREF, c.key());
    }

    /** A guess from the file name or NIfTI description: SPECT/PET words → SPECT, else MRI. */
    static Modality guess(String name) {
        String n = name == null ? "" : name.toLowerCase(Locale.ROOT);
        // short words only as whole words: "dat" in "candidate" or "update" is no DaT scan
        return n.matches(".*(spect|fp-?cit|ioflupane|datscan).*")
                || n.matches("(.*[^a-z])?(dat|nm|pet)([^a-z].*)?") ? Modality.SPECT : Modality.MRI;
    }

    /**
     * Prepares {@code imp} (file order, as the bridge makes it) for a reader: reoriented with {@code c}, display range
     * and LUT for {@code m}, on its slice of interest, with orientation letters. Returns {@code imp}.
     */
    static ImagePlus prepare(ImagePlus imp, Modality m, Convention c) {
        DisplayOrientation.reorient(imp, c);
        style(imp, m);
        imp.setSlice(sliceOfInterest(imp, m));
        letters(imp);
        return imp;
    }

    /** Display range and LUT for the modality (8-bit masks: 0–255). */
    static void style(ImagePlus imp, Modality m) {
        if (imp.getBitDepth() == 24) {
            return;
        }
        double[] r = range(imp, m);
        if (m == Modality.SPECT) {
            imp.setLut(ColorMap.of("hot").toLut());
        }
        imp.setDisplayRange(r[0], r[1]);
    }

    /** The display range of {@code m} from the voxels' percentiles (raw pixel values, as ImageJ's range is). */
    static double[] range(ImagePlus imp, Modality m) {
        if (m == Modality.MASK) {
            return new double[]{0, 255};
        }
        float[] s = sample(imp);
        if (s.length == 0) {
            return new double[]{0, 1};
        }
        Arrays.sort(s);
        double lo;
        double hi;
        if (m == Modality.SPECT) {
            lo = Math.min(0, s[0]);
            hi = percentile(s, 99.9);
        } else {
            lo = Math.min(0, percentile(s, 0.5));
            hi = percentile(s, 99.5);
        }
        if (!(hi > lo)) {
            hi = lo + 1;
        }
        return new double[]{lo, hi};
    }

    /** Up to about a million non-zero, finite voxel values of the whole stack (every n-th voxel). */
    private static float[] sample(ImagePlus imp) {
        int n = imp.getStackSize();
        long total = (long) imp.getWidth() * imp.getHeight() * n;
        int step = (int) Math.max(1, total / 1_000_000);
        float[] out = new float[(int) Math.min(total, 1_000_001L)];
        int k = 0;
        long idx = 0;
        for (int z = 1; z <= n; z++) {
            ImageProcessor ip = imp.getStack().getProcessor(z);
            int len = ip.getPixelCount();
            for (int i = (int) ((step - idx % step) % step); i < len; i += step) {
                float v = ip.getf(i);
                if (v != 0 && Float.isFinite(v) && k < out.length) {
                    out[k++] = v;
                }
            }
            idx += len;
        }
        return Arrays.copyOf(out, k);
    }

    static double percentile(float[] sorted, double p) {
        double pos = p / 100 * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(sorted.length - 1, i + 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    /**
     * 1-based slice of interest: SPECT — the slice with most voxels in the hottest 0.5 % (the striatum); otherwise the
     * slice through the intensity-weighted centre of the voxels above the median (the brain's or the mask's centre).
     */
    static int sliceOfInterest(ImagePlus imp, Modality m) {
        int nz = imp.getNSlices();
        if (nz <= 1) {
            return 1;
        }
        int frame = Math.max(1, imp.getFrame());
        float[] s = sample(imp);
        if (s.length == 0) {
            return nz / 2 + 1;
        }
        Arrays.sort(s);
        double thr = m == Modality.SPECT ? percentile(s, 99.5) : percentile(s, 50);
        double[] count = new double[nz];
        double sum = 0;
        double wz = 0;
        for (int z = 0; z < nz; z++) {
            ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(1, z + 1, frame));
            for (int i = 0; i < ip.getPixelCount(); i++) {
                float v = ip.getf(i);
                if (v >= thr && v != 0 && Float.isFinite(v)) {
                    count[z]++;
                    sum += v;
                    wz += v * z;
                }
            }
        }
        if (m == Modality.SPECT) {
            int best = 0;
            for (int z = 1; z < nz; z++) {
                if (count[z] > count[best]) {
                    best = z;
                }
            }
            return best + 1;
        }
        return sum > 0 ? (int) Math.round(wz / sum) + 1 : nz / 2 + 1;
    }

    /** 1-based slice holding the largest value of the stack (a CAM's maximum). */
    static int sliceOfMaximum(ImagePlus imp) {
        int best = 1;
        double max = Double.NEGATIVE_INFINITY;
        for (int z = 1; z <= imp.getNSlices(); z++) {
            ImageProcessor ip = imp.getStack().getProcessor(imp.getStackIndex(1, z, 1));
            for (int i = 0; i < ip.getPixelCount(); i++) {
                float v = ip.getf(i);
                if (v > max) {
                    max = v;
                    best = z;
                }
            }
        }
        return best;
    }

    /**
     * Orientation letters (e.g. R, L, A, P) at the middle of the four edges, on every slice, as the overlay group
     * {@value #LETTERS}; none for an image whose orientation is unknown (no stored affine).
     */
    static void letters(ImagePlus imp) {
        if (!ImagePlusBridge.isCalibrated(imp) || ImagePlusBridge.calibrationChanged(imp)
                || ImagePlusBridge.fileDims(imp) == null) {
            return;
        }
        String[] l = DisplayOrientation.of(imp).edgeLetters(ImagePlusBridge.gridOf(imp));
        int w = imp.getWidth();
        int h = imp.getHeight();
        int size = Math.max(8, Math.min(w, h) / 12);
        Font f = new Font(Font.SANS_SERIF, Font.BOLD, size);
        Overlay o = new Overlay();
        int[][] at = {{1, h / 2 - size / 2}, {w - size - 1, h / 2 - size / 2}, {w / 2 - size / 3, 0},
            {w / 2 - size / 3, h - size - 3}};
        for (int e = 0; e < 4; e++) {
            TextRoi t = new TextRoi(at[e][0], at[e][1], l[e], f);
            t.setStrokeColor(new Color(255, 255, 0));
            t.setName(LETTERS + " " + l[e]);
            o.add(t);
        }
        Overlays.replace(imp, LETTERS, o);
    }

    /** Shows {@code imp} (unless headless) and, with a window, zooms so that it fills most of the screen. */
    static void show(ImagePlus imp) {
        if (Ij1Adapter.headless()) {
            return;
        }
        imp.show();
        ImageWindow win = imp.getWindow();
        if (win == null || ij.macro.Interpreter.isBatchMode()) {
            return;
        }
        Rectangle screen = win.getGraphicsConfiguration().getBounds();
        double mag = fillZoom(imp.getWidth(), imp.getHeight(), screen.width, screen.height);
        ImageCanvas ic = win.getCanvas();
        if (mag > ic.getMagnification()) {
            ic.setMagnification(mag);
            ic.setSize(new Dimension((int) (imp.getWidth() * mag), (int) (imp.getHeight() * mag)));
            win.pack();
            IJ.wait(10);
        }
    }

    /**
     * The largest of ImageJ's zoom levels (…, 100 %, 150 %, 200 %, 300 %, …) at which a w×h image takes at most 70 % of
     * the screen's width and height.
     */
    static double fillZoom(int w, int h, int screenW, int screenH) {
        double max = Math.min(0.7 * screenW / w, 0.7 * screenH / h);
        double mag = 32;
        while (mag > max && mag > 1.0 / 72) {
            mag = ImageCanvas.getLowerZoomLevel(mag);
        }
        return mag;
    }

    /** The ROI names of an overlay group. */
    static boolean inGroup(Roi r, String group) {
        return r.getName() != null && r.getName().startsWith(group);
    }
}
