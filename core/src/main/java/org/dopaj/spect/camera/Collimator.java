package org.dopaj.spect.camera;

/**
 * Parallel-hole collimators used for 123I-FP-CIT, with their depth-dependent system resolution
 * FWHM(d) = √(Rint² + (g0 + g1·d)²), d = distance from the collimator face in mm: Rint is the intrinsic
 * resolution of the crystal, g0 + g1·d the geometric resolution of the holes (g1 = hole diameter / effective
 * hole length, g0 = the same ratio times the distance from the back of the holes to the image plane in the
 * crystal).
 *
 * <p>Vendor data sheets give system FWHM at 10 cm of about 7.3–7.5 mm for low-energy high-resolution
 * collimators and about 10–12.5 mm for medium-energy ones (Siemens LEHR / MELP, GE LEHR / MEGP, 99mTc and
 * 67Ga; 123I at 159 keV is close to 99mTc at 140 keV for the geometric part). Intrinsic FWHM of a 3/8" NaI
 * crystal is 3.5–3.9 mm at 140 keV.
 */
public enum Collimator {
    /** Low-energy high-resolution: 7.4 mm FWHM at 10 cm; thin septa, so 123I's 529 keV photons penetrate them. */
    LEHR(3.6, 1.5, 0.050),
    /** Medium-energy (MELP/MEGP): 12.2 mm FWHM at 10 cm; thick septa stop most high-energy photons. */
    ME(3.6, 2.9, 0.087);

    private final double intrinsicMm;
    private final double g0Mm;
    private final double g1;

    Collimator(double intrinsicMm, double g0Mm, double g1) {
        this.intrinsicMm = intrinsicMm;
        this.g0Mm = g0Mm;
        this.g1 = g1;
    }

    /** Intrinsic resolution Rint of the detector, FWHM in mm. */
    public double intrinsicFwhmMm() {
        return intrinsicMm;
    }

    /** Geometric resolution at the face, g0 in mm. */
    public double geometricFwhmAtFaceMm() {
        return g0Mm;
    }

    /** Growth of the geometric resolution with distance, g1 in mm per mm. */
    public double geometricSlope() {
        return g1;
    }

    /** System resolution (FWHM, mm) of a point at {@code distanceMm} from the collimator face (negative → 0). */
    public double fwhmMm(double distanceMm) {
        double d = Math.max(0, distanceMm);
        double g = g0Mm + g1 * d;
        return Math.sqrt(intrinsicMm * intrinsicMm + g * g);
    }
}
