package org.dopaj.spect;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.dopaj.DopajException;
import org.dopaj.image.Volume;

/**
 * The quality-control picture of a spatial normalisation: the normalised DaT-SPECT image (grey, 0 … its 99.5th
 * percentile) in three planes through the striatum — axial z = +4 mm, coronal y = +6 mm, sagittal x = −25 mm (left
 * putamen) — with the template's brain outline (yellow; template at half the reference level) and DopaJ's striatal
 * VOIs (cyan) drawn over it, as a reader checks a normalisation: the outline on the brain's edge, the VOIs on the
 * striatum. Radiological convention is not used: the patient's left is on the picture's left (neurological), and
 * the picture says so. Pure AWT (no ImageJ UI), so it works headless.
 */
public final class DatQcPicture {
    private static final int ZOOM = 3;

    private DatQcPicture() {
    }

    /** Renders the picture of {@code mni} (on the MNI 2 mm grid) with {@code caption} under it. */
    public static BufferedImage render(Volume mni, Volume template, String caption) {
        Volume vois = SpectVois.rasterise(mni.grid());
        float[] all = mni.toArray();
        float[] sorted = all.clone();
        Arrays.sort(sorted);
        double hi = Math.max(1e-6, sorted[(int) (0.995 * (sorted.length - 1))]);
        double[] ijkAxial = mni.grid().toVoxel(0, 0, 4);
        double[] ijkCoronal = mni.grid().toVoxel(0, 6, 0);
        double[] ijkSagittal = mni.grid().toVoxel(-25, 0, 0);
        BufferedImage[] panels = {
            panel(mni, template, vois, hi, 2, (int) Math.round(ijkAxial[2])),
            panel(mni, template, vois, hi, 1, (int) Math.round(ijkCoronal[1])),
            panel(mni, template, vois, hi, 0, (int) Math.round(ijkSagittal[0]))};
        int w = 0;
        int h = 0;
        for (BufferedImage p : panels) {
            w += p.getWidth() + 8;
            h = Math.max(h, p.getHeight());
        }
        BufferedImage out = new BufferedImage(w + 8, h + 64, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int x = 8;
        String[] names = {"axial z = +4 mm", "coronal y = +6 mm", "sagittal x = -25 mm"};
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        for (int k = 0; k < 3; k++) {
            g.drawImage(panels[k], x, 8, null);
            g.setColor(Color.WHITE);
            g.drawString(names[k], x + 4, 22);
            if (k < 2) {
                g.drawString("L", x + 4, 8 + panels[k].getHeight() / 2);
                g.drawString("R", x + panels[k].getWidth() - 12, 8 + panels[k].getHeight() / 2);
            }
            x += panels[k].getWidth() + 8;
        }
        g.setColor(Color.YELLOW);
        g.drawString("template brain outline", 8, h + 30);
        g.setColor(Color.CYAN);
        g.drawString("striatal VOIs", 180, h + 30);
        g.setColor(Color.WHITE);
        g.drawString(caption, 8, h + 52);
        g.dispose();
        return out;
    }

    /** Writes the picture as PNG, atomically (a temporary file beside {@code png}, then a move). */
    public static void write(Volume mni, Volume template, String caption, Path png) {
        Path tmp = png.toAbsolutePath().resolveSibling("." + png.getFileName() + ".tmp");
        try {
            if (!ImageIO.write(render(mni, template, caption), "png", tmp.toFile())) {
                throw new IOException("no PNG writer");
            }
            Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the write error is the one to report
            }
            throw new DopajException(png + ": cannot write the QC picture (" + e.getMessage() + ")", e);
        }
    }

    /**
     * One plane ({@code axis} 2 axial, 1 coronal, 0 sagittal) at voxel index {@code index}, superior/anterior up. The
     * MNI 2 mm grid is LAS (voxel i = 0 is the patient's right), so i is drawn from right to left of the picture to
     * put the patient's left on the picture's left (neurological convention, labelled on the picture).
     */
    private static BufferedImage panel(Volume v, Volume template, Volume vois, double hi, int axis, int index) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        int w = axis == 0 ? ny : nx;
        int h = axis == 2 ? ny : nz;
        BufferedImage img = new BufferedImage(w * ZOOM, h * ZOOM, BufferedImage.TYPE_INT_RGB);
        float[][] plane = new float[w][h];
        float[][] tpl = new float[w][h];
        float[][] voi = new float[w][h];
        for (int a = 0; a < w; a++) {
            for (int b = 0; b < h; b++) {
                int i;
                int j;
                int k;
                if (axis == 2) {
                    i = nx - 1 - a;
                    j = b;
                    k = clamp(index, nz);
                } else if (axis == 1) {
                    i = nx - 1 - a;
                    j = clamp(index, ny);
                    k = b;
                } else {
                    i = clamp(index, nx);
                    j = a;
                    k = b;
                }
                plane[a][b] = v.get(i, j, k);
                tpl[a][b] = template.get(i, j, k);
                voi[a][b] = vois.get(i, j, k);
            }
        }
        for (int a = 0; a < w; a++) {
            for (int b = 0; b < h; b++) {
                int grey = (int) Math.max(0, Math.min(255, 255 * plane[a][b] / hi));
                int rgb = (grey << 16) | (grey << 8) | grey;
                boolean brainEdge = edge(tpl, a, b, 0.5f);
                boolean voiEdge = voiEdge(voi, a, b);
                if (voiEdge) {
                    rgb = 0x00FFFF;
                } else if (brainEdge) {
                    rgb = 0xFFFF00;
                }
                for (int dy = 0; dy < ZOOM; dy++) {
                    for (int dx = 0; dx < ZOOM; dx++) {
                        // superior/anterior at the top: row index runs downwards
                        img.setRGB(a * ZOOM + dx, (h - 1 - b) * ZOOM + dy, rgb);
                    }
                }
            }
        }
        return img;
    }

    private static boolean edge(float[][] t, int a, int b, float level) {
        boolean in = t[a][b] >= level;
        if (!in) {
            return false;
        }
        return a == 0 || b == 0 || a == t.length - 1 || b == t[0].length - 1 || t[a - 1][b] < level
                || t[a + 1][b] < level || t[a][b - 1] < level || t[a][b + 1] < level;
    }

    private static boolean voiEdge(float[][] l, int a, int b) {
        float c = l[a][b];
        if (c <= 0 || c == SpectVois.REFERENCE) {
            return false;
        }
        return a == 0 || b == 0 || a == l.length - 1 || b == l[0].length - 1 || l[a - 1][b] != c || l[a + 1][b] != c
                || l[a][b - 1] != c || l[a][b + 1] != c;
    }

    private static int clamp(int i, int n) {
        return Math.max(0, Math.min(n - 1, i));
    }

    /** A caption: the registration figure and the affine's translation. */
    public static String caption(String file, double ncc, boolean normalised) {
        return String.format(Locale.ROOT, "%s: %s, NCC with the template %.3f", file,
                normalised ? "spatially normalised by DopaJ" : "already in MNI space", ncc);
    }
}
