package org.dopaj.spect.camera;

import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/** Small test objects on 2 mm patient grids centred on the origin, and measurements on reconstructions. */
final class Phantoms {
    private Phantoms() {
    }

    /** A 2 mm grid of n×n×nz voxels whose centre voxel (n, nz odd) lies at mm (0, 0, 0). */
    static Grid grid(int n, int nz) {
        double h = (n - 1) / 2.0 * 2;
        double hz = (nz - 1) / 2.0 * 2;
        return Grid.fromAffine(n, n, nz, new double[][]{{2, 0, 0, -h}, {0, 2, 0, -h}, {0, 0, 2, -hz}, {0, 0, 0, 1}});
    }

    interface Shape {
        double value(double x, double y, double z);
    }

    /** Voxels of {@code grid} set to shape(mm of the voxel centre). */
    static Volume fill(Grid grid, Shape s) {
        Volume v = Volume.allocate(grid);
        for (int z = 0; z < grid.nz(); z++) {
            for (int y = 0; y < grid.ny(); y++) {
                for (int x = 0; x < grid.nx(); x++) {
                    double[] p = grid.toMm(x, y, z);
                    v.set(x, y, z, (float) s.value(p[0], p[1], p[2]));
                }
            }
        }
        return v;
    }

    /** Uniform cylinder along z. */
    static Shape cylinder(double radius, double halfLength, double value) {
        return (x, y, z) -> x * x + y * y <= radius * radius && Math.abs(z) <= halfLength ? value : 0;
    }

    /** Mean of the image over voxels whose scanner-mm centre satisfies the predicate. */
    static double mean(Volume img, Shape inside) {
        double s = 0;
        long n = 0;
        Grid g = img.grid();
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    double[] p = g.toMm(x, y, z);
                    if (inside.value(p[0], p[1], p[2]) > 0) {
                        s += img.get(x, y, z);
                        n++;
                    }
                }
            }
        }
        if (n == 0) {
            throw new IllegalStateException("empty region");
        }
        return s / n;
    }

    /** Intensity-weighted centroid (mm) of the voxels above {@code fraction} of the maximum. */
    static double[] centroid(Volume img, double fraction) {
        Grid g = img.grid();
        float max = 0;
        for (float[] p : img.planes()) {
            for (float v : p) {
                max = Math.max(max, v);
            }
        }
        double[] c = new double[3];
        double w = 0;
        for (int z = 0; z < g.nz(); z++) {
            for (int y = 0; y < g.ny(); y++) {
                for (int x = 0; x < g.nx(); x++) {
                    float v = img.get(x, y, z);
                    if (v > fraction * max) {
                        double[] p = g.toMm(x, y, z);
                        for (int k = 0; k < 3; k++) {
                            c[k] += v * p[k];
                        }
                        w += v;
                    }
                }
            }
        }
        for (int k = 0; k < 3; k++) {
            c[k] /= w;
        }
        return c;
    }

    /** FWHM (in samples) of a 1D profile with one peak, by linear interpolation at half the maximum. */
    static double fwhm(double[] p) {
        int im = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[im]) {
                im = i;
            }
        }
        double half = p[im] / 2;
        int l = im;
        while (l > 0 && p[l - 1] > half) {
            l--;
        }
        int r = im;
        while (r < p.length - 1 && p[r + 1] > half) {
            r++;
        }
        double left = l - (p[l] - half) / (p[l] - p[l - 1]);
        double right = r + (p[r] - half) / (p[r] - p[r + 1]);
        return right - left;
    }

    /** Variance (in samples²) of a non-negative 1D profile. */
    static double variance(double[] p) {
        double s = 0;
        double m1 = 0;
        for (int i = 0; i < p.length; i++) {
            s += p[i];
            m1 += i * p[i];
        }
        m1 /= s;
        double v = 0;
        for (int i = 0; i < p.length; i++) {
            v += (i - m1) * (i - m1) * p[i];
        }
        return v / s;
    }
}
