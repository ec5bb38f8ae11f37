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
        return draw(n + " intervals", rgb, new String[]{"≤" + fmt(pc.low()),
            fmt((pc.low() + pc.high()) / 2), "≥" + fmt(pc.high())}, height);
    }

    /**
     * Draws a compact vertical bar of {@code colours} (first at the bottom), black on white: the title written upwards
     * along the bar's right side (so the legend stays narrow on a 91-pixel-wide SPECT slice), the labels of the top,
     * middle and bottom values beside the bar. {@code height} is a wish: the bar is at least as tall as the title.
     */
    static ColorProcessor draw(String title, int[] colours, String[] labels, int height) {
        int font = Math.max(8, Math.min(14, height / 8));
        Font f = new Font(Font.SANS_SERIF, Font.PLAIN, font);
        int barW = Math.max(4, font / 2);
        int barH = Math.max(height, textWidth(title, font) + 2);
        boolean mid = barH >= 8 * font; // a middle label only where it does not crowd the ends
        int labelW = Math.max(textWidth(labels[0], font), textWidth(labels[2], font));
        if (mid) {
            labelW = Math.max(labelW, textWidth(labels[1], font));
        }
        // the title on its own strip, then turned a quarter to the left
        ColorProcessor strip = new ColorProcessor(barH, font + 3);
        strip.setColor(Color.white);
        strip.fill();
        strip.setColor(Color.black);
        strip.setFont(f);
        strip.setAntialiasedText(false);
        strip.setJustification(ImageProcessor.CENTER_JUSTIFY);
        strip.drawString(title, barH / 2, font + 1);
        ImageProcessor upright = strip.rotateLeft();
        int pad = font / 2 + 1;
        int w = 2 + barW + 2 + labelW + 1 + upright.getWidth() + 1;
        int h = barH + 2 * pad;
        ColorProcessor cp = new ColorProcessor(w, h);
        cp.setColor(Color.white);
        cp.fill();
        for (int y = 0; y < barH; y++) {
            int idx = (int) ((long) (barH - 1 - y) * colours.length / barH);
            for (int x = 0; x < barW; x++) {
                cp.set(2 + x, pad + y, colours[Math.min(colours.length - 1, idx)]);
            }
        }
        cp.insert(upright, w - upright.getWidth() - 1, pad);
        cp.setColor(Color.black);
        cp.setFont(f);
        cp.setAntialiasedText(false);
        cp.setJustification(ImageProcessor.LEFT_JUSTIFY);
        int lx = 2 + barW + 2;
        // drawString's y is the text baseline
        cp.drawString(labels[2], lx, pad + font / 2 + 1);
        if (mid) {
            cp.drawString(labels[1], lx, pad + barH / 2 + font / 2);
        }
        cp.drawString(labels[0], lx, pad + barH - 1 + font / 2);
        return cp;
    }

    private static int textWidth(String s, int font) {
        return (int) Math.ceil(0.58 * font * s.length()) + 1;
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
        String t = String.format(Locale.ROOT, "%.3g", v);
        return t.contains("e") ? t : t.contains(".") ? t.replaceAll("0+$", "").replaceAll("\\.$", "") : t;
    }
}
