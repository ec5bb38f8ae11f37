package org.dopaj.spect.camera;

import java.util.Arrays;

/**
 * Wide convolutions on projections ({@code p[bin][row]}): an approximately Gaussian kernel made of three running box
 * sums (Wells 1986; box widths after Kovesi 2010, so the variance is right to within a fraction of a bin²), in O(1)
 * per sample whatever the width — the scatter and penetration kernels span tens of bins. Lines are padded, so what
 * spreads beyond the detector is lost rather than folded back.
 */
final class DetectorFilters {
    private DetectorFilters() {
    }

    /** Box widths (odd) of {@code n} passes whose variances add up to about sigma² (in samples). */
    static int[] boxWidths(double sigma, int n) {
        double wIdeal = Math.sqrt(12 * sigma * sigma / n + 1);
        int wl = (int) Math.floor(wIdeal);
        if (wl % 2 == 0) {
            wl--;
        }
        wl = Math.max(1, wl);
        int wu = wl + 2;
        double mIdeal = (12 * sigma * sigma - n * wl * wl - 4.0 * n * wl - 3.0 * n) / (-4.0 * wl - 4);
        int mm = (int) Math.round(mIdeal);
        mm = Math.max(0, Math.min(n, mm));
        int[] w = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = i < mm ? wl : wu;
        }
        return w;
    }

    /** Reusable line buffers for {@link #addSmoothed}. */
    static final class Work {
        final float[][] tmp;
        final double[] line;
        final double[] out;

        Work(int nb, int nz, double maxSigma) {
            tmp = new float[nb][nz];
            int pad = 3 * (int) Math.ceil(Math.sqrt(12 * maxSigma * maxSigma / 3 + 1)) + 3;
            line = new double[Math.max(nb, nz) + 2 * pad];
            out = new double[line.length];
        }
    }

    /**
     * {@code dst[b][z] += weight · (G_sigma * src)[b][z]} for one projection, with the same Gaussian width
     * {@code sigma} (in bins = rows) along both axes.
     */
    static void addSmoothed(float[][] src, float[][] dst, double sigma, double weight, Work work) {
        int nb = src.length;
        int nz = src[0].length;
        int[] w = boxWidths(sigma, 3);
        int pad = 0;
        for (int wi : w) {
            pad += wi / 2;
        }
        float[][] tmp = work.tmp;
        double[] line = work.line;
        double[] out = work.out;
        // along rows, into tmp
        for (int b = 0; b < nb; b++) {
            Arrays.fill(line, 0, nz + 2 * pad, 0);
            float[] s = src[b];
            for (int z = 0; z < nz; z++) {
                line[pad + z] = s[z];
            }
            boxes(line, out, nz + 2 * pad, w);
            float[] t = tmp[b];
            for (int z = 0; z < nz; z++) {
                t[z] = (float) line[pad + z];
            }
        }
        // along bins
        for (int z = 0; z < nz; z++) {
            Arrays.fill(line, 0, nb + 2 * pad, 0);
            for (int b = 0; b < nb; b++) {
                line[pad + b] = tmp[b][z];
            }
            boxes(line, out, nb + 2 * pad, w);
            for (int b = 0; b < nb; b++) {
                dst[b][z] += (float) (weight * line[pad + b]);
            }
        }
    }

    /** Successive centred box means of the given odd widths over line[0, len), zero outside; result in line. */
    private static void boxes(double[] line, double[] out, int len, int[] widths) {
        for (int w : widths) {
            if (w <= 1) {
                continue;
            }
            int r = w / 2;
            double inv = 1.0 / w;
            double s = 0;
            for (int k = 0; k < Math.min(r, len); k++) {
                s += line[k];
            }
            for (int i = 0; i < len; i++) {
                int add = i + r;
                if (add < len) {
                    s += line[add];
                }
                out[i] = s * inv;
                int rem = i - r;
                if (rem >= 0) {
                    s -= line[rem];
                }
            }
            System.arraycopy(out, 0, line, 0, len);
        }
    }
}
