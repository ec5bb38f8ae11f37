package org.dopaj.spect.camera;

/** In-place iterative radix-2 complex FFT of one power-of-two length, with its tables precomputed. */
final class Fft {
    final int n;
    private final int[] rev;
    private final double[] cosT;
    private final double[] sinT;

    Fft(int n) {
        if (n < 2 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT length must be a power of two, got " + n);
        }
        this.n = n;
        int bits = Integer.numberOfTrailingZeros(n);
        rev = new int[n];
        for (int i = 0; i < n; i++) {
            rev[i] = Integer.reverse(i) >>> (32 - bits);
        }
        cosT = new double[n / 2];
        sinT = new double[n / 2];
        for (int i = 0; i < n / 2; i++) {
            cosT[i] = Math.cos(2 * Math.PI * i / n);
            sinT[i] = Math.sin(2 * Math.PI * i / n);
        }
    }

    /** Smallest power of two ≥ k. */
    static int size(int k) {
        int p = 2;
        while (p < k) {
            p <<= 1;
        }
        return p;
    }

    /** Forward (e^−i…) or inverse (e^+i…, divided by n) transform of re + i·im, in place. */
    void transform(double[] re, double[] im, boolean inverse) {
        for (int i = 0; i < n; i++) {
            int j = rev[i];
            if (j > i) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        double sign = inverse ? 1 : -1;
        for (int size = 2; size <= n; size <<= 1) {
            int half = size >> 1;
            int step = n / size;
            for (int start = 0; start < n; start += size) {
                for (int k = 0; k < half; k++) {
                    double wr = cosT[k * step];
                    double wi = sign * sinT[k * step];
                    int a = start + k;
                    int b = a + half;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
        if (inverse) {
            double s = 1.0 / n;
            for (int i = 0; i < n; i++) {
                re[i] *= s;
                im[i] *= s;
            }
        }
    }

    /**
     * Filters lines with a real, even frequency response {@code h} (length n, DFT order): two real lines at a time as the
     * real and imaginary parts of one complex transform. {@code get(k)} / {@code put(k)} copy line k in and out.
     */
    interface Lines {
        int count();

        /** Copies line k into {@code dst[0 … len)} (the rest is zero padding). */
        void get(int k, double[] dst);

        void put(int k, double[] src);
    }

    void filter(Lines lines, double[] h) {
        double[] re = new double[n];
        double[] im = new double[n];
        int count = lines.count();
        for (int k = 0; k < count; k += 2) {
            java.util.Arrays.fill(re, 0);
            java.util.Arrays.fill(im, 0);
            lines.get(k, re);
            if (k + 1 < count) {
                lines.get(k + 1, im);
            }
            transform(re, im, false);
            for (int f = 0; f < n; f++) {
                re[f] *= h[f];
                im[f] *= h[f];
            }
            transform(re, im, true);
            lines.put(k, re);
            if (k + 1 < count) {
                lines.put(k + 1, im);
            }
        }
    }
}
