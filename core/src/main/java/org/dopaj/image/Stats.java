package org.dopaj.image;

import org.dopaj.DopajException;

/**
 * Summary statistics of the voxel values of a volume (all frames), optionally within a mask. NaN and
 * infinite voxels are left out of every statistic and counted in {@link #nonFinite()}.
 *
 * <p>Mask rule (used by {@link Normalize} too): a 3D volume with the same nx×ny×nz as the image; a voxel is
 * inside when its mask value is non-zero and not NaN. The mask applies to every frame.
 *
 * @param count     finite voxels counted
 * @param nonFinite NaN or infinite voxels inside the mask (left out of the statistics)
 * @param min       smallest finite value (NaN when count is 0)
 * @param max       largest finite value (NaN when count is 0)
 * @param mean      mean of the finite values (NaN when count is 0)
 * @param sd        population standard deviation (divides by count, like numpy's default; NaN when count is 0)
 */
public record Stats(long count, long nonFinite, double min, double max, double mean, double sd) {

    /** Statistics over all voxels. */
    public static Stats of(Volume v) {
        return of(v, null);
    }

    /** Statistics over the voxels inside {@code mask} (null: all voxels). */
    public static Stats of(Volume v, Volume mask) {
        checkMask(v, mask);
        int nz = v.nz();
        int np = nz * v.nt();
        long[] cnt = new long[np];
        long[] bad = new long[np];
        double[] sum = new double[np];
        double[] mn = new double[np];
        double[] mx = new double[np];
        Parallel.chunks(np, (from, to) -> {
            for (int p = from; p < to; p++) {
                float[] a = v.planes()[p];
                float[] m = mask == null ? null : mask.plane(p % nz);
                double s = 0;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                long c = 0;
                long b = 0;
                for (int i = 0; i < a.length; i++) {
                    if (m != null && !inside(m[i])) {
                        continue;
                    }
                    float x = a[i];
                    if (!Float.isFinite(x)) {
                        b++;
                        continue;
                    }
                    c++;
                    s += x;
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
                cnt[p] = c;
                bad[p] = b;
                sum[p] = s;
                mn[p] = lo;
                mx[p] = hi;
            }
        });
        long n = 0;
        long nb = 0;
        double s = 0;
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (int p = 0; p < np; p++) {
            n += cnt[p];
            nb += bad[p];
            s += sum[p];
            lo = Math.min(lo, mn[p]);
            hi = Math.max(hi, mx[p]);
        }
        if (n == 0) {
            return new Stats(0, nb, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double mean = s / n;
        // second pass on deviations: no catastrophic cancellation for large offsets
        double[] ss = new double[np];
        Parallel.chunks(np, (from, to) -> {
            for (int p = from; p < to; p++) {
                float[] a = v.planes()[p];
                float[] m = mask == null ? null : mask.plane(p % nz);
                double q = 0;
                for (int i = 0; i < a.length; i++) {
                    if ((m == null || inside(m[i])) && Float.isFinite(a[i])) {
                        double d = a[i] - mean;
                        q += d * d;
                    }
                }
                ss[p] = q;
            }
        });
        double q = 0;
        for (double x : ss) {
            q += x;
        }
        return new Stats(n, nb, lo, hi, mean, Math.sqrt(q / n));
    }

    /** One percentile (0…100) of the finite voxels inside the mask (null: all); see {@link #percentiles}. */
    public static double percentile(Volume v, Volume mask, double pct) {
        return percentiles(v, mask, pct)[0];
    }

    /**
     * Percentiles (0…100) of the finite voxels inside the mask (null: all), exactly as numpy's default
     * ("linear"): with the n values sorted x₀ ≤ … ≤ x_{n−1} and h = (n−1)·p/100, the result is
     * x_⌊h⌋ + (h − ⌊h⌋)·(x_⌊h⌋₊₁ − x_⌊h⌋). Computed by selection (no full sort), on a copy of the values.
     * Refuses when no finite voxel is inside the mask.
     */
    public static double[] percentiles(Volume v, Volume mask, double... pct) {
        for (double p : pct) {
            if (!(p >= 0 && p <= 100)) {
                throw new DopajException("percentile must be within 0…100, got " + p);
            }
        }
        float[] a = values(v, mask);
        if (a.length == 0) {
            throw new DopajException("no finite voxel inside the mask: percentiles are undefined");
        }
        Integer[] order = new Integer[pct.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(pct[x], pct[y]));
        double[] out = new double[pct.length];
        int lo = 0;
        int n = a.length;
        for (int idx : order) {
            double h = (n - 1) * pct[idx] / 100.0;
            int k = (int) Math.floor(h);
            double f = h - k;
            double xk = select(a, lo, n - 1, k);
            lo = k;
            if (f > 0 && k + 1 < n) {
                // after selection a[k+1..] are all ≥ a[k]: the next order statistic is their minimum
                float next = Float.POSITIVE_INFINITY;
                for (int i = k + 1; i < n; i++) {
                    next = Math.min(next, a[i]);
                }
                out[idx] = xk + f * (next - xk);
            } else {
                out[idx] = xk;
            }
        }
        return out;
    }

    /** The finite values inside the mask, copied into one array (memory-checked). */
    static float[] values(Volume v, Volume mask) {
        Stats s = of(v, mask);
        if (s.count > Integer.MAX_VALUE - 8) {
            throw new DopajException("too many voxels (" + s.count + ") for a percentile");
        }
        Memory.require(s.count * Float.BYTES, "a copy of " + s.count + " voxel values for percentiles");
        float[] a = new float[(int) s.count];
        int nz = v.nz();
        int k = 0;
        for (int p = 0; p < nz * v.nt(); p++) {
            float[] pl = v.planes()[p];
            float[] m = mask == null ? null : mask.plane(p % nz);
            for (int i = 0; i < pl.length; i++) {
                if ((m == null || inside(m[i])) && Float.isFinite(pl[i])) {
                    a[k++] = pl[i];
                }
            }
        }
        return a;
    }

    /**
     * Wirth's selection: rearranges a[lo..hi] so that a[k] holds the value it would have after sorting, with
     * smaller-or-equal values before it and greater-or-equal after it.
     */
    static float select(float[] a, int lo, int hi, int k) {
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            // median of three as pivot
            if (a[mid] < a[lo]) {
                swap(a, mid, lo);
            }
            if (a[hi] < a[lo]) {
                swap(a, hi, lo);
            }
            if (a[hi] < a[mid]) {
                swap(a, hi, mid);
            }
            float pivot = a[mid];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (a[i] < pivot) {
                    i++;
                }
                while (a[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    swap(a, i, j);
                    i++;
                    j--;
                }
            }
            if (k <= j) {
                hi = j;
            } else if (k >= i) {
                lo = i;
            } else {
                return a[k];
            }
        }
        return a[k];
    }

    private static void swap(float[] a, int i, int j) {
        float t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** True for a mask value meaning "inside": non-zero and not NaN. */
    static boolean inside(float m) {
        return m != 0 && !Float.isNaN(m);
    }

    /** Refuses a mask of other dimensions or with several frames (null passes). */
    static void checkMask(Volume v, Volume mask) {
        if (mask == null) {
            return;
        }
        if (mask.nx() != v.nx() || mask.ny() != v.ny() || mask.nz() != v.nz() || mask.nt() != 1) {
            throw new DopajException("mask is " + mask.nx() + "×" + mask.ny() + "×" + mask.nz()
                    + (mask.nt() > 1 ? "×" + mask.nt() : "") + " but the image is " + v.nx() + "×" + v.ny() + "×"
                    + v.nz() + ": the mask must be one 3D volume on the image's grid");
        }
    }
}
