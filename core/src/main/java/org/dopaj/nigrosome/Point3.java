package org.dopaj.nigrosome;

/** A 3D position (voxel or mm, as the holder says); immutable, compared by value. */
public record Point3(double x, double y, double z) {

    /** From a 3-element array. */
    public static Point3 of(double[] p) {
        if (p == null || p.length != 3) {
            throw new IllegalArgumentException("a position needs 3 coordinates");
        }
        return new Point3(p[0], p[1], p[2]);
    }

    public double[] toArray() {
        return new double[]{x, y, z};
    }

    /** Euclidean distance to {@code o}. */
    public double distance(Point3 o) {
        double dx = x - o.x;
        double dy = y - o.y;
        double dz = z - o.z;
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    public boolean isFinite() {
        return Double.isFinite(x) && Double.isFinite(y) && Double.isFinite(z);
    }

    /** "x, y, z" with up to 3 decimals, for messages. */
    public String format() {
        return fmt(x) + ", " + fmt(y) + ", " + fmt(z);
    }

    private static String fmt(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        s = s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
        return s.equals("-0") ? "0" : s;
    }
}
