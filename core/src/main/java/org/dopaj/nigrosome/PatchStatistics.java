package org.dopaj.nigrosome;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;

/**
 * The input statistics of a nigrosome patch that the applicability check compares with a model's training
 * distribution ({@code config.dopaj.applicability}, {@code statistics: nigrosome-patch-v1}). All are divided by the
 * patch mean, as the networks see the patch (they divide by it), so the scanner's intensity scale does not matter:
 *
 * <ul>
 * <li>{@code cv}: standard deviation / mean — overall contrast;</li>
 * <li>{@code p01}, {@code p99}: 1st and 99th percentile / mean — how dark the SN and red nucleus, how bright CSF or
 *     vessels;</li>
 * <li>{@code grad_xy}: mean |difference of in-plane neighbours| / mean — noise, texture and edge sharpness;</li>
 * <li>{@code grad_z}: the same between slices — slice thickness and through-plane smoothness;</li>
 * <li>{@code centre}: mean of the central 6×6×4 voxels / mean — what sits at the clicked centroid.</li>
 * </ul>
 *
 * Also the refusals that come before any statistic: a patch that is empty (all zero), constant, non-finite or
 * negative (SMWI is a magnitude times a mask, never below 0).
 */
public final class PatchStatistics {
    /** The definition name stored with the bounds. */
    public static final String DEFINITION = "nigrosome-patch-v1";

    private PatchStatistics() {
    }

    /** Refuses a patch no SMWI can give, naming {@code what}. */
    public static void requireUsable(Volume v, String what) {
        v.requireFinite(what);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long neg = 0;
        for (float[] p : v.planes()) {
            for (float f : p) {
                min = Math.min(min, f);
                max = Math.max(max, f);
                if (f < 0) {
                    neg++;
                }
            }
        }
        if (neg > 0) {
            throw new DopajException(String.format(Locale.ROOT, "%s: %d negative voxel(s) (min %.4g): SMWI is a magnitude"
                    + " times a mask and cannot be negative; give the SMWI magnitude, not phase or a difference image",
                    what, neg, min));
        }
        if (max == 0) {
            throw new DopajException(what + ": empty (every voxel is 0)");
        }
        if (max == min) {
            throw new DopajException(String.format(Locale.ROOT, "%s: constant (every voxel is %.6g): no anatomy to read",
                    what, min));
        }
    }

    /** The statistics above, in a fixed order. */
    public static Map<String, Double> of(Volume v) {
        int nx = v.nx();
        int ny = v.ny();
        int nz = v.nz();
        int n = nx * ny * nz;
        float[] all = new float[n];
        double sum = 0;
        double gxy = 0;
        long nxy = 0;
        double gz = 0;
        long nzz = 0;
        int i = 0;
        for (int z = 0; z < nz; z++) {
            float[] p = v.plane(z);
            float[] q = z + 1 < nz ? v.plane(z + 1) : null;
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    float f = p[x + y * nx];
                    all[i++] = f;
                    sum += f;
                    if (x + 1 < nx) {
                        gxy += Math.abs(p[x + 1 + y * nx] - f);
                        nxy++;
                    }
                    if (y + 1 < ny) {
                        gxy += Math.abs(p[x + (y + 1) * nx] - f);
                        nxy++;
                    }
                    if (q != null) {
                        gz += Math.abs(q[x + y * nx] - f);
                        nzz++;
                    }
                }
            }
        }
        double mean = sum / n;
        double ss = 0;
        for (float f : all) {
            ss += (f - mean) * (f - mean);
        }
        Arrays.sort(all);
        double c = 0;
        int nc = 0;
        for (int z = nz / 2 - 2; z < nz / 2 + 2; z++) {
            for (int y = ny / 2 - 3; y < ny / 2 + 3; y++) {
                for (int x = nx / 2 - 3; x < nx / 2 + 3; x++) {
                    if (x >= 0 && y >= 0 && z >= 0 && x < nx && y < ny && z < nz) {
                        c += v.get(x, y, z);
                        nc++;
                    }
                }
            }
        }
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("cv", Math.sqrt(ss / n) / mean);
        m.put("p01", all[(int) Math.floor(0.01 * (n - 1))] / mean);
        m.put("p99", all[(int) Math.ceil(0.99 * (n - 1))] / mean);
        m.put("grad_xy", nxy == 0 ? 0 : gxy / nxy / mean);
        m.put("grad_z", nzz == 0 ? 0 : gz / nzz / mean);
        m.put("centre", nc == 0 ? 1 : c / nc / mean);
        return m;
    }
}
