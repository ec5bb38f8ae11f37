package org.dopaj.cam;

import ij.ImagePlus;
import ij.ImageStack;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.measure.Calibration;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.DirectColorModel;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * The ImageJ-aware part of the CAM package: class-activation maps as ImageJ 1 data (overlays, colour bars,
 * stand-alone images). It uses ImageJ classes as data only: no windows, dialogs or log.
 *
 * <p>Overlay pixels: a CAM value v (clamped to [0,1]; normalise first with {@link CamMaps#normalise}) is
 * drawn in colour map entry round(255·v) with per-pixel alpha = round(255 · opacity · v) when
 * {@code alphaFromCam} (so CAM 0 leaves the image untouched and only the hot spots are tinted), or
 * round(255 · opacity) everywhere otherwise. The ImageRoi itself stays fully opaque; all transparency is in
 * the ARGB pixels, which {@link ImagePlus#flatten()} blends "source over": out = α·colour + (1 − α)·image.
 * The input image and CAM are never modified.
 */
public final class CamOverlay {
    /** Colour model of ARGB pixels, so the ImageRoi's image keeps its per-pixel alpha. */
    private static final DirectColorModel ARGB = new DirectColorModel(32, 0x00ff0000, 0x0000ff00, 0x000000ff, 0xff000000);

    private CamOverlay() {
    }

    /**
     * One {@link ImageRoi} per slice holding the coloured CAM of that slice, positioned so slice z shows
     * CAM plane z. {@code camPlanes[z]} is x fastest, of size width·height, one plane per z-slice of the
     * image (for a hyperstack, per z; the overlay then shows on every channel and frame of that z).
     */
    public static Overlay overlay(ImagePlus image, float[][] camPlanes, ColorMap map, double opacity,
                                  boolean alphaFromCam) {
        int w = image.getWidth();
        int h = image.getHeight();
        int nz = image.getNSlices();
        if (!(opacity >= 0 && opacity <= 1)) {
            throw new DopajException("opacity must be between 0 and 1, got " + opacity);
        }
        if (camPlanes.length != nz) {
            throw new DopajException("CAM has " + camPlanes.length + " slices but image '" + image.getTitle() + "' has " + nz);
        }
        Overlay overlay = new Overlay();
        for (int z = 0; z < nz; z++) {
            float[] cam = camPlanes[z];
            if (cam.length != w * h) {
                throw new DopajException("CAM slice " + (z + 1) + " has " + cam.length + " pixels but image '" + image.getTitle()
                        + "' is " + w + "×" + h);
            }
            ImageRoi roi = new CamRoi(argb(cam, w, h, map, opacity, alphaFromCam));
            roi.setName("CAM " + map.name() + (nz > 1 ? " z" + (z + 1) : ""));
            if (image.isHyperStack()) {
                roi.setPosition(0, z + 1, 0);
            } else if (image.getStackSize() > 1) {
                roi.setPosition(z + 1);
            }
            overlay.add(roi);
        }
        return overlay;
    }

    /** {@link #overlay(ImagePlus, float[][], ColorMap, double, boolean)} for frame 0 of a CAM volume. */
    public static Overlay overlay(ImagePlus image, Volume cam, ColorMap map, double opacity, boolean alphaFromCam) {
        if (cam.nx() != image.getWidth() || cam.ny() != image.getHeight() || cam.nz() != image.getNSlices()) {
            throw new DopajException("CAM is " + cam.nx() + "×" + cam.ny() + "×" + cam.nz() + " but image '" + image.getTitle()
                    + "' is " + image.getWidth() + "×" + image.getHeight() + "×" + image.getNSlices()
                    + ": upsample the CAM to the image first");
        }
        float[][] planes = new float[cam.nz()][];
        for (int z = 0; z < cam.nz(); z++) {
            planes[z] = cam.plane(z);
        }
        return overlay(image, planes, map, opacity, alphaFromCam);
    }

    /**
     * An ImageRoi that keeps its per-pixel alpha when cloned. ImageJ clones overlay ROIs, e.g. when
     * {@link ImagePlus#flatten()} renders one slice of a stack, and the plain {@link ImageRoi#clone()} rebuilds
     * the image through an opaque RGB processor, which would paint CAM 0 pixels solid.
     */
    static final class CamRoi extends ImageRoi {
        private static final long serialVersionUID = 1L;
        private final transient ColorProcessor argb;

        CamRoi(ColorProcessor argb) {
            super(0, 0, argb);
            this.argb = argb;
        }

        @Override
        public synchronized Object clone() {
            CamRoi copy = (CamRoi) super.clone();
            if (argb == null) {
                return copy; // after Java deserialisation the pixels live only in the plain ImageRoi
            }
            ColorProcessor cp = (ColorProcessor) argb.duplicate();
            cp.setColorModel(ARGB);
            copy.setProcessor(cp);
            return copy;
        }
    }

    /** The ARGB pixels of one CAM slice (see the class javadoc for the alpha rule). */
    static ColorProcessor argb(float[] cam, int w, int h, ColorMap map, double opacity, boolean alphaFromCam) {
        int[] px = new int[w * h];
        for (int i = 0; i < px.length; i++) {
            float v = cam[i];
            double c = Float.isFinite(v) ? Math.max(0, Math.min(1, v)) : 0;
            int alpha = (int) Math.round(255 * opacity * (alphaFromCam ? c : 1));
            px[i] = alpha << 24 | map.rgbOf(c);
        }
        ColorProcessor cp = new ColorProcessor(w, h, px);
        cp.setColorModel(ARGB);
        return cp;
    }

    /**
     * A vertical colour bar (maximum at the top) with the minimum and maximum written beside it, as an RGB
     * image on a white background, e.g. to save next to a flattened CAM figure.
     */
    public static ImagePlus colourBar(ColorMap map, double min, double max, int barWidth, int barHeight) {
        if (barWidth < 1 || barHeight < 2) {
            throw new DopajException("colour bar must be at least 1×2 pixels, got " + barWidth + "×" + barHeight);
        }
        String top = format(max);
        String bottom = format(min);
        int fontSize = Math.max(9, Math.min(14, barHeight / 8));
        int textWidth = (int) Math.ceil(0.65 * fontSize * Math.max(top.length(), bottom.length())) + 6;
        int pad = fontSize / 2 + 2;
        int w = barWidth + 4 + textWidth;
        int h = barHeight + 2 * pad;
        ColorProcessor cp = new ColorProcessor(w, h);
        cp.setColor(Color.white);
        cp.fill();
        for (int y = 0; y < barHeight; y++) {
            // top row = last LUT entry
            int idx = (int) Math.round(255.0 * (barHeight - 1 - y) / (barHeight - 1));
            int rgb = map.rgb(idx);
            for (int x = 0; x < barWidth; x++) {
                cp.set(x, y + pad, rgb);
            }
        }
        cp.setColor(Color.black);
        cp.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, fontSize));
        cp.setAntialiasedText(false);
        cp.setJustification(ImageProcessor.LEFT_JUSTIFY);
        // drawString's y is the text baseline
        cp.drawString(top, barWidth + 4, pad + fontSize / 2 + 1);
        cp.drawString(bottom, barWidth + 4, pad + barHeight - 1 + fontSize / 2 + 1);
        ImagePlus imp = new ImagePlus(map.name() + " colour bar", cp);
        imp.setProperty("Info", "colour map " + map.name() + ", min " + bottom + ", max " + top);
        return imp;
    }

    /**
     * The CAM as its own 32-bit image (a stack when it has several slices) with the colour map as LUT, display
     * range 0…1 (or the CAM's own range when it is not normalised) and the calibration copied from
     * {@code reference} (may be null: then taken from the CAM's grid in mm).
     */
    public static ImagePlus camImage(Volume cam, ColorMap map, ImagePlus reference, String title) {
        int w = cam.nx();
        int h = cam.ny();
        ImageStack stack = new ImageStack(w, h);
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int z = 0; z < cam.nz(); z++) {
            float[] p = cam.plane(z).clone();
            CamMaps.requireFinite(p, "CAM");
            for (float v : p) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            stack.addSlice("CAM z" + (z + 1), new FloatProcessor(w, h, p));
        }
        ImagePlus imp = new ImagePlus(title, stack);
        if (reference != null) {
            if (reference.getWidth() != w || reference.getHeight() != h || reference.getNSlices() != cam.nz()) {
                throw new DopajException("CAM is " + w + "×" + h + "×" + cam.nz() + " but reference image '" + reference.getTitle()
                        + "' is " + reference.getWidth() + "×" + reference.getHeight() + "×" + reference.getNSlices());
            }
            imp.setCalibration(reference.getCalibration().copy());
        } else {
            imp.setCalibration(calibration(cam.grid()));
        }
        imp.setLut(map.toLut());
        if (min >= 0 && max <= 1) {
            imp.setDisplayRange(0, 1);
        } else {
            imp.setDisplayRange(min, max > min ? max : min + 1);
        }
        return imp;
    }

    /** ImageJ calibration (mm) of a grid: voxel size and the position of voxel (0,0,0) as origin. */
    static Calibration calibration(Grid g) {
        Calibration c = new Calibration();
        double[] v = g.voxelMm();
        c.pixelWidth = v[0];
        c.pixelHeight = v[1];
        c.pixelDepth = v[2];
        c.setUnit("mm");
        return c;
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        return String.format(java.util.Locale.ROOT, Math.abs(v) >= 100 || Math.abs(v) < 0.01 ? "%.3g" : "%.2f", v);
    }
}
