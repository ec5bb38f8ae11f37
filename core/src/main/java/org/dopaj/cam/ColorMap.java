package org.dopaj.cam;

import ij.process.LUT;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.dopaj.DopajException;

/**
 * A 256-entry RGB colour map for showing class-activation maps (0 = first entry, 1 = last).
 *
 * <p>Sources (all sampled at i/255, i = 0…255, and converted to bytes by rounding 255·v):
 * <ul>
 * <li>{@code jet}: matplotlib's piecewise-linear {@code _jet_data} anchor points (lib/matplotlib/_cm.py,
 * after MATLAB's jet).</li>
 * <li>{@code hot}: matplotlib's {@code _hot_data} anchor points (same file, after MATLAB's hot).</li>
 * <li>{@code viridis}, {@code inferno}: the published 256-entry tables of van der Walt &amp; Smith (CC0), as
 * in matplotlib lib/matplotlib/_cm_listed.py, kept verbatim as resources next to this class.</li>
 * <li>{@code grays}: identity ramp.</li>
 * </ul>
 * Rounding (not matplotlib's truncation in {@code Colormap(bytes=True)}) gives the widely quoted hex values,
 * e.g. viridis #440154 → #FDE725.
 */
public final class ColorMap {
    /** Names accepted by {@link #of(String)}. */
    public static final List<String> NAMES = List.of("jet", "inferno", "viridis", "hot", "grays");

    // matplotlib _jet_data: (x, value) anchors per channel
    private static final double[][] JET_R = {{0, 0}, {0.35, 0}, {0.66, 1}, {0.89, 1}, {1, 0.5}};
    private static final double[][] JET_G = {{0, 0}, {0.125, 0}, {0.375, 1}, {0.64, 1}, {0.91, 0}, {1, 0}};
    private static final double[][] JET_B = {{0, 0.5}, {0.11, 1}, {0.34, 1}, {0.65, 0}, {1, 0}};
    // matplotlib _hot_data
    private static final double[][] HOT_R = {{0, 0.0416}, {0.365079, 1}, {1, 1}};
    private static final double[][] HOT_G = {{0, 0}, {0.365079, 0}, {0.746032, 1}, {1, 1}};
    private static final double[][] HOT_B = {{0, 0}, {0.746032, 0}, {1, 1}};

    private final String name;
    private final byte[] r;
    private final byte[] g;
    private final byte[] b;

    private ColorMap(String name, byte[] r, byte[] g, byte[] b) {
        this.name = name;
        this.r = r;
        this.g = g;
        this.b = b;
    }

    /** The colour map of that name ("gray"/"grey"/"greys" are accepted for grays), case-insensitive. */
    public static ColorMap of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "jet":
                return segmented("jet", JET_R, JET_G, JET_B);
            case "hot":
                return segmented("hot", HOT_R, HOT_G, HOT_B);
            case "viridis":
            case "inferno":
                return listed(n);
            case "grays":
            case "gray":
            case "grey":
            case "greys":
                byte[] ramp = new byte[256];
                for (int i = 0; i < 256; i++) {
                    ramp[i] = (byte) i;
                }
                return new ColorMap("grays", ramp, ramp.clone(), ramp.clone());
            default:
                throw new DopajException("unknown colour map '" + name + "': use one of " + String.join(", ", NAMES));
        }
    }

    public String name() {
        return name;
    }

    /** Entry i (0…255) as 0xRRGGBB. */
    public int rgb(int i) {
        return (r[i] & 0xff) << 16 | (g[i] & 0xff) << 8 | (b[i] & 0xff);
    }

    /** The LUT index of a value in [0,1] (clamped; NaN → 0): round(255·v). */
    public static int index(double v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : (int) Math.round(v * 255);
    }

    /** The colour of a value in [0,1] (clamped) as 0xRRGGBB. */
    public int rgbOf(double v) {
        return rgb(index(v));
    }

    public byte[] reds() {
        return r.clone();
    }

    public byte[] greens() {
        return g.clone();
    }

    public byte[] blues() {
        return b.clone();
    }

    /** An ImageJ 1 LUT with these 256 colours. */
    public LUT toLut() {
        return new LUT(r.clone(), g.clone(), b.clone());
    }

    private static ColorMap segmented(String name, double[][] rs, double[][] gs, double[][] bs) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        for (int i = 0; i < 256; i++) {
            double x = i / 255.0;
            r[i] = toByte(piecewise(rs, x));
            g[i] = toByte(piecewise(gs, x));
            b[i] = toByte(piecewise(bs, x));
        }
        return new ColorMap(name, r, g, b);
    }

    /** Linear interpolation between anchor points (x ascending, covering 0…1). */
    static double piecewise(double[][] anchors, double x) {
        for (int k = 1; k < anchors.length; k++) {
            if (x <= anchors[k][0]) {
                double x0 = anchors[k - 1][0];
                double x1 = anchors[k][0];
                double t = x1 > x0 ? (x - x0) / (x1 - x0) : 1;
                return anchors[k - 1][1] + t * (anchors[k][1] - anchors[k - 1][1]);
            }
        }
        return anchors[anchors.length - 1][1];
    }

    private static byte toByte(double v) {
        return (byte) (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
    }

    private static ColorMap listed(String name) {
        byte[] r = new byte[256];
        byte[] g = new byte[256];
        byte[] b = new byte[256];
        int i = 0;
        try (InputStream in = ColorMap.class.getResourceAsStream(name + ".txt")) {
            if (in == null) {
                throw new IllegalStateException("colour table resource " + name + ".txt missing from the jar");
            }
            BufferedReader rd = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = rd.readLine()) != null) {
                line = line.trim();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\s+");
                if (i >= 256 || f.length != 3) {
                    throw new IllegalStateException("colour table " + name + ".txt is malformed at entry " + i);
                }
                r[i] = toByte(Double.parseDouble(f[0]));
                g[i] = toByte(Double.parseDouble(f[1]));
                b[i] = toByte(Double.parseDouble(f[2]));
                i++;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read colour table " + name + ".txt", e);
        }
        if (i != 256) {
            throw new IllegalStateException("colour table " + name + ".txt has " + i + " entries, expected 256");
        }
        return new ColorMap(name, r, g, b);
    }

    @Override
    public String toString() {
        return name;
    }
}
