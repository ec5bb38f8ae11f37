package org.dopaj.report;

import ij.gui.Plot;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.dopaj.cam.ColorMap;
import org.dopaj.image.Volume;
import org.dopaj.spect.NormalDatabase;
import org.dopaj.spect.SbrResult;

/**
 * The pictures of a report, drawn without any window: axial montages in the reading convention (anterior up, the
 * patient's left on the picture's left — neurological, labelled L/R on each panel), an overlay in a colour map with
 * its titled colour bar, an outline of a mask, and the SBR-against-age plot (ImageJ's own {@link Plot}).
 * Orientation follows the image's affine: the voxel axes closest to left–right, back–front and foot–head are found
 * and flipped as needed, so any storage order is shown the same way.
 */
public final class Pictures {
    /** What the base image is, for its grey-level window. */
    public enum Modality { MRI, SPECT }

    private static final int PANEL = 160;

    private Pictures() {
    }

    /**
     * Axial slices of {@code base} (grey, 1st–99.5th percentile window of its non-zero voxels) with {@code overlay}
     * (0–1, on the same grid, drawn in {@code map} at {@code opacity} where above 0.2) and the outline of
     * {@code outline} (yellow); slices through the overlay's maximum, or spread over the mask, or around the centre.
     */
    public static BufferedImage overlayMontage(Volume base, Volume overlay, ColorMap map, double opacity, Volume outline,
            String barTitle, Modality modality) {
        Axes ax = Axes.of(base);
        int nSlices = ax.n[2];
        int[] slices = chooseSlices(base, overlay, outline, ax, nSlices);
        double[] window = window(base, modality);
        int cols = Math.min(4, slices.length);
        int rows = (slices.length + cols - 1) / cols;
        double scale = (double) PANEL / Math.max(ax.n[0], ax.n[1]);
        int pw = Math.max(1, (int) Math.round(ax.n[0] * scale));
        int ph = Math.max(1, (int) Math.round(ax.n[1] * scale));
        int bar = overlay != null && map != null ? 84 : 0;
        BufferedImage out = new BufferedImage(cols * (pw + 4) + 4 + bar, rows * (ph + 4) + 4, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int s = 0; s < slices.length; s++) {
            BufferedImage p = panel(base, overlay, map, opacity, outline, ax, slices[s], window);
            int x = 4 + (s % cols) * (pw + 4);
            int y = 4 + (s / cols) * (ph + 4);
            g.drawImage(p, x, y, pw, ph, null);
            g.setColor(Color.WHITE);
            g.drawString("L", x + 3, y + ph / 2);
            g.drawString("R", x + pw - 10, y + ph / 2);
            g.drawString(String.format(Locale.ROOT, "z %.0f mm", ax.zMm(base, slices[s])), x + 3, y + 12);
        }
        if (bar > 0) {
            colourBar(g, map, cols * (pw + 4) + 10, 8, 16, out.getHeight() - 16, barTitle);
        }
        g.dispose();
        return out;
    }

    /** A vertical colour bar 0 (bottom) to 1 (top) with its title written along it. */
    static void colourBar(Graphics2D g, ColorMap map, int x, int y, int w, int h, String title) {
        for (int k = 0; k < h; k++) {
            g.setColor(new Color(map.rgbOf(1.0 - (double) k / Math.max(1, h - 1))));
            g.fillRect(x, y + k, w, 1);
        }
        g.setColor(Color.WHITE);
        g.drawRect(x, y, w, h);
        g.drawString("1", x + w + 3, y + 10);
        g.drawString("0", x + w + 3, y + h);
        if (title != null) {
            Graphics2D r = (Graphics2D) g.create();
            r.translate(x + w + 26, y + h / 2.0);
            r.rotate(-Math.PI / 2);
            int tw = r.getFontMetrics().stringWidth(title);
            r.drawString(title, -tw / 2, 0);
            r.dispose();
        }
    }

    private static int[] chooseSlices(Volume base, Volume overlay, Volume outline, Axes ax, int n) {
        int count = Math.min(8, n);
        int lo = 0;
        int hi = n - 1;
        if (outline != null) {
            int[] ext = ax.extent(outline);
            if (ext != null) {
                lo = ext[0];
                hi = ext[1];
            }
        } else if (overlay != null) {
            int c = ax.sliceOfMax(overlay);
            count = Math.min(4, n);
            lo = Math.max(0, c - 3 * Math.max(1, n / 30));
            hi = Math.min(n - 1, c + 3 * Math.max(1, n / 30));
        } else {
            lo = n / 4;
            hi = 3 * n / 4;
        }
        int[] s = new int[count];
        for (int k = 0; k < count; k++) {
            s[k] = count == 1 ? (lo + hi) / 2 : (int) Math.round(lo + (hi - lo) * (k + 0.5) / count);
        }
        // head first: the top slice of the montage is the most superior
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            out[k] = ax.flip[2] ? s[k] : s[count - 1 - k];
        }
        return out;
    }

    private static double[] window(Volume v, Modality m) {
        float[] a = v.toArray();
        float[] nz = new float[a.length];
        int n = 0;
        for (float x : a) {
            if (Float.isFinite(x) && x != 0) {
                nz[n++] = x;
            }
        }
        if (n == 0) {
            return new double[]{0, 1};
        }
        float[] s = Arrays.copyOf(nz, n);
        Arrays.sort(s);
        double lo = m == Modality.SPECT ? 0 : s[(int) (0.01 * (n - 1))];
        double hi = s[(int) (0.995 * (n - 1))];
        return new double[]{lo, hi > lo ? hi : lo + 1};
    }

    private static BufferedImage panel(Volume base, Volume overlay, ColorMap map, double opacity, Volume outline,
            Axes ax, int slice, double[] window) {
        int w = ax.n[0];
        int h = ax.n[1];
        BufferedImage p = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] ijk = new int[3];
        for (int py = 0; py < h; py++) {
            for (int px = 0; px < w; px++) {
                ax.voxel(px, py, slice, ijk);
                double v = base.get(ijk[0], ijk[1], ijk[2]);
                int grey = (int) Math.round(255 * Math.max(0, Math.min(1, (v - window[0]) / (window[1] - window[0]))));
                if (!Double.isFinite(v)) {
                    grey = 0;
                }
                double r = grey;
                double gr = grey;
                double b = grey;
                if (overlay != null && map != null) {
                    double c = overlay.get(ijk[0], ijk[1], ijk[2]);
                    if (c > 0.2) {
                        int rgb = map.rgbOf(Math.min(1, c));
                        r = (1 - opacity) * r + opacity * ((rgb >> 16) & 255);
                        gr = (1 - opacity) * gr + opacity * ((rgb >> 8) & 255);
                        b = (1 - opacity) * b + opacity * (rgb & 255);
                    }
                }
                if (outline != null && isEdge(outline, ax, px, py, slice, ijk)) {
                    r = 255;
                    gr = 230;
                    b = 0;
                }
                p.setRGB(px, py, ((int) r << 16) | ((int) gr << 8) | (int) b);
            }
        }
        return p;
    }

    private static boolean isEdge(Volume mask, Axes ax, int px, int py, int slice, int[] ijk) {
        ax.voxel(px, py, slice, ijk);
        if (mask.get(ijk[0], ijk[1], ijk[2]) <= 0.5) {
            return false;
        }
        int[][] nb = {{px - 1, py}, {px + 1, py}, {px, py - 1}, {px, py + 1}};
        for (int[] q : nb) {
            if (q[0] < 0 || q[1] < 0 || q[0] >= ax.n[0] || q[1] >= ax.n[1]) {
                return true;
            }
            ax.voxel(q[0], q[1], slice, ijk);
            if (mask.get(ijk[0], ijk[1], ijk[2]) <= 0.5) {
                return true;
            }
        }
        return false;
    }

    /**
     * Striatal SBRs against age: the normal database's mean ± 2 SD band of caudate, putamen and striatum (left
     * entries; the database's own age model) and this patient's left and right values at their age.
     */
    public static BufferedImage sbrAgePlot(SbrResult r, NormalDatabase db) {
        Plot plot = new Plot("SBR against age", "age (years)", "specific binding ratio");
        plot.setSize(520, 300);
        String[] regions = {"caudate", "putamen", "striatum"};
        Color[] colours = {new Color(0, 110, 200), new Color(200, 60, 0), new Color(0, 140, 60)};
        double ymax = 1;
        double age = r.age();
        List<String> legend = new ArrayList<>();
        for (int k = 0; k < regions.length; k++) {
            NormalDatabase.Entry e = db.entries().get(regions[k] + "_l");
            if (e == null) {
                continue;
            }
            double[] ages = new double[71];
            double[] lo = new double[ages.length];
            double[] hi = new double[ages.length];
            for (int i = 0; i < ages.length; i++) {
                ages[i] = 20 + i;
                double m = e.expected(ages[i]);
                lo[i] = m - 2 * e.sd();
                hi[i] = m + 2 * e.sd();
                ymax = Math.max(ymax, hi[i]);
            }
            plot.setColor(colours[k]);
            plot.setLineWidth(1);
            plot.addPoints(ages, lo, Plot.LINE);
            plot.addPoints(ages, hi, Plot.LINE);
            plot.setLineWidth(2);
            double[] pv = {r.sbr().getOrDefault(regions[k] + "_l", Double.NaN), r.sbr().getOrDefault(regions[k] + "_r",
                    Double.NaN)};
            plot.addPoints(new double[]{age, age}, pv, Plot.CIRCLE);
            legend.add(regions[k]);
            ymax = Math.max(ymax, Math.max(pv[0], pv[1]));
        }
        plot.setLimits(20, 90, 0, Math.ceil(ymax * 1.1));
        for (int i = 0; i < legend.size(); i++) {
            plot.setColor(colours[Arrays.asList(regions).indexOf(legend.get(i))]);
            plot.addLabel(0.02 + 0.2 * i, 0.08, legend.get(i));
        }
        plot.setColor(Color.BLACK);
        plot.addLabel(0.02, 0.16, "lines: normal mean ± 2 SD; circles: this scan, left and right");
        return plot.getImagePlus().getBufferedImage();
    }

    /** Which voxel axis draws as picture x (left→right = patient left→right), picture y (anterior up) and slices. */
    static final class Axes {
        final int[] axis = new int[3];
        final boolean[] flip = new boolean[3];
        final int[] n = new int[3];

        static Axes of(Volume v) {
            double[][] a = v.grid().affine();
            Axes x = new Axes();
            boolean[] used = new boolean[3];
            for (int w = 0; w < 3; w++) {
                int best = -1;
                for (int c = 0; c < 3; c++) {
                    if (!used[c] && (best < 0 || Math.abs(a[w][c]) > Math.abs(a[w][best]))) {
                        best = c;
                    }
                }
                used[best] = true;
                x.axis[w] = best;
                x.n[w] = v.grid().dims()[best];
                // neurological: patient's left (x < 0) on the picture's left; anterior (y > 0) up; slices foot→head
                x.flip[w] = w == 0 ? a[0][best] < 0 : w == 1 ? a[1][best] > 0 : a[2][best] < 0;
            }
            return x;
        }

        void voxel(int px, int py, int slice, int[] ijk) {
            ijk[axis[0]] = flip[0] ? n[0] - 1 - px : px;
            ijk[axis[1]] = flip[1] ? n[1] - 1 - py : py;
            ijk[axis[2]] = slice;
        }

        double zMm(Volume v, int slice) {
            double[] c = new double[3];
            c[axis[0]] = (n[0] - 1) / 2.0;
            c[axis[1]] = (n[1] - 1) / 2.0;
            c[axis[2]] = slice;
            return v.grid().toMm(c[0], c[1], c[2])[2];
        }

        /** First and last slice holding the mask, or null when it is empty. */
        int[] extent(Volume mask) {
            int lo = -1;
            int hi = -1;
            int[] d = mask.grid().dims();
            for (int s = 0; s < n[2]; s++) {
                boolean any = false;
                int[] ijk = new int[3];
                ijk[axis[2]] = s;
                for (int i = 0; i < d[axis[0]] && !any; i++) {
                    for (int j = 0; j < d[axis[1]] && !any; j++) {
                        ijk[axis[0]] = i;
                        ijk[axis[1]] = j;
                        any = mask.get(ijk[0], ijk[1], ijk[2]) > 0.5;
                    }
                }
                if (any) {
                    lo = lo < 0 ? s : lo;
                    hi = s;
                }
            }
            return lo < 0 ? null : new int[]{lo, hi};
        }

        int sliceOfMax(Volume v) {
            int best = n[2] / 2;
            double max = Double.NEGATIVE_INFINITY;
            int[] d = v.grid().dims();
            for (int k = 0; k < d[2]; k++) {
                for (int j = 0; j < d[1]; j++) {
                    for (int i = 0; i < d[0]; i++) {
                        double x = v.get(i, j, k);
                        if (x > max) {
                            max = x;
                            best = axis[2] == 0 ? i : axis[2] == 1 ? j : k;
                        }
                    }
                }
            }
            return best;
        }
    }
}
