package org.dopaj.cam;

import java.util.Arrays;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Turning a raw class-activation map into something to look at, without ImageJ: min–max normalisation to
 * [0,1], trilinear (bilinear for 2D) upsampling of a coarse CAM to the input image's size, thresholding and
 * percentile clipping. Inputs are never modified; every method returns new arrays.
 *
 * <p>Upsampling convention: voxel centres are aligned as in TensorFlow 2's {@code tf.image.resize}
 * (half-pixel centres, "align_corners = false"): output index o samples source coordinate
 * (o + 0.5)·(in/out) − 0.5, clamped to the first/last source voxel at the borders. So a CAM from any
 * network whose last feature map covers the whole input lands on the input grid.
 */
public final class CamMaps {
    private CamMaps() {
    }

    /**
     * Min–max normalisation to [0,1]. A constant map (max = min, e.g. a CAM that ReLU zeroed everywhere)
     * carries no localisation and becomes all zeros rather than a division by zero.
     */
    public static float[] normalise(float[] cam) {
        requireFinite(cam, "CAM");
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (float v : cam) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        float[] out = new float[cam.length];
        if (!(max > min)) {
            return out;
        }
        double span = (double) max - min;
        for (int i = 0; i < cam.length; i++) {
            out[i] = (float) ((cam[i] - min) / span);
        }
        return out;
    }

    /** {@link #normalise(float[])} over all voxels of frame 0 of a volume (same grid, new arrays). */
    public static Volume normalise(Volume cam) {
        return Volume.of(cam.grid(), normalise(cam.toArray()));
    }

    /**
     * Trilinear resize of an x-fastest {@code cx×cy×cz} map to {@code ox×oy×oz}; an axis of length 1 stays
     * constant along the output axis (so 2D maps are resized bilinearly).
     */
    public static float[] upsample(float[] cam, int cx, int cy, int cz, int ox, int oy, int oz) {
        if (cx <= 0 || cy <= 0 || cz <= 0 || ox <= 0 || oy <= 0 || oz <= 0) {
            throw new DopajException("CAM resize needs positive sizes, got " + cx + "×" + cy + "×" + cz + " → " + ox
                    + "×" + oy + "×" + oz);
        }
        if ((long) cx * cy * cz != cam.length) {
            throw new DopajException("CAM has " + cam.length + " values but its size is given as " + cx + "×" + cy + "×" + cz);
        }
        requireFinite(cam, "CAM");
        int[] x0 = new int[ox];
        int[] x1 = new int[ox];
        float[] wx = new float[ox];
        weights(cx, ox, x0, x1, wx);
        int[] y0 = new int[oy];
        int[] y1 = new int[oy];
        float[] wy = new float[oy];
        weights(cy, oy, y0, y1, wy);
        int[] z0 = new int[oz];
        int[] z1 = new int[oz];
        float[] wz = new float[oz];
        weights(cz, oz, z0, z1, wz);
        long n = (long) ox * oy * oz;
        if (n > Integer.MAX_VALUE - 8) {
            throw new DopajException("upsampled CAM of " + ox + "×" + oy + "×" + oz + " is too large for one array");
        }
        float[] out = new float[(int) n];
        int cplane = cx * cy;
        int i = 0;
        for (int z = 0; z < oz; z++) {
            for (int y = 0; y < oy; y++) {
                for (int x = 0; x < ox; x++) {
                    int a0 = z0[z] * cplane;
                    int a1 = z1[z] * cplane;
                    int b0 = y0[y] * cx;
                    int b1 = y1[y] * cx;
                    double c00 = lerp(cam[a0 + b0 + x0[x]], cam[a0 + b0 + x1[x]], wx[x]);
                    double c10 = lerp(cam[a0 + b1 + x0[x]], cam[a0 + b1 + x1[x]], wx[x]);
                    double c01 = lerp(cam[a1 + b0 + x0[x]], cam[a1 + b0 + x1[x]], wx[x]);
                    double c11 = lerp(cam[a1 + b1 + x0[x]], cam[a1 + b1 + x1[x]], wx[x]);
                    out[i++] = (float) lerp(lerp(c00, c10, wy[y]), lerp(c01, c11, wy[y]), wz[z]);
                }
            }
        }
        return out;
    }

    /** A coarse CAM volume resized onto {@code target} (its dimensions and affine). */
    public static Volume upsample(Volume cam, Grid target) {
        float[] up = upsample(cam.toArray(), cam.nx(), cam.ny(), cam.nz(), target.nx(), target.ny(), target.nz());
        return Volume.of(target, up);
    }

    private static void weights(int in, int out, int[] i0, int[] i1, float[] w) {
        double scale = (double) in / out;
        for (int o = 0; o < out; o++) {
            double s = (o + 0.5) * scale - 0.5;
            if (s <= 0) {
                i0[o] = 0;
                i1[o] = 0;
                w[o] = 0;
            } else if (s >= in - 1) {
                i0[o] = in - 1;
                i1[o] = in - 1;
                w[o] = 0;
            } else {
                int f = (int) Math.floor(s);
                i0[o] = f;
                i1[o] = f + 1;
                w[o] = (float) (s - f);
            }
        }
    }

    private static double lerp(double a, double b, double t) {
        return a + (b - a) * t;
    }

    /** Values below {@code threshold} set to 0, the rest kept (to show only the strongest evidence). */
    public static float[] threshold(float[] cam, double threshold) {
        float[] out = cam.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] < threshold) {
                out[i] = 0;
            }
        }
        return out;
    }

    /** The p-th percentile (0…100) with linear interpolation between closest ranks (numpy's default). */
    public static double percentile(float[] cam, double p) {
        if (!(p >= 0 && p <= 100)) {
            throw new DopajException("percentile must be between 0 and 100, got " + p);
        }
        if (cam.length == 0) {
            throw new DopajException("cannot take a percentile of an empty CAM");
        }
        requireFinite(cam, "CAM");
        float[] s = cam.clone();
        Arrays.sort(s);
        double h = p / 100 * (s.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (h - lo) * (s[hi] - s[lo]);
    }

    /**
     * Clamps to the [low, high] percentiles and rescales that range to [0,1], so a few extreme voxels do not
     * wash out the rest of the map (e.g. low = 1, high = 99).
     */
    public static float[] clipPercentiles(float[] cam, double low, double high) {
        if (!(low < high)) {
            throw new DopajException("lower percentile (" + low + ") must be below the upper one (" + high + ")");
        }
        double lo = percentile(cam, low);
        double hi = percentile(cam, high);
        float[] out = new float[cam.length];
        if (!(hi > lo)) {
            return out;
        }
        for (int i = 0; i < cam.length; i++) {
            double v = Math.max(lo, Math.min(hi, cam[i]));
            out[i] = (float) ((v - lo) / (hi - lo));
        }
        return out;
    }

    static void requireFinite(float[] cam, String what) {
        for (int i = 0; i < cam.length; i++) {
            if (!Float.isFinite(cam[i])) {
                throw new DopajException(what + " value " + i + " is " + cam[i] + ": a CAM must be finite");
            }
        }
    }
}
