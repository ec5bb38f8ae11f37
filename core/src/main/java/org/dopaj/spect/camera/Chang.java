package org.dopaj.spect.camera;

import java.util.Arrays;

/**
 * Chang's first-order attenuation correction (Chang 1978): inside the outline each voxel is multiplied by
 * 1 / ((1/N) Σ_θ exp(−μ·L_θ)), L_θ the path from the voxel to the outline's edge toward the detector at angle θ; voxels
 * outside the outline are left as they are. The mean attenuation factor is computed with the camera's own
 * (unblurred) backprojector: backprojecting ones through a uniform-μ outline, divided by backprojecting ones without
 * attenuation, over every k-th acquisition angle (at least 32 angles; Chang's map is smooth).
 */
final class Chang {
    /** μ (1/cm) above which a μ-map voxel belongs to the body outline. */
    static final float MU_OUTLINE = 0.01f;

    private Chang() {
    }

    /** Multiplies {@code img} (crop image) by Chang's factors for the given outline (1 inside, 0 outside). */
    static void correct(float[][] img, float[][] outline, ScannerGeometry geo, double muPerCm, double[] anglesRad) {
        int stride = Math.max(1, anglesRad.length / 32);
        int n = (anglesRad.length + stride - 1) / stride;
        double[] sub = new double[n];
        for (int k = 0; k < n; k++) {
            sub[k] = anglesRad[k * stride];
        }
        Projector p = new Projector(geo, sub, null, 0);
        int nz = geo.nz;
        float[][] mu = geo.newImage();
        for (int k = 0; k < mu.length; k++) {
            for (int z = 0; z < nz; z++) {
                mu[k][z] = (float) (outline[k][z] * muPerCm);
            }
        }
        float[][] ones = new float[geo.matrix][nz];
        for (float[] o : ones) {
            Arrays.fill(o, 1f);
        }
        float[][] num = geo.newImage();
        float[][] den = geo.newImage();
        float[][] att = p.newImage();
        for (int a = 0; a < n; a++) {
            p.attenuation(mu, a, att);
            p.back(ones, att, a, num);
            p.back(ones, null, a, den);
        }
        for (int k = 0; k < img.length; k++) {
            for (int z = 0; z < nz; z++) {
                if (outline[k][z] > 0.5f && num[k][z] > 0) {
                    img[k][z] *= den[k][z] / num[k][z];
                }
            }
        }
    }

    /** The body outline of a μ map: 1 where μ exceeds {@link #MU_OUTLINE} /cm. */
    static float[][] muOutline(float[][] mu) {
        float[][] o = new float[mu.length][];
        for (int k = 0; k < mu.length; k++) {
            o[k] = new float[mu[k].length];
            for (int z = 0; z < o[k].length; z++) {
                o[k][z] = mu[k][z] > MU_OUTLINE ? 1f : 0f;
            }
        }
        return o;
    }

    /**
     * The outline a workstation finds in the uncorrected image: the image lightly smoothed ([1 2 1]/4 along each axis),
     * thresholded at {@code fraction} of its maximum, and in each slice every row and column filled between its first
     * and last voxel above the threshold (a voxel is inside when both its row and its column say so).
     */
    static float[][] emissionOutline(float[][] img, ScannerGeometry geo, double fraction) {
        int m = geo.m;
        int nz = geo.nz;
        float[][] s = new float[img.length][];
        for (int k = 0; k < img.length; k++) {
            s[k] = img[k].clone();
        }
        float[][] t = geo.newImage();
        // [1 2 1]/4 along z, x, y (edges: a missing neighbour counts as the voxel itself)
        for (int axis = 0; axis < 3; axis++) {
            for (int y = 0; y < m; y++) {
                for (int x = 0; x < m; x++) {
                    int k = y * m + x;
                    for (int z = 0; z < nz; z++) {
                        float lo;
                        float hi;
                        if (axis == 0) {
                            lo = z > 0 ? s[k][z - 1] : s[k][z];
                            hi = z < nz - 1 ? s[k][z + 1] : s[k][z];
                        } else if (axis == 1) {
                            lo = x > 0 ? s[k - 1][z] : s[k][z];
                            hi = x < m - 1 ? s[k + 1][z] : s[k][z];
                        } else {
                            lo = y > 0 ? s[k - m][z] : s[k][z];
                            hi = y < m - 1 ? s[k + m][z] : s[k][z];
                        }
                        t[k][z] = 0.25f * (lo + hi) + 0.5f * s[k][z];
                    }
                }
            }
            float[][] sw = s;
            s = t;
            t = sw;
        }
        float max = 0;
        for (float[] r : s) {
            for (float v : r) {
                max = Math.max(max, v);
            }
        }
        float th = (float) (fraction * max);
        float[][] out = geo.newImage();
        int[] rowLo = new int[m];
        int[] rowHi = new int[m];
        int[] colLo = new int[m];
        int[] colHi = new int[m];
        for (int z = 0; z < nz; z++) {
            Arrays.fill(rowLo, Integer.MAX_VALUE);
            Arrays.fill(rowHi, -1);
            Arrays.fill(colLo, Integer.MAX_VALUE);
            Arrays.fill(colHi, -1);
            for (int y = 0; y < m; y++) {
                for (int x = 0; x < m; x++) {
                    if (s[y * m + x][z] > th) {
                        rowLo[y] = Math.min(rowLo[y], x);
                        rowHi[y] = Math.max(rowHi[y], x);
                        colLo[x] = Math.min(colLo[x], y);
                        colHi[x] = Math.max(colHi[x], y);
                    }
                }
            }
            for (int y = 0; y < m; y++) {
                for (int x = 0; x < m; x++) {
                    if (x >= rowLo[y] && x <= rowHi[y] && y >= colLo[x] && y <= colHi[x]) {
                        out[y * m + x][z] = 1f;
                    }
                }
            }
        }
        return out;
    }
}
