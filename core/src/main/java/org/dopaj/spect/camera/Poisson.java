package org.dopaj.spect.camera;

import java.util.SplittableRandom;

/**
 * Exact Poisson draws: inversion by sequential search below a mean of 10, Hörmann's transformed rejection with squeeze
 * (PTRS, Insurance: Mathematics and Economics 1993) above, so even hot projection bins get true Poisson counts.
 */
final class Poisson {
    private static final double[] LOG_FACT = new double[64];

    static {
        for (int k = 1; k < LOG_FACT.length; k++) {
            LOG_FACT[k] = LOG_FACT[k - 1] + Math.log(k);
        }
    }

    private Poisson() {
    }

    static double logFactorial(long k) {
        if (k < LOG_FACT.length) {
            return LOG_FACT[(int) k];
        }
        double x = k + 1.0;
        double ix2 = 1 / (x * x);
        return (x - 0.5) * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI)
                + (1.0 / 12 - ix2 * (1.0 / 360 - ix2 / 1260)) / x;
    }

    static long sample(double lambda, SplittableRandom r) {
        if (!(lambda > 0)) {
            return 0;
        }
        if (lambda < 10) {
            double p = Math.exp(-lambda);
            double f = p;
            double u = r.nextDouble();
            long k = 0;
            while (u > f && k < 1000) {
                k++;
                p *= lambda / k;
                f += p;
            }
            return k;
        }
        double slam = Math.sqrt(lambda);
        double loglam = Math.log(lambda);
        double b = 0.931 + 2.53 * slam;
        double a = -0.059 + 0.02483 * b;
        double invalpha = 1.1239 + 1.1328 / (b - 3.4);
        double vr = 0.9277 - 3.6224 / (b - 2);
        while (true) {
            double u = r.nextDouble() - 0.5;
            double v = r.nextDouble();
            double us = 0.5 - Math.abs(u);
            long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
            if (us >= 0.07 && v <= vr) {
                return k;
            }
            if (k < 0 || (us < 0.013 && v > us)) {
                continue;
            }
            if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b)
                    <= -lambda + k * loglam - logFactorial(k)) {
                return k;
            }
        }
    }
}
