package org.dopaj.registration;

import java.util.stream.IntStream;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Resample.Interpolation;
import org.dopaj.image.Volume;

/**
 * Resampling through a registration, both ways. Without a displacement field the affine is folded into the
 * source grid and {@link Resample#toGrid} does the work (same edge rules, exact copies where it can). With a field
 * every target voxel's source position is computed explicitly and sampled with the same rules as Resample: a
 * position inside the source box (−0.5 … n−0.5) gets a value (clamped to the voxel centres in the outer half
 * voxel), anything further out gets {@code fill}.
 */
final class Warp {
    /** Spacing (mm) of the grid on which the inverse displacement is tabulated; the field is far smoother. */
    private static final double INVERSE_SPACING_MM = 6;

    private Warp() {
    }

    /** {@code source} (in moving mm) on the fixed grid: value at T·(x + u(x)). */
    static Volume toFixed(Volume source, Grid fixedGrid, AffineTransform t, DisplacementField u,
                          Interpolation interp, float fill) {
        if (u == null) {
            // source voxel → fixed mm is T⁻¹·A_src
            Grid g = source.grid().withAffine(Affines.multiply(t.inverse().matrix(), source.grid().affine()));
            return Resample.toGrid(source.withGrid(g), fixedGrid, interp, fill);
        }
        double[][] p = Affines.multiply(Affines.invert(source.grid().affine()), t.matrix()); // fixed mm → src voxel
        double[][] a = fixedGrid.affine();
        double[][] tables = u.tables(fixedGrid);
        double[] coef = u.coefficients();
        int k = u.basesPerAxis();
        int nx = fixedGrid.nx();
        int ny = fixedGrid.ny();
        Volume out = Volume.allocate(fixedGrid, source.nt());
        IntStream.range(0, fixedGrid.nz()).parallel().forEach(z -> {
            int len = nx * ny;
            double[] ux = new double[len];
            double[] uy = new double[len];
            double[] uz = new double[len];
            DisplacementField.plane(coef, k, tables, nx, ny, z, ux, uy, uz, new double[3 * k * k + 3 * k]);
            double[] sx = new double[len];
            double[] sy = new double[len];
            double[] sz = new double[len];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = y * nx + x;
                    double mx = a[0][0] * x + a[0][1] * y + a[0][2] * z + a[0][3] + ux[i];
                    double my = a[1][0] * x + a[1][1] * y + a[1][2] * z + a[1][3] + uy[i];
                    double mz = a[2][0] * x + a[2][1] * y + a[2][2] * z + a[2][3] + uz[i];
                    sx[i] = p[0][0] * mx + p[0][1] * my + p[0][2] * mz + p[0][3];
                    sy[i] = p[1][0] * mx + p[1][1] * my + p[1][2] * mz + p[1][3];
                    sz[i] = p[2][0] * mx + p[2][1] * my + p[2][2] * mz + p[2][3];
                }
            }
            for (int tt = 0; tt < source.nt(); tt++) {
                samplePlane(source, tt, sx, sy, sz, interp, fill, out.plane(z, tt));
            }
        });
        return out;
    }

    /** {@code map} (on or in fixed mm) on {@code movingGrid}: value at x with T·(x + u(x)) = y. */
    static Volume toMoving(Volume map, Grid movingGrid, AffineTransform t, DisplacementField u, Interpolation interp,
                           float fill) {
        if (u == null) {
            // map voxel → moving mm is T·A_map
            Grid g = map.grid().withAffine(Affines.multiply(t.matrix(), map.grid().affine()));
            return Resample.toGrid(map.withGrid(g), movingGrid, interp, fill);
        }
        InverseTable inv = new InverseTable(u);
        double[][] tinv = t.inverse().matrix();
        double[][] a = movingGrid.affine();
        double[][] p = Affines.invert(map.grid().affine());
        int nx = movingGrid.nx();
        int ny = movingGrid.ny();
        Volume out = Volume.allocate(movingGrid, map.nt());
        IntStream.range(0, movingGrid.nz()).parallel().forEach(z -> {
            int len = nx * ny;
            double[] sx = new double[len];
            double[] sy = new double[len];
            double[] sz = new double[len];
            double[] v = new double[3];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = y * nx + x;
                    double yx = a[0][0] * x + a[0][1] * y + a[0][2] * z + a[0][3];
                    double yy = a[1][0] * x + a[1][1] * y + a[1][2] * z + a[1][3];
                    double yz = a[2][0] * x + a[2][1] * y + a[2][2] * z + a[2][3];
                    double zx = tinv[0][0] * yx + tinv[0][1] * yy + tinv[0][2] * yz + tinv[0][3];
                    double zy = tinv[1][0] * yx + tinv[1][1] * yy + tinv[1][2] * yz + tinv[1][3];
                    double zz = tinv[2][0] * yx + tinv[2][1] * yy + tinv[2][2] * yz + tinv[2][3];
                    inv.lookup(zx, zy, zz, v);
                    double mx = zx + v[0];
                    double my = zy + v[1];
                    double mz = zz + v[2];
                    sx[i] = p[0][0] * mx + p[0][1] * my + p[0][2] * mz + p[0][3];
                    sy[i] = p[1][0] * mx + p[1][1] * my + p[1][2] * mz + p[1][3];
                    sz[i] = p[2][0] * mx + p[2][1] * my + p[2][2] * mz + p[2][3];
                }
            }
            for (int tt = 0; tt < map.nt(); tt++) {
                samplePlane(map, tt, sx, sy, sz, interp, fill, out.plane(z, tt));
            }
        });
        return out;
    }

    /**
     * The inverse of x ↦ x + u(x), tabulated as v(z) = x − z on a 6 mm copy of the field's box and interpolated
     * trilinearly (clamped at the table's edge). Each entry solves x = z − u(x) by fixed-point iteration, which
     * converges because the regularised field has |∇u| well below 1.
     */
    static final class InverseTable {
        private final Grid g;
        private final double[][] toVoxel;
        private final float[][] v; // three components, x fastest

        InverseTable(DisplacementField u) {
            Grid box = u.grid();
            double[] vox = box.voxelMm();
            g = Resample.gridWithVoxelSize(box, Math.max(vox[0], INVERSE_SPACING_MM),
                    Math.max(vox[1], INVERSE_SPACING_MM), Math.max(vox[2], INVERSE_SPACING_MM));
            toVoxel = Affines.invert(g.affine());
            int n = (int) g.voxelCount();
            v = new float[3][n];
            int nx = g.nx();
            int ny = g.ny();
            IntStream.range(0, g.nz()).parallel().forEach(z -> {
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x++) {
                        double[] zp = g.toMm(x, y, z);
                        double[] xp = zp.clone();
                        for (int it = 0; it < 50; it++) {
                            double[] d = u.displacementMm(xp[0], xp[1], xp[2]);
                            double change = 0;
                            for (int c = 0; c < 3; c++) {
                                double nv = zp[c] - d[c];
                                change = Math.max(change, Math.abs(nv - xp[c]));
                                xp[c] = nv;
                            }
                            if (change < 1e-4) {
                                break;
                            }
                        }
                        int i = (z * ny + y) * nx + x;
                        for (int c = 0; c < 3; c++) {
                            v[c][i] = (float) (xp[c] - zp[c]);
                        }
                    }
                }
            });
        }

        void lookup(double x, double y, double z, double[] out) {
            double sx = clamp(toVoxel[0][0] * x + toVoxel[0][1] * y + toVoxel[0][2] * z + toVoxel[0][3], g.nx());
            double sy = clamp(toVoxel[1][0] * x + toVoxel[1][1] * y + toVoxel[1][2] * z + toVoxel[1][3], g.ny());
            double sz = clamp(toVoxel[2][0] * x + toVoxel[2][1] * y + toVoxel[2][2] * z + toVoxel[2][3], g.nz());
            int x0 = Math.min((int) sx, g.nx() - 1);
            int y0 = Math.min((int) sy, g.ny() - 1);
            int z0 = Math.min((int) sz, g.nz() - 1);
            int x1 = Math.min(x0 + 1, g.nx() - 1);
            int y1 = Math.min(y0 + 1, g.ny() - 1);
            int z1 = Math.min(z0 + 1, g.nz() - 1);
            double fx = sx - x0;
            double fy = sy - y0;
            double fz = sz - z0;
            int nx = g.nx();
            int nxy = nx * g.ny();
            for (int c = 0; c < 3; c++) {
                float[] a = v[c];
                double c00 = a[z0 * nxy + y0 * nx + x0] * (1 - fx) + a[z0 * nxy + y0 * nx + x1] * fx;
                double c10 = a[z0 * nxy + y1 * nx + x0] * (1 - fx) + a[z0 * nxy + y1 * nx + x1] * fx;
                double c01 = a[z1 * nxy + y0 * nx + x0] * (1 - fx) + a[z1 * nxy + y0 * nx + x1] * fx;
                double c11 = a[z1 * nxy + y1 * nx + x0] * (1 - fx) + a[z1 * nxy + y1 * nx + x1] * fx;
                double c0 = c00 * (1 - fy) + c10 * fy;
                double c1 = c01 * (1 - fy) + c11 * fy;
                out[c] = c0 * (1 - fz) + c1 * fz;
            }
        }

        private static double clamp(double s, int n) {
            return Math.max(0, Math.min(n - 1, s));
        }
    }

    /** Samples frame t of src at voxel positions (sx, sy, sz), with {@link Resample}'s edge rules. */
    private static void samplePlane(Volume src, int t, double[] sx, double[] sy, double[] sz, Interpolation interp,
                                    float fill, float[] dst) {
        int nx = src.nx();
        int ny = src.ny();
        int nz = src.nz();
        for (int i = 0; i < dst.length; i++) {
            double x = sx[i];
            double y = sy[i];
            double z = sz[i];
            if (!(x >= -0.5 && y >= -0.5 && z >= -0.5 && x <= nx - 0.5 && y <= ny - 0.5 && z <= nz - 0.5)) {
                dst[i] = fill;
                continue;
            }
            if (interp == Interpolation.NEAREST) {
                int ix = Math.min((int) Math.floor(x + 0.5), nx - 1);
                int iy = Math.min((int) Math.floor(y + 0.5), ny - 1);
                int iz = Math.min((int) Math.floor(z + 0.5), nz - 1);
                dst[i] = src.get(ix, iy, iz, t);
                continue;
            }
            x = Math.min(Math.max(x, 0), nx - 1);
            y = Math.min(Math.max(y, 0), ny - 1);
            z = Math.min(Math.max(z, 0), nz - 1);
            int x0 = (int) x;
            int y0 = (int) y;
            int z0 = (int) z;
            double fx = x - x0;
            double fy = y - y0;
            double fz = z - z0;
            int x1 = fx > 0 ? x0 + 1 : x0;
            int y1 = fy > 0 ? y0 + 1 : y0;
            int z1 = fz > 0 ? z0 + 1 : z0;
            float[] p0 = src.plane(z0, t);
            float[] p1 = src.plane(z1, t);
            int r0 = y0 * nx;
            int r1 = y1 * nx;
            double c00 = p0[r0 + x0] + fx * (p0[r0 + x1] - p0[r0 + x0]);
            double c10 = p0[r1 + x0] + fx * (p0[r1 + x1] - p0[r1 + x0]);
            double c01 = p1[r0 + x0] + fx * (p1[r0 + x1] - p1[r0 + x0]);
            double c11 = p1[r1 + x0] + fx * (p1[r1 + x1] - p1[r1 + x0]);
            double c0 = c00 + fy * (c10 - c00);
            double c1 = c01 + fy * (c11 - c01);
            dst[i] = (float) (c0 + fz * (c1 - c0));
        }
    }
}
