package org.dopaj.spect.camera;

import java.util.Arrays;

/**
 * Rotation-based SPECT projector and its exact adjoint on the crop of a {@link ScannerGeometry}.
 *
 * <p>For each angle the crop is resampled (bilinear, transaxially) into a frame whose rows j run along the
 * detector's normal, from the far side (j = 0) to the detector (j = m − 1), and whose columns i are the detector bins.
 * Attenuation is applied along the rows toward the detector (the central-ray approximation), each voxel also
 * attenuated by half its own thickness. The collimator's depth-dependent blur is applied by incremental blurring
 * (McCarthy &amp; Miller 1991): the rows are summed from far to near into a running plane that is convolved, before
 * each row is added, with a small kernel whose variance is the difference of the system variances σ²(d) at the two
 * depths, and finally with σ² at the nearest row; every row thus ends up blurred by exactly σ²(d) of its own depth.
 * The small kernels are 3-tap [w, 1 − 2w, w] (variance 2w, exact for any small variance where a sampled Gaussian
 * would not be) or two of them fused into a 5-tap kernel for larger steps (repeated for the largest), separable along
 * bins and rows; their succession approaches the Gaussian by the central limit. Successive rows whose variances
 * differ by less than {@link #GROUP_VARIANCE} voxel² share one blur step (each blurred as the group's middle), which
 * keeps the per-row error within ±{@value #GROUP_VARIANCE}/2 voxel².
 *
 * <p>The running plane is wider than the crop by three standard deviations of the widest blur on each side (within
 * the camera's matrix), so that what the collimator spreads beyond the object's crop still reaches the detector.
 *
 * <p>Data layout: a crop image is an array of z-runs, {@code img[y·m + x][z]}; a projection is {@code p[bin][row]}
 * over the full matrix width, of which the projector writes and reads bins {@link #firstBin()} … + {@link #binCount()}.
 * Every inner loop runs over z on distinct arrays with the same index, the only form the JIT vectorises reliably, so
 * each transaxial position moves a whole run of rows at SIMD speed. A projector keeps scratch buffers: one per thread.
 */
final class Projector {
    /** Rows whose variances differ by less than this (voxel²) share one blur step. */
    static final double GROUP_VARIANCE = 0.08;

    private final ScannerGeometry geo;
    private final int m;
    private final int nz;
    private final float c;
    private final float[] cos;
    private final float[] sin;
    /** Bins inside the working circle for each row j (inclusive). */
    private final int[] iLo;
    private final int[] iHi;
    private final int jLo;
    private final int jHi;
    /** Half a voxel in cm: μ (1/cm) × this = optical depth of half a voxel. */
    private final float halfStepCm;
    /** Variance (voxel²) applied to the running plane before adding row j; 0 = none. */
    private final double[] blurBefore;
    private final double finalVariance;
    /** Plane bins beyond the crop on each side, and the plane's width. */
    private final int pad;
    private final int width;

    /** Whether the collimator blur is modelled. */
    private final boolean blurs;

    // scratch
    private final float[][] plane;
    private final float[][] trans;
    private final float[] g;
    private final float[] left;
    private final float[] right;
    private final float[] prev;
    private final float[] cur;
    private final float[] prev2;
    private final float[] left2;
    private final float[] right2;
    private final float[] zeros;

    /**
     * @param anglesRad  detector angles: the detector of angle θ lies in direction (cos θ, sin θ) from the axis and
     *                   its bins run along (−sin θ, cos θ)
     * @param collimator collimator for the blur, or null for none (a plain line-integral projector)
     */
    Projector(ScannerGeometry geo, double[] anglesRad, Collimator collimator, double radiusMm) {
        this.geo = geo;
        this.m = geo.m;
        this.nz = geo.nz;
        this.c = (float) geo.c;
        cos = new float[anglesRad.length];
        sin = new float[anglesRad.length];
        for (int a = 0; a < anglesRad.length; a++) {
            cos[a] = (float) Math.cos(anglesRad[a]);
            sin[a] = (float) Math.sin(anglesRad[a]);
        }
        iLo = new int[m];
        iHi = new int[m];
        int lo = m;
        int hi = -1;
        double r = geo.radiusVox;
        for (int j = 0; j < m; j++) {
            double t = j - geo.c;
            double h2 = r * r - t * t;
            if (h2 < 0) {
                iLo[j] = 1;
                iHi[j] = 0;
                continue;
            }
            double h = Math.sqrt(h2);
            iLo[j] = (int) Math.ceil(geo.c - h);
            iHi[j] = (int) Math.floor(geo.c + h);
            lo = Math.min(lo, j);
            hi = Math.max(hi, j);
        }
        jLo = lo;
        jHi = hi;
        halfStepCm = (float) (geo.voxelMm / 20);
        blurBefore = new double[m];
        finalVariance = collimator == null ? 0 : schedule(collimator, radiusMm);
        double maxVar = 0;
        if (collimator != null) {
            maxVar = finalVariance;
            for (double b : blurBefore) {
                maxVar += b;
            }
        }
        pad = Math.min(geo.off, (int) Math.ceil(3 * Math.sqrt(maxVar)));
        width = m + 2 * pad;
        blurs = collimator != null;
        plane = new float[width][nz];
        trans = new float[m][nz];
        g = new float[nz];
        left = new float[nz];
        right = new float[nz];
        prev = new float[nz];
        cur = new float[nz];
        prev2 = new float[nz];
        left2 = new float[nz];
        right2 = new float[nz];
        zeros = new float[nz];
    }

    /** True when this projector blurs (models the collimator). */
    boolean blurs() {
        return blurs;
    }

    /** Fills {@link #blurBefore} by grouping rows; returns the variance left for the nearest group. */
    private double schedule(Collimator col, double radiusMm) {
        double v = geo.voxelMm;
        double k = 1 / (8 * Math.log(2) * v * v);
        double[] var = new double[m];
        for (int j = jLo; j <= jHi; j++) {
            double d = radiusMm - (j - geo.c) * v;
            double f = col.fwhmMm(d);
            var[j] = f * f * k;
        }
        double prevRep = -1;
        int j = jLo;
        while (j <= jHi) {
            int end = j;
            while (end + 1 <= jHi && var[j] - var[end + 1] <= GROUP_VARIANCE) {
                end++;
            }
            double rep = 0.5 * (var[j] + var[end]);
            if (prevRep >= 0) {
                blurBefore[j] = prevRep - rep;
            }
            prevRep = rep;
            j = end + 1;
        }
        return prevRep;
    }

    /** First bin of the full matrix that {@link #forward} writes and {@link #back} reads. */
    int firstBin() {
        return geo.off - pad;
    }

    /** Number of bins that {@link #forward} writes and {@link #back} reads. */
    int binCount() {
        return width;
    }

    /** A crop-sized buffer of z-runs (m·m runs), e.g. for {@link #attenuation}. */
    float[][] newImage() {
        return new float[m * m][nz];
    }

    /**
     * Attenuation factors of one angle in the rotated frame (run j·m + i): exp(−∫μ) from each voxel's centre to the
     * detector along its row, for {@link #forward} and {@link #back} of the same angle (computed once, used by both).
     * exp is a 4th-order Taylor polynomial per half voxel (optical depth ≤ 0.1 there, error &lt; 1e−7).
     *
     * @param mu μ image in 1/cm
     */
    void attenuation(float[][] mu, int angle, float[][] att) {
        float cs = cos[angle];
        float sn = sin[angle];
        for (float[] t : trans) {
            Arrays.fill(t, 1f);
        }
        float hs = halfStepCm;
        for (int j = jHi; j >= jLo; j--) {
            float tj = j - c;
            for (int i = iLo[j]; i <= iHi[j]; i++) {
                float si = i - c;
                float x = c - si * sn + tj * cs;
                float y = c + si * cs + tj * sn;
                int x0 = (int) x;
                int y0 = (int) y;
                float fx = x - x0;
                float fy = y - y0;
                float w00 = (1 - fx) * (1 - fy) * hs;
                float w10 = fx * (1 - fy) * hs;
                float w01 = (1 - fx) * fy * hs;
                float w11 = fx * fy * hs;
                int p = y0 * m + x0;
                float[] r00 = mu[p];
                float[] r10 = mu[p + 1];
                float[] r01 = mu[p + m];
                float[] r11 = mu[p + m + 1];
                float[] t = trans[i];
                float[] a = att[j * m + i];
                // two loops: the JIT vectorises each, not their fusion
                for (int z = 0; z < nz; z++) {
                    float mz = w00 * r00[z] + w10 * r10[z] + w01 * r01[z] + w11 * r11[z];
                    a[z] = 1 - mz * (1 - mz * (0.5f - mz * (1f / 6 - mz * (1f / 24))));
                }
                for (int z = 0; z < nz; z++) {
                    float tz = t[z];
                    float h = a[z];
                    a[z] = tz * h;
                    t[z] = tz * h * h;
                }
            }
        }
    }

    /**
     * Forward projection of one angle: writes bins {@link #firstBin()} … of the full-width projection {@code dst}
     * (copies of the runs; other bins are not touched).
     *
     * @param att attenuation factors of this angle from {@link #attenuation}, or null for no attenuation
     */
    void forward(float[][] img, float[][] att, int angle, float[][] dst) {
        boolean blur = blurs;
        float cs = cos[angle];
        float sn = sin[angle];
        for (float[] p : plane) {
            Arrays.fill(p, 0f);
        }
        // far → near: blur the running plane by the variance increment, then add the (attenuated) row
        for (int j = jLo; j <= jHi; j++) {
            if (blur && blurBefore[j] > 0) {
                blur(plane, blurBefore[j]);
            }
            float tj = j - c;
            for (int i = iLo[j]; i <= iHi[j]; i++) {
                float si = i - c;
                float x = c - si * sn + tj * cs;
                float y = c + si * cs + tj * sn;
                int x0 = (int) x;
                int y0 = (int) y;
                float fx = x - x0;
                float fy = y - y0;
                float w00 = (1 - fx) * (1 - fy);
                float w10 = fx * (1 - fy);
                float w01 = (1 - fx) * fy;
                float w11 = fx * fy;
                int p = y0 * m + x0;
                float[] r00 = img[p];
                float[] r10 = img[p + 1];
                float[] r01 = img[p + m];
                float[] r11 = img[p + m + 1];
                float[] out = plane[i + pad];
                if (att != null) {
                    float[] a = att[j * m + i];
                    for (int z = 0; z < nz; z++) {
                        out[z] += (w00 * r00[z] + w10 * r10[z] + w01 * r01[z] + w11 * r11[z]) * a[z];
                    }
                } else {
                    for (int z = 0; z < nz; z++) {
                        out[z] += w00 * r00[z] + w10 * r10[z] + w01 * r01[z] + w11 * r11[z];
                    }
                }
            }
        }
        if (blur) {
            blur(plane, finalVariance);
        }
        int b0 = firstBin();
        for (int b = 0; b < width; b++) {
            System.arraycopy(plane[b], 0, dst[b0 + b], 0, nz);
        }
    }

    /**
     * Backprojection of one angle (the exact adjoint of {@link #forward}): adds the backprojection of bins
     * {@link #firstBin()} … of the full-width projection {@code src} to {@code img}.
     */
    void back(float[][] src, float[][] att, int angle, float[][] img) {
        boolean blur = blurs;
        float cs = cos[angle];
        float sn = sin[angle];
        int b0 = firstBin();
        for (int b = 0; b < width; b++) {
            System.arraycopy(src[b0 + b], 0, plane[b], 0, nz);
        }
        if (blur) {
            blur(plane, finalVariance);
        }
        for (int j = jHi; j >= jLo; j--) {
            float tj = j - c;
            for (int i = iLo[j]; i <= iHi[j]; i++) {
                float si = i - c;
                float x = c - si * sn + tj * cs;
                float y = c + si * cs + tj * sn;
                int x0 = (int) x;
                int y0 = (int) y;
                float fx = x - x0;
                float fy = y - y0;
                float w00 = (1 - fx) * (1 - fy);
                float w10 = fx * (1 - fy);
                float w01 = (1 - fx) * fy;
                float w11 = fx * fy;
                int p = y0 * m + x0;
                float[] r00 = img[p];
                float[] r10 = img[p + 1];
                float[] r01 = img[p + m];
                float[] r11 = img[p + m + 1];
                float[] v = plane[i + pad];
                if (att != null) {
                    float[] a = att[j * m + i];
                    for (int z = 0; z < nz; z++) {
                        g[z] = v[z] * a[z];
                    }
                    v = g;
                }
                for (int z = 0; z < nz; z++) {
                    float q = v[z];
                    r00[z] += w00 * q;
                    r10[z] += w10 * q;
                    r01[z] += w01 * q;
                    r11[z] += w11 * q;
                }
            }
            if (blur && blurBefore[j] > 0) {
                blur(plane, blurBefore[j]);
            }
        }
    }

    /**
     * Blurs the running plane of z-runs in place with a separable kernel of the given variance (voxel²), zero outside
     * (what leaves the plane is lost): ⌈var⌉ passes, each a 3-tap [w, 1 − 2w, w] (pass variance ≤ 0.5) or the 5-tap
     * convolution of two such kernels (pass variance ≤ 1), along rows and bins. Both kernels are non-negative with a
     * non-negative spectrum, and symmetric, so the blur is its own adjoint.
     */
    void blur(float[][] p, double variance) {
        if (variance <= 0) {
            return;
        }
        int passes = (int) Math.ceil(variance);
        double vp = variance / passes;
        float c0;
        float c1;
        float c2;
        if (vp <= 0.5) {
            float w = (float) (vp / 2);
            c0 = 1 - 2 * w;
            c1 = w;
            c2 = 0;
        } else {
            // [w, 1 − 2w, w] twice, w = vp / 4
            double w = vp / 4;
            double w0 = 1 - 2 * w;
            c0 = (float) (w0 * w0 + 2 * w * w);
            c1 = (float) (2 * w * w0);
            c2 = (float) (w * w);
        }
        for (int pass = 0; pass < passes; pass++) {
            if (c2 == 0) {
                blur3(p, c0, c1);
            } else {
                blur5(p, c0, c1, c2);
            }
        }
    }

    private void blur3(float[][] p, float c0, float c1) {
        int nb = p.length;
        // along the rows (z): shifted copies, so the loop reads distinct arrays at one index
        left[0] = 0;
        right[nz - 1] = 0;
        for (int b = 0; b < nb; b++) {
            float[] r = p[b];
            System.arraycopy(r, 0, left, 1, nz - 1);
            System.arraycopy(r, 1, right, 0, nz - 1);
            for (int z = 0; z < nz; z++) {
                r[z] = c0 * r[z] + c1 * (left[z] + right[z]);
            }
        }
        // along the bins, keeping the unblurred previous bin
        float[] pv = prev;
        float[] cu = cur;
        Arrays.fill(pv, 0f);
        for (int b = 0; b < nb; b++) {
            float[] r = p[b];
            System.arraycopy(r, 0, cu, 0, nz);
            if (b + 1 < nb) {
                float[] nx = p[b + 1];
                for (int z = 0; z < nz; z++) {
                    r[z] = c0 * cu[z] + c1 * (pv[z] + nx[z]);
                }
            } else {
                for (int z = 0; z < nz; z++) {
                    r[z] = c0 * cu[z] + c1 * pv[z];
                }
            }
            float[] t = pv;
            pv = cu;
            cu = t;
        }
    }

    private void blur5(float[][] p, float c0, float c1, float c2) {
        int nb = p.length;
        float[] l2 = left2;
        float[] r2 = right2;
        left[0] = 0;
        right[nz - 1] = 0;
        Arrays.fill(l2, 0, Math.min(2, nz), 0f);
        Arrays.fill(r2, Math.max(0, nz - 2), nz, 0f);
        for (int b = 0; b < nb; b++) {
            float[] r = p[b];
            System.arraycopy(r, 0, left, 1, nz - 1);
            System.arraycopy(r, 1, right, 0, nz - 1);
            if (nz > 2) {
                System.arraycopy(r, 0, l2, 2, nz - 2);
                System.arraycopy(r, 2, r2, 0, nz - 2);
            }
            for (int z = 0; z < nz; z++) {
                r[z] = c0 * r[z] + c1 * (left[z] + right[z]) + c2 * (l2[z] + r2[z]);
            }
        }
        // along the bins: the two previous bins unblurred, the next two not yet blurred
        float[] pp = prev2;
        float[] pv = prev;
        float[] cu = cur;
        Arrays.fill(pp, 0f);
        Arrays.fill(pv, 0f);
        for (int b = 0; b < nb; b++) {
            float[] r = p[b];
            System.arraycopy(r, 0, cu, 0, nz);
            float[] n1 = b + 1 < nb ? p[b + 1] : zeros;
            float[] n2 = b + 2 < nb ? p[b + 2] : zeros;
            for (int z = 0; z < nz; z++) {
                r[z] = c0 * cu[z] + c1 * (pv[z] + n1[z]) + c2 * (pp[z] + n2[z]);
            }
            float[] t = pp;
            pp = pv;
            pv = cu;
            cu = t;
        }
    }
}
