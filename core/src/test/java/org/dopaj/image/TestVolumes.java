package org.dopaj.image;

import java.util.Random;

/** Small synthetic volumes and grids shared by the image tests. */
final class TestVolumes {
    private TestVolumes() {
    }

    static Volume random(Grid g, int nt, long seed) {
        Random r = new Random(seed);
        Volume v = Volume.allocate(g, nt);
        for (float[] p : v.planes()) {
            for (int i = 0; i < p.length; i++) {
                p[i] = r.nextFloat() * 100 - 20;
            }
        }
        return v;
    }

    /** Rotation by angle (radians) about the z axis, then about x, times voxel sizes, plus an origin. */
    static double[][] obliqueAffine(double az, double ax, double[] vox, double[] origin) {
        double cz = Math.cos(az);
        double sz = Math.sin(az);
        double cx = Math.cos(ax);
        double sx = Math.sin(ax);
        double[][] rz = {{cz, -sz, 0, 0}, {sz, cz, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        double[][] rx = {{1, 0, 0, 0}, {0, cx, -sx, 0}, {0, sx, cx, 0}, {0, 0, 0, 1}};
        double[][] s = {{vox[0], 0, 0, 0}, {0, vox[1], 0, 0}, {0, 0, vox[2], 0}, {0, 0, 0, 1}};
        double[][] a = Affines.multiply(Affines.multiply(rz, rx), s);
        for (int r = 0; r < 3; r++) {
            a[r][3] = origin[r];
        }
        return a;
    }

}
