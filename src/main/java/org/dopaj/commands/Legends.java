package org.dopaj.commands;

import ij.ImagePlus;
import ij.gui.ImageRoi;
import ij.gui.Overlay;
import ij.process.ColorProcessor;
import ij.process.ImageProcessor;
import java.awt.Color;
import java.awt.Font;
import java.util.Locale;
import org.dopaj.brainmask.PseudoColour;
import org.dopaj.cam.ColorMap;

/**
 * Colour bars and legends drawn into the image's overlay (top-right corner, on every slice) so that a flattened
 * picture explains its colours: a title saying what the colours show, and the values at both ends (and the middle).
 */
final class Legends {
    /** Overlay group of legends. */
    static final String GROUP = "DopaJ legend";

    private Legends() {
    }

    /** A bar for a continuous colour map: {@code title} above, labels of {@code min}, the middle and {@code max}. */
    static ColorProcessor bar(String title, ColorMap map, double min, double max, int height) {
        int[] rgb = new int[256];
        for (int i = 0; i < 256; i++) {
            rgb[i] = map.rgb(i);
        }
        return draw(title, rgb, new String[]{fmt(min), fmt((min + max) / 2), fmt(max)}, height);
    }

    /** The pseudo-colour legend: one band per interval, the intensities where the first starts and the last ends. */
    static ColorProcessor intervals(PseudoColour pc, int height) {
        int n = pc.intervals();
        int[] rgb = new int[n];
        for (int k = 1; k <= n; k++) {
            rgb[k - 1] = (pc.reds()[k] & 0xff) << 16 | (pc.greens()[k] & 0xff) << 8 | (pc.blues()[k] & 0xff);
        }
        return draw(n + " intensity intervals", rgb, new String[]{"≤" + fmt(pc.low()),
            fmt((pc.low() + pc.high()) / 2), "≥" + fmt(pc.high())}, height);
    }

    /**
     * Draws a vertical bar of {@code colours} (first at the bottom) {@code height} pixels tall, the title on top and
     * the three labels beside the bottom, middle and top, black on white.
     */
    static ColorProcessor draw(String title, int[] colours, String[] labels, int height) {
        int font = Math.max(8, Math.min(12, height / 7));
        int barW = Math.max(6, font);
        int labelW = 0;
        for (String l : labels) {
            labelW = Math.max(labelW, textWidth(l, font));
        }
        int w = Math.max(barW + 4 + labelW, textWidth(title, font)) + 6;
        int top = font + 6;
        int h = top + height + font / 2 + 4;
        ColorProcessor cp = new ColorProcessor(w, h);
        cp.setColor(Color.white);
        cp.fill();
        for (int y = 0; y < height; y++) {
            int idx = (int) ((long) (height - 1 - y) * colours.length / height);
            for (int x = 0; x < barW; x++) {
                cp.set(3 + x, top + y, colours[Math.min(colours.length - 1, idx)]);
            }
        }
        cp.setColor(Color.black);
        cp.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, font));
        cp.setAntialiasedText(false);
        cp.setJustification(ImageProcessor.LEFT_JUSTIFY);
        cp.drawString(title, 3, font + 2);
        int lx = 3 + barW + 3;
        cp.drawString(labels[2], lx, top + font / 2 + 1);
        cp.drawString(labels[1], lx, top + height / 2 + font / 2);
        cp.drawString(labels[0], lx, top + height - 1 + font / 2);
        return cp;
    }

    private static int textWidth(String s, int font) {
        return (int) Math.ceil(0.62 * font * s.length()) + 2;
    }

    /** The legend as an overlay ROI in the image's top-right corner, on every slice. */
    static Overlay overlay(ColorProcessor legend, ImagePlus imp) {
        ImageRoi roi = new ImageRoi(Math.max(0, imp.getWidth() - legend.getWidth() - 2), 2, legend);
        roi.setName(GROUP);
        Overlay o = new Overlay();
        o.add(roi);
        return o;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 || Math.abs(v) < 0.01 ? "%.3g" : "%.2f", v);
    }
}
