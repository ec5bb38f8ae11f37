package org.dopaj.spect.camera;

/**
 * Filtered backprojection, slice by slice (parallel-beam, 360° data): each projection is filtered axially by the
 * Butterworth window and transaxially by the ramp × Butterworth window (the usual 2D Butterworth pre-filter with the
 * ramp of FBP), then backprojected with linear interpolation between bins. The ramp is the band-limited ramp of
 * Ramachandran &amp; Lakshminarayanan as sampled in space (Kak &amp; Slaney, ch. 3: h(0) = 1/4, h(n odd) = −1/(π²n²)),
 * which avoids the DC offset of a ramp sampled in frequency. Lines are zero-padded to at least twice their length.
 * With projections of line integrals in voxel units, the image is in the same units as the projected object.
 */
final class Fbp {
    private Fbp() {
    }

    /** Butterworth window 1/√(1 + (f/fc)^2n), f and fc in the same units. */
    static double butterworth(double f, double fc, int order) {
        return 1 / Math.sqrt(1 + Math.pow(f / fc, 2.0 * order));
    }

    /** Frequency response of the band-limited ramp (bins) times the Butterworth window, for an FFT of length n. */
    static double[] rampButterworth(int n, double fcPerBin, int order) {
        double[] re = new double[n];
        double[] im = new double[n];
        re[0] = 0.25;
        for (int k = 1; k < n / 2; k++) {
            if (k % 2 == 1) {
                double hk = -1 / (Math.PI * Math.PI * k * k);
                re[k] = hk;
                re[n - k] = hk;
            }
        }
        new Fft(n).transform(re, im, false);
        double[] h = new double[n];
        for (int k = 0; k < n; k++) {
            double f = (double) Math.min(k, n - k) / n;
            h[k] = re[k] * butterworth(f, fcPerBin, order);
        }
        return h;
    }

    /**
     * Reconstructs the crop of {@code geo} from full-width projections {@code proj[angle][bin][row]} (matrix bins); the
     * projections are not changed. Returns the crop image, 0 outside the working circle.
     */
    static float[][] reconstruct(float[][][] proj, ScannerGeometry geo, double[] anglesRad, int order,
                                 double cutoffPerCm) {
        int nb = geo.matrix;
        int nz = geo.nz;
        double fc = cutoffPerCm * geo.voxelMm / 10; // cycles per bin
        Fft fz = new Fft(Fft.size(2 * nz));
        double[] hz = new double[fz.n];
        for (int k = 0; k < fz.n; k++) {
            hz[k] = butterworth((double) Math.min(k, fz.n - k) / fz.n, fc, order);
        }
        Fft fs = new Fft(Fft.size(2 * nb));
        double[] hs = rampButterworth(fs.n, fc, order);
        float[][] q = new float[nb][nz];
        float[][] img = geo.newImage();
        for (int a = 0; a < proj.length; a++) {
            float[][] src = proj[a];
            // axial Butterworth along each bin's run of rows
            if (nz > 1) {
                fz.filter(new Fft.Lines() {
                    public int count() {
                        return nb;
                    }

                    public void get(int k, double[] d) {
                        for (int z = 0; z < nz; z++) {
                            d[z] = src[k][z];
                        }
                    }

                    public void put(int k, double[] s) {
                        for (int z = 0; z < nz; z++) {
                            q[k][z] = (float) s[z];
                        }
                    }
                }, hz);
            } else {
                for (int b = 0; b < nb; b++) {
                    System.arraycopy(src[b], 0, q[b], 0, nz);
                }
            }
            // ramp × Butterworth along the bins of each row
            fs.filter(new Fft.Lines() {
                public int count() {
                    return nz;
                }

                public void get(int z, double[] d) {
                    for (int b = 0; b < nb; b++) {
                        d[b] = q[b][z];
                    }
                }

                public void put(int z, double[] s) {
                    for (int b = 0; b < nb; b++) {
                        q[b][z] = (float) s[b];
                    }
                }
            }, hs);
            backprojectFlat(q, geo, anglesRad[a], img);
        }
        float scale = (float) (Math.PI / proj.length);
        for (float[] r : img) {
            for (int z = 0; z < nz; z++) {
                r[z] *= scale;
            }
        }
        return img;
    }

    /** Adds one filtered projection, smeared along its rays, to the crop image (linear interpolation between bins). */
    static void backprojectFlat(float[][] qa, ScannerGeometry geo, double angle, float[][] img) {
        int m = geo.m;
        int nz = geo.nz;
        double c = geo.c;
        double r2 = geo.radiusVox * geo.radiusVox;
        float cs = (float) Math.cos(angle);
        float sn = (float) Math.sin(angle);
        int off = geo.off;
        for (int y = 0; y < m; y++) {
            double dy = y - c;
            for (int x = 0; x < m; x++) {
                double dx = x - c;
                if (dx * dx + dy * dy > r2) {
                    continue;
                }
                float s = (float) (c - dx * sn + dy * cs);
                int i0 = (int) s;
                float f = s - i0;
                float f0 = 1 - f;
                float[] q0 = qa[off + i0];
                float[] q1 = qa[off + i0 + 1];
                float[] o = img[y * m + x];
                for (int z = 0; z < nz; z++) {
                    o[z] += f0 * q0[z] + f * q1[z];
                }
            }
        }
    }
}
