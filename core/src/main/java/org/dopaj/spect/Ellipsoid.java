package org.dopaj.spect;

import org.dopaj.DopajException;

/**
 * An ellipsoid in MNI/RAS millimetres, the building block of the DaT-SPECT VOIs and phantoms. Its local
 * axes (u, v, w) start parallel to x (left→right), y (posterior→anterior) and z (inferior→superior), are turned
 * by {@code pitchDeg} about x (positive tips the anterior end up) and then by {@code yawDeg} about z
 * (positive turns the anterior end towards +x).
 *
 * @param cx         centre x in mm
 * @param cy         centre y in mm
 * @param cz         centre z in mm
 * @param ru         semi-axis along the local u (≈ x) axis in mm
 * @param rv         semi-axis along the local v (≈ y, the long axis of striatal structures) in mm
 * @param rw         semi-axis along the local w (≈ z) axis in mm
 * @param yawDeg     rotation about z in degrees
 * @param pitchDeg   rotation about x in degrees
 */
public record Ellipsoid(double cx, double cy, double cz, double ru, double rv, double rw, double yawDeg,
                        double pitchDeg) {

    public Ellipsoid {
        if (!(ru > 0 && rv > 0 && rw > 0)) {
            throw new DopajException("ellipsoid semi-axes must be positive, got " + ru + ", " + rv + ", " + rw);
        }
    }

    /** An axis-aligned ellipsoid. */
    public static Ellipsoid of(double cx, double cy, double cz, double ru, double rv, double rw) {
        return new Ellipsoid(cx, cy, cz, ru, rv, rw, 0, 0);
    }

    /** The mirror image across the mid-sagittal plane x = 0 (right structure → left structure). */
    public Ellipsoid mirrorX() {
        return new Ellipsoid(-cx, cy, cz, ru, rv, rw, -yawDeg, pitchDeg);
    }

    /** Local coordinates (u, v, w) in mm of MNI point (x, y, z), relative to the centre. */
    public double[] local(double x, double y, double z) {
        double dx = x - cx;
        double dy = y - cy;
        double dz = z - cz;
        // undo the yaw (about z), then the pitch (about x)
        double t = Math.toRadians(yawDeg);
        double c = Math.cos(t);
        double s = Math.sin(t);
        double u = c * dx - s * dy;
        double v1 = s * dx + c * dy;
        double p = Math.toRadians(pitchDeg);
        double cp = Math.cos(p);
        double sp = Math.sin(p);
        double v = cp * v1 + sp * dz;
        double w = -sp * v1 + cp * dz;
        return new double[]{u, v, w};
    }

    /** (u/ru)² + (v/rv)² + (w/rw)²: ≤ 1 inside. */
    public double normalisedRadius2(double x, double y, double z) {
        double[] l = local(x, y, z);
        double a = l[0] / ru;
        double b = l[1] / rv;
        double d = l[2] / rw;
        return a * a + b * b + d * d;
    }

    /** True when MNI point (x, y, z) mm lies inside or on the surface. */
    public boolean contains(double x, double y, double z) {
        return normalisedRadius2(x, y, z) <= 1;
    }

    /**
     * Position along the long (v) axis from the anterior tip (0) to the posterior tip (1), clamped to 0…1:
     * used for the posterior-to-anterior gradient of putaminal loss.
     */
    public double posteriorFraction(double x, double y, double z) {
        double v = local(x, y, z)[1];
        return Math.min(1, Math.max(0, (rv - v) / (2 * rv)));
    }

    /** Volume in mm³ (4/3·π·ru·rv·rw). */
    public double volumeMm3() {
        return 4.0 / 3.0 * Math.PI * ru * rv * rw;
    }
}
