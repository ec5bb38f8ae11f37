package org.dopaj.nigrosome;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;

/**
 * The left and right nigrosome-1 centroids of one image, checked against that image's grid.
 *
 * <p>Rules (every factory applies them, so a {@code Centroids} is always usable):
 * <ul>
 *   <li>each centroid lies inside the image (its voxel coordinates within −0.5 … n−0.5 along each axis);</li>
 *   <li>the two are at least {@link #MIN_SEPARATION_MM} apart in scanner mm (coinciding points are refused
 *       with their own message);</li>
 *   <li>left and right are told apart from the image's voxel→mm affine, never from click order: the patient's
 *       left is the smaller scanner x (NIfTI RAS+), so the same clicks give the same sides on an RAS, LAS or
 *       LPS image; the two must be at least {@link #MIN_LATERAL_SEPARATION_MM} apart along x, otherwise the
 *       sides cannot be told and the points are refused. Labelled input ({@code left=… right=…}) whose labels
 *       contradict the affine is refused as swapped.</li>
 * </ul>
 * Whether a crop around a centroid would lie mostly outside the image depends on the crop geometry and is
 * checked by {@link NigrosomeCropper#checkCoverage}.
 */
public record Centroids(Centroid left, Centroid right) {
    /** Smallest accepted 3D distance between the two centroids (they are about 20 mm apart in adults). */
    public static final double MIN_SEPARATION_MM = 4.0;
    /** Smallest accepted left-right (scanner x) distance between them, to tell the sides apart. */
    public static final double MIN_LATERAL_SEPARATION_MM = 4.0;

    private static final String NUM = "([-+]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?)";
    private static final Pattern ONE = Pattern.compile(
            "(left|right)\\s*=\\s*" + NUM + "\\s*,\\s*" + NUM + "\\s*,\\s*" + NUM, Pattern.CASE_INSENSITIVE);

    public Centroids {
        if (left == null || right == null || left.side() != Side.LEFT || right.side() != Side.RIGHT) {
            throw new IllegalArgumentException("need a LEFT and a RIGHT centroid");
        }
    }

    /** The centroid of {@code side}. */
    public Centroid get(Side side) {
        return side == Side.LEFT ? left : right;
    }

    /** Distance between the two centroids in scanner mm. */
    public double separationMm() {
        return left.mm().distance(right.mm());
    }

    /**
     * Parses {@code left=x,y,z right=x,y,z} (either order, case-insensitive, separated by spaces, ';' or ',')
     * in the given units and checks it against the image grid.
     */
    public static Centroids parse(String text, Units units, Grid grid) {
        String usage = "centroids: expected 'left=x,y,z right=x,y,z' (" + units.label() + "), got '" + text + "'";
        if (text == null || text.isBlank()) {
            throw new DopajException(usage);
        }
        Matcher m = ONE.matcher(text);
        Point3 l = null;
        Point3 r = null;
        int end = 0;
        StringBuilder rest = new StringBuilder();
        while (m.find()) {
            rest.append(text, end, m.start());
            end = m.end();
            Point3 p = new Point3(Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)),
                    Double.parseDouble(m.group(4)));
            boolean isLeft = m.group(1).toLowerCase(Locale.ROOT).equals("left");
            if (isLeft ? l != null : r != null) {
                throw new DopajException("centroids: '" + m.group(1).toLowerCase(Locale.ROOT) + "=' given twice in '"
                        + text + "'");
            }
            if (isLeft) {
                l = p;
            } else {
                r = p;
            }
        }
        rest.append(text.substring(end));
        if (l == null || r == null || !rest.toString().replaceAll("[\\s;,]", "").isEmpty()) {
            throw new DopajException(usage);
        }
        return labelled(l, r, units, grid);
    }

    /**
     * Centroids whose sides the caller names (e.g. typed as left=/right=); refused when the labels contradict
     * the image orientation.
     */
    public static Centroids labelled(Point3 left, Point3 right, Units units, Grid grid) {
        Point3[] vox = {toVoxel(left, units, grid, "left"), toVoxel(right, units, grid, "right")};
        Point3[] mm = {mm(grid, vox[0]), mm(grid, vox[1])};
        checkPair(vox, mm, grid);
        if (mm[0].x() > mm[1].x()) {
            throw new DopajException(String.format(Locale.ROOT,
                    "centroids: left= lies to the patient's right of right= (scanner x %.1f mm vs %.1f mm, image %s):"
                            + " the labels look swapped", mm[0].x(), mm[1].x(), grid.orientation()));
        }
        return new Centroids(new Centroid(Side.LEFT, vox[0], mm[0]), new Centroid(Side.RIGHT, vox[1], mm[1]));
    }

    /**
     * Centroids from exactly two points in any order (e.g. a point ROI), in voxel coordinates (0-based; an
     * ImageJ point on slice s has z = s − 1). The side of each comes from the image affine.
     */
    public static Centroids fromPoints(List<double[]> points, Grid grid) {
        return fromPoints(points, Units.VOXEL, grid);
    }

    /** As {@link #fromPoints(List, Grid)}, with the points in the given units. */
    public static Centroids fromPoints(List<double[]> points, Units units, Grid grid) {
        if (points == null || points.size() != 2) {
            throw new DopajException("centroids: need exactly 2 points (one on each nigrosome-1), got "
                    + (points == null ? 0 : points.size()));
        }
        Point3[] vox = new Point3[2];
        for (int n = 0; n < 2; n++) {
            double[] p = points.get(n);
            if (p == null || p.length != 3) {
                throw new DopajException("centroids: point " + (n + 1) + " needs 3 coordinates (x, y, z)");
            }
            vox[n] = toVoxel(Point3.of(p), units, grid, "point " + (n + 1));
        }
        Point3[] mm = {mm(grid, vox[0]), mm(grid, vox[1])};
        checkPair(vox, mm, grid);
        int l = mm[0].x() < mm[1].x() ? 0 : 1;
        return new Centroids(new Centroid(Side.LEFT, vox[l], mm[l]), new Centroid(Side.RIGHT, vox[1 - l], mm[1 - l]));
    }

    /** {"left": {...}, "right": {...}, "separation_mm", "voxel_convention"} for a JSON sidecar. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("left", left.toMap());
        m.put("right", right.toMap());
        m.put("separation_mm", separationMm());
        m.put("voxel_convention", "0-based i,j,k (ImageJ x, y, slice-1)");
        return m;
    }

    private static Point3 toVoxel(Point3 p, Units units, Grid grid, String what) {
        if (!p.isFinite()) {
            throw new DopajException("centroids: " + what + " has a non-finite coordinate (" + p.format() + ")");
        }
        Point3 v = units == Units.MM ? Point3.of(grid.toVoxel(p.x(), p.y(), p.z())) : p;
        if (!grid.contains(v.x(), v.y(), v.z())) {
            throw new DopajException("centroids: " + what + " (" + units.label() + " " + p.format()
                    + (units == Units.MM ? " = voxel " + v.format() : "") + ") lies outside the image ("
                    + grid.nx() + "×" + grid.ny() + "×" + grid.nz() + " voxels, 0-based)");
        }
        return v;
    }

    private static Point3 mm(Grid grid, Point3 v) {
        return Point3.of(grid.toMm(v.x(), v.y(), v.z()));
    }

    private static void checkPair(Point3[] vox, Point3[] mm, Grid grid) {
        double d = mm[0].distance(mm[1]);
        if (d < 1e-6) {
            throw new DopajException("centroids: the two points coincide (voxel " + vox[0].format()
                    + "): place one on each nigrosome-1");
        }
        if (d < MIN_SEPARATION_MM) {
            throw new DopajException(String.format(Locale.ROOT,
                    "centroids: the two points are only %.2f mm apart (minimum %.1f mm): place one on each nigrosome-1",
                    d, MIN_SEPARATION_MM));
        }
        double dx = Math.abs(mm[0].x() - mm[1].x());
        if (dx < MIN_LATERAL_SEPARATION_MM) {
            throw new DopajException(String.format(Locale.ROOT,
                    "centroids: cannot tell left from right: the points are only %.2f mm apart from left to right"
                            + " (scanner x, image %s; minimum %.1f mm): place one on each side of the midline",
                    dx, grid.orientation(), MIN_LATERAL_SEPARATION_MM));
        }
    }
}
