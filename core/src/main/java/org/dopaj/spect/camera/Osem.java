package org.dopaj.spect.camera;

import java.util.Arrays;

/**
 * OSEM (Hudson &amp; Larkin 1994) on the crop of a {@link ScannerGeometry}: subsets of interleaved angles (subset b holds
 * angles b, b + S, b + 2S, …), visited in an order that keeps consecutive subsets far apart in angle, each sub-iteration
 * f ← f · A_bᵀ(y / A_b f) / A_bᵀ1 with the given projector (whose attenuation and blur model is what the
 * reconstruction corrects for). Scatter is neither modelled nor subtracted, as in a reconstruction without scatter
 * correction. Starts from a uniform image whose projections hold as many counts as the data.
 */
final class Osem {
    private Osem() {
    }

    /** Order in which subsets are visited: each next subset is the unused one farthest (circularly) from the last. */
    static int[] subsetOrder(int s) {
        int[] order = new int[s];
        boolean[] used = new boolean[s];
        int last = 0;
        used[0] = true;
        for (int k = 1; k < s; k++) {
            int best = -1;
            int bestD = -1;
            for (int b = 0; b < s; b++) {
                if (used[b]) {
                    continue;
                }
                int d = Math.abs(b - last);
                d = Math.min(d, s - d);
                if (d > bestD) {
                    bestD = d;
                    best = b;
                }
            }
            order[k] = best;
            used[best] = true;
            last = best;
        }
        return order;
    }

    /**
     * @param y  measured projections per angle, full matrix width ([bin][row]); the projector's bins are used
     * @param mu μ map (crop image) when the projector models attenuation, else null
     */
    static float[][] reconstruct(float[][][] y, ScannerGeometry geo, Projector proj, float[][] mu, int iterations,
                                 int subsets) {
        int nAngles = y.length;
        int m = geo.m;
        int nz = geo.nz;
        int nRuns = m * m;
        int b0 = proj.firstBin();
        int nb = proj.binCount();
        float[][] ones = new float[geo.matrix][nz];
        for (float[] o : ones) {
            Arrays.fill(o, 1f);
        }
        float[][][] sens = new float[subsets][][];
        for (int b = 0; b < subsets; b++) {
            sens[b] = geo.newImage();
        }
        float[][] att = mu == null ? null : proj.newImage();
        double counts = 0;
        for (int a = 0; a < nAngles; a++) {
            if (att != null) {
                proj.attenuation(mu, a, att);
            }
            proj.back(ones, att, a, sens[a % subsets]);
            for (int i = b0; i < b0 + nb; i++) {
                for (float v : y[a][i]) {
                    counts += v;
                }
            }
        }
        double sensTotal = 0;
        for (float[][] s : sens) {
            for (float[] r : s) {
                for (float v : r) {
                    sensTotal += v;
                }
            }
        }
        float init = (float) (counts / Math.max(sensTotal, 1e-30));
        // voxels within a voxel of the projector's circle are seen by too few rotated samples: kept at 0
        float[][] img = geo.newImage();
        double r2 = (geo.radiusVox - 1) * (geo.radiusVox - 1);
        for (int k = 0; k < nRuns; k++) {
            double dx = k % m - geo.c;
            double dy = k / m - geo.c;
            if (dx * dx + dy * dy > r2) {
                continue;
            }
            for (int z = 0; z < nz; z++) {
                float s = 0;
                for (int b = 0; b < subsets; b++) {
                    s += sens[b][k][z];
                }
                img[k][z] = s > 0 ? init : 0;
            }
        }
        int[] order = subsetOrder(subsets);
        float[][] fp = new float[geo.matrix][nz];
        float[][] bp = geo.newImage();
        for (int it = 0; it < iterations; it++) {
            for (int b : order) {
                for (float[] r : bp) {
                    Arrays.fill(r, 0f);
                }
                for (int a = b; a < nAngles; a += subsets) {
                    if (att != null) {
                        proj.attenuation(mu, a, att);
                    }
                    proj.forward(img, att, a, fp);
                    for (int i = b0; i < b0 + nb; i++) {
                        float[] f = fp[i];
                        float[] ya = y[a][i];
                        for (int z = 0; z < nz; z++) {
                            f[z] = f[z] > 1e-20f ? ya[z] / f[z] : 0f;
                        }
                    }
                    proj.back(fp, att, a, bp);
                }
                float[][] sb = sens[b];
                for (int k = 0; k < nRuns; k++) {
                    float[] im = img[k];
                    float[] s = sb[k];
                    float[] p = bp[k];
                    for (int z = 0; z < nz; z++) {
                        im[z] = s[z] > 1e-20f ? im[z] * p[z] / s[z] : 0f;
                    }
                }
            }
        }
        return img;
    }
}
