package org.dopaj.phantom;

import java.util.SplittableRandom;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * A deterministic, T1-weighted-looking digital head on the 91×109×91 2 mm MNI grid (LAS, the FSL MNI152
 * affine): scalp, skull, CSF, grey matter, white matter and lateral ventricles as nested ellipsoids, with
 * partial-volume edges and Gaussian noise. It is a sample for trying the tools and a test object with a known
 * brain mask, not anatomy: the shapes are simple by design.
 */
public final class HeadPhantom {
    /** Intensities of the T1-like contrast (arbitrary units). */
    static final float SCALP = 140;
    static final float SKULL = 15;
    static final float CSF = 25;
    static final float GM = 75;
    static final float WM = 110;

    private HeadPhantom() {
    }

    /** The phantom and its ground truth. */
    public record Head(Volume t1, Volume brainMask) {
    }

    /** The FSL MNI152 2 mm grid: 91×109×91, LAS, origin (90, −126, −72) mm. */
    public static Grid mni2mm() {
        double[][] a = {{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}, {0, 0, 0, 1}};
        return new Grid(91, 109, 91, new double[]{2, 2, 2}, a);
    }

    /** Generates the head on {@code grid} with noise standard deviation {@code noise}; same seed, same voxels. */
    public static Head generate(Grid grid, double noise, long seed) {
        Volume t1 = Volume.allocate(grid);
        Volume mask = Volume.allocate(grid);
        SplittableRandom rng = new SplittableRandom(seed);
        int ss = 2; // 2×2×2 supersampling gives partial-volume edges
        for (int z = 0; z < grid.nz(); z++) {
            float[] p = t1.plane(z);
            float[] m = mask.plane(z);
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    double sum = 0;
                    int brain = 0;
                    for (int dz = 0; dz < ss; dz++) {
                        for (int dy = 0; dy < ss; dy++) {
                            for (int dx = 0; dx < ss; dx++) {
                                double[] mm = grid.toMm(x + (dx + 0.5) / ss - 0.5, y + (dy + 0.5) / ss - 0.5,
                                        z + (dz + 0.5) / ss - 0.5);
                                float v = tissue(mm[0], mm[1], mm[2]);
                                sum += v;
                                if (v == GM || v == WM || v == CSF && inside(mm, 0, -17, 15, 64, 82, 58)) {
                                    brain++;
                                }
                            }
                        }
                    }
                    int i = x + y * grid.nx();
                    double v = sum / (ss * ss * ss);
                    if (v > 0) {
                        v += noise * rng.nextGaussian();
                    }
                    p[i] = (float) Math.max(0, Math.rint(v));
                    m[i] = brain * 2 >= ss * ss * ss ? 1 : 0;
                }
            }
        }
        return new Head(t1, mask);
    }

    /** Tissue class intensity at scanner position (x, y, z) mm (MNI-like coordinates). */
    static float tissue(double x, double y, double z) {
        double[] p = {x, y, z};
        if (!inside(p, 0, -17, 5, 80, 104, 86)) {
            return 0;
        }
        if (!inside(p, 0, -17, 7, 74, 98, 80)) {
            return SCALP;
        }
        if (!inside(p, 0, -17, 10, 69, 91, 69)) {
            return SKULL;
        }
        if (!inside(p, 0, -17, 15, 64, 82, 58)) {
            return CSF;
        }
        if (inside(p, 11, -10, 16, 6, 24, 10) || inside(p, -11, -10, 16, 6, 24, 10)) {
            return CSF; // lateral ventricles
        }
        if (!inside(p, 0, -17, 15, 57, 74, 50)) {
            return GM;
        }
        return WM;
    }

    static boolean inside(double[] p, double cx, double cy, double cz, double ax, double ay, double az) {
        double dx = (p[0] - cx) / ax;
        double dy = (p[1] - cy) / ay;
        double dz = (p[2] - cz) / az;
        return dx * dx + dy * dy + dz * dz <= 1;
    }
}
