package org.dopaj.image;

import org.dopaj.DopajException;

/**
 * Intensity normalisations used before a network or a comparison across scans: percentile scaling to
 * [0,1], z-score, division by the mean. The statistics are taken within an optional mask (rule in
 * {@link Stats}), over all frames, leaving NaN/infinite voxels out; the mapping is then applied to every
 * voxel (inside and outside the mask). NaN voxels stay NaN. The input is never modified.
 */
public final class Normalize {
    private Normalize() {
    }

    /**
     * Maps percentile {@code lowPct} to 0 and {@code highPct} to 1 (e.g. 0.5 and 99.5), clipping below and
     * above; percentiles as {@link Stats#percentiles} (numpy "linear" definition, exact by selection).
     * Refuses when the two percentiles are equal (a flat image).
     */
    public static Volume percentile(Volume v, Volume mask, double lowPct, double highPct) {
        if (!(lowPct < highPct)) {
            throw new DopajException("percentile range must have low < high, got " + lowPct + " and " + highPct);
        }
        double[] p = Stats.percentiles(v, mask, lowPct, highPct);
        if (!(p[1] > p[0])) {
            throw new DopajException("percentiles " + lowPct + " and " + highPct + " are both " + p[0]
                    + ": the image is flat there and cannot be scaled to [0,1]");
        }
        return clippedLinear(v, p[0], p[1]);
    }

    /** (x − lo)/(hi − lo) clipped to [0,1], for lo < hi. */
    public static Volume clippedLinear(Volume v, double lo, double hi) {
        if (!(hi > lo)) {
            throw new DopajException("intensity window needs low < high, got " + lo + " and " + hi);
        }
        double scale = 1 / (hi - lo);
        return map(v, x -> {
            double y = (x - lo) * scale;
            return (float) (y < 0 ? 0 : y > 1 ? 1 : y);
        });
    }

    /** (x − mean)/sd with mean and population sd within the mask; refuses a zero sd. */
    public static Volume zScore(Volume v, Volume mask) {
        Stats s = Stats.of(v, mask);
        if (s.count() == 0) {
            throw new DopajException("no finite voxel inside the mask: cannot compute a z-score");
        }
        if (!(s.sd() > 0)) {
            throw new DopajException("standard deviation is 0 inside the mask: cannot compute a z-score");
        }
        double m = s.mean();
        double inv = 1 / s.sd();
        return map(v, x -> (float) ((x - m) * inv));
    }

    /** x / mean within the mask (as the nigrosome regressor's authors scale each patch); refuses a zero mean. */
    public static Volume divideByMean(Volume v, Volume mask) {
        Stats s = Stats.of(v, mask);
        if (s.count() == 0 || s.mean() == 0) {
            throw new DopajException("mean intensity inside the mask is " + (s.count() == 0 ? "undefined" : "0")
                    + ": cannot divide by it");
        }
        double inv = 1 / s.mean();
        return map(v, x -> (float) (x * inv));
    }

    interface FloatOp {
        float apply(float x);
    }

    private static Volume map(Volume v, FloatOp f) {
        Volume out = Volume.allocate(v.grid(), v.nt());
        Parallel.chunks(v.planes().length, (from, to) -> {
            for (int p = from; p < to; p++) {
                float[] a = v.planes()[p];
                float[] b = out.planes()[p];
                for (int i = 0; i < a.length; i++) {
                    float x = a[i];
                    b[i] = Float.isNaN(x) ? Float.NaN : f.apply(x);
                }
            }
        });
        return out;
    }
}
