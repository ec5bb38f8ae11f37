package org.dopaj.dl.metrics;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.image.DistanceTransform;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Overlap of a predicted binary mask with a reference mask on the same voxel grid (e.g. a brain mask or a
 * nigrosome segmentation): Dice, IoU (Jaccard), precision, recall, F1 and the 95th-percentile symmetric
 * Hausdorff distance in mm.
 *
 * <p>Conventions (see docs/metrics.md):
 * <ul>
 * <li>A voxel is foreground when its value is not 0.</li>
 * <li>Surface = foreground voxels with at least one 6-connected neighbour that is background or outside
 * the image (MedPy's {@code mask ^ binary_erosion(mask)} with scipy's default border value 0); axes of
 * length 1 are ignored, so a 2D image (nz = 1) uses 4-connectivity in its plane.</li>
 * <li>Distances between voxel centres in mm, with the grid's voxel size per axis (axes assumed
 * orthogonal; shear in the affine is ignored), computed by an exact Euclidean distance transform.</li>
 * <li>HD95 = 95th percentile (linear interpolation, numpy's default) of the UNION of both directed
 * surface-distance sets, as MedPy's {@code hd95}; HD (max) is also given.</li>
 * <li>Both masks empty: Dice = IoU = precision = recall = F1 = 1, HD95 = HD = 0. Exactly one empty:
 * Dice = IoU = F1 = 0, precision = recall = 0 (sklearn's zero_division = 0 for the 0/0 one),
 * HD95 = HD = +∞, written as JSON null by {@link Result#toMap()}.</li>
 * </ul>
 */
public final class Overlap {
    /** Grids whose affines differ by less than this (mm) are considered the same. */
    public static final double GRID_TOLERANCE_MM = 1e-3;

    private Overlap() {
    }

    /** Compares two single-frame mask volumes, refusing masks on different grids. */
    public static Result compare(Volume predicted, Volume reference) {
        if (predicted.nt() != 1 || reference.nt() != 1) {
            throw new DopajException("masks must be single 3D volumes, got " + predicted.nt() + " and " + reference.nt()
                    + " frames");
        }
        Grid g = predicted.grid();
        if (!g.sameAs(reference.grid(), GRID_TOLERANCE_MM)) {
            throw new DopajException("predicted mask (" + g + ") and reference mask (" + reference.grid()
                    + ") are on different grids: resample one onto the other first");
        }
        predicted.requireFinite("predicted mask");
        reference.requireFinite("reference mask");
        return compare(foreground(predicted), foreground(reference), g);
    }

    /** Compares two masks given as x-fastest foreground flags on {@code grid}. */
    public static Result compare(boolean[] predicted, boolean[] reference, Grid grid) {
        long n = grid.voxelCount();
        if (predicted.length != n || reference.length != n) {
            throw new DopajException("mask sizes (" + predicted.length + ", " + reference.length + " voxels) do not match the grid "
                    + grid + " (" + n + " voxels)");
        }
        long tp = 0;
        long fp = 0;
        long fn = 0;
        for (int i = 0; i < predicted.length; i++) {
            if (predicted[i]) {
                if (reference[i]) {
                    tp++;
                } else {
                    fp++;
                }
            } else if (reference[i]) {
                fn++;
            }
        }
        long nPred = tp + fp;
        long nRef = tp + fn;
        double dice;
        double iou;
        double precision;
        double recall;
        double hd95;
        double hd;
        if (nPred == 0 && nRef == 0) {
            dice = iou = precision = recall = 1;
            hd95 = hd = 0;
        } else if (nPred == 0 || nRef == 0) {
            dice = iou = precision = recall = 0;
            hd95 = hd = Double.POSITIVE_INFINITY;
        } else {
            dice = 2.0 * tp / (nPred + nRef);
            iou = (double) tp / (tp + fp + fn);
            precision = (double) tp / nPred;
            recall = (double) tp / nRef;
            double[] d = symmetricSurfaceDistances(predicted, reference, grid);
            Arrays.sort(d);
            hd95 = percentileSorted(d, 95);
            hd = d[d.length - 1];
        }
        double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        return new Result(tp, fp, fn, nPred, nRef, dice, iou, precision, recall, f1, hd95, hd);
    }

    /**
     * Distances (mm) from every surface voxel of a to the nearest surface voxel of b, then from every surface
     * voxel of b to the nearest surface voxel of a, concatenated (unsorted). Both masks must be non-empty.
     */
    static double[] symmetricSurfaceDistances(boolean[] a, boolean[] b, Grid grid) {
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        boolean[] sa = surface(a, nx, ny, nz);
        boolean[] sb = surface(b, nx, ny, nz);
        float[][] toB = DistanceTransform.squaredMm(planes(sb, nx * ny, nz), grid, false);
        float[][] toA = DistanceTransform.squaredMm(planes(sa, nx * ny, nz), grid, false);
        int plane = nx * ny;
        int ca = count(sa);
        int cb = count(sb);
        double[] d = new double[ca + cb];
        int k = 0;
        for (int i = 0; i < sa.length; i++) {
            if (sa[i]) {
                d[k++] = Math.sqrt(toB[i / plane][i % plane]);
            }
        }
        for (int i = 0; i < sb.length; i++) {
            if (sb[i]) {
                d[k++] = Math.sqrt(toA[i / plane][i % plane]);
            }
        }
        return d;
    }

    /** A flat x-fastest mask as byte planes for {@link DistanceTransform}. */
    private static byte[][] planes(boolean[] m, int plane, int nz) {
        byte[][] b = new byte[nz][plane];
        for (int i = 0; i < m.length; i++) {
            if (m[i]) {
                b[i / plane][i % plane] = 1;
            }
        }
        return b;
    }

    /** Foreground voxels with a 6-neighbour in the background or outside the image. */
    static boolean[] surface(boolean[] m, int nx, int ny, int nz) {
        boolean[] s = new boolean[m.length];
        int plane = nx * ny;
        for (int z = 0; z < nz; z++) {
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = x + nx * y + plane * z;
                    if (!m[i]) {
                        continue;
                    }
                    // an axis of length 1 (a 2D image) has no neighbours along it: 4-connectivity in 2D
                    boolean edge = nx > 1 && (x == 0 || x == nx - 1 || !m[i - 1] || !m[i + 1]);
                    edge = edge || ny > 1 && (y == 0 || y == ny - 1 || !m[i - nx] || !m[i + nx]);
                    edge = edge || nz > 1 && (z == 0 || z == nz - 1 || !m[i - plane] || !m[i + plane]);
                    s[i] = edge;
                }
            }
        }
        if (count(s) == 0) {
            // only a 1×1×1 grid has foreground without surface: the voxel is its own surface
            return m.clone();
        }
        return s;
    }

    /**
     * The p-th percentile of sorted values with linear interpolation between closest ranks (numpy's default
     * "linear" method: position p/100·(n−1)).
     */
    static double percentileSorted(double[] sorted, double p) {
        double h = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    private static boolean[] foreground(Volume v) {
        float[][] planes = v.planes();
        int len = v.nx() * v.ny();
        boolean[] m = new boolean[(int) v.grid().voxelCount()];
        for (int z = 0; z < v.nz(); z++) {
            float[] p = planes[z];
            for (int i = 0; i < len; i++) {
                m[z * len + i] = p[i] != 0;
            }
        }
        return m;
    }

    private static int count(boolean[] m) {
        int c = 0;
        for (boolean b : m) {
            if (b) {
                c++;
            }
        }
        return c;
    }

    /**
     * Overlap figures.
     *
     * @param truePositive      voxels in both masks
     * @param falsePositive     voxels only in the predicted mask
     * @param falseNegative     voxels only in the reference mask
     * @param predictedVoxels   voxels in the predicted mask
     * @param referenceVoxels   voxels in the reference mask
     * @param hd95Mm            95th percentile symmetric surface distance (mm); +∞ when exactly one mask is empty
     * @param hausdorffMm       maximum symmetric surface distance (mm); +∞ when exactly one mask is empty
     */
    public record Result(long truePositive, long falsePositive, long falseNegative, long predictedVoxels,
                         long referenceVoxels, double dice, double iou, double precision, double recall, double f1,
                         double hd95Mm, double hausdorffMm) {

        /** For JSON: an infinite distance is written as null (see the class javadoc for when). */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("dice", dice);
            m.put("iou", iou);
            m.put("precision", precision);
            m.put("recall", recall);
            m.put("f1", f1);
            m.put("hd95_mm", Json.safe(hd95Mm));
            m.put("hausdorff_mm", Json.safe(hausdorffMm));
            m.put("predicted_voxels", predictedVoxels);
            m.put("reference_voxels", referenceVoxels);
            m.put("true_positive_voxels", truePositive);
            return m;
        }
    }
}
