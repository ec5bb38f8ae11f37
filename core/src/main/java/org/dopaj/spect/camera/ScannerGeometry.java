package org.dopaj.spect.camera;

import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Where the object sits in the camera, and the working crop the projector and the reconstructions use.
 *
 * <p>Scanner space (mm): z is the rotation axis, x and y are transaxial, the origin lies on the rotation axis at the
 * centre of the detector's rows. The camera's matrix of N×N bins (N = {@code matrix}) is centred on the axis: bin b
 * and transaxial voxel index i sit at (b − (N−1)/2)·v, detector row k and slice k at z = (k − (N−1)/2)·v.
 *
 * <p>Only the part that holds the object is worked on: an m×m transaxial crop centred on the axis (m even, so its
 * centre falls on the axis like the full matrix's) whose inscribed circle holds the object plus a margin, and the
 * rows {@code rowLo … rowLo + nz − 1} that hold the object plus the same margin. A crop image is an array of z-runs,
 * {@code img[y·m + x][z]}, so that the transaxial rotations of the projector move whole runs of rows at once.
 */
final class ScannerGeometry {
    /** Margin around the object for blur and scatter halo, mm (at least 3 voxels). */
    static final double MARGIN_MM = 16;

    final int matrix;
    final double voxelMm;
    /** Crop size (even) and the crop's centre (m − 1)/2, in voxels. */
    final int m;
    final double c;
    /** First bin of the crop in the full matrix: (matrix − m)/2. */
    final int off;
    /** First detector row and number of rows worked on. */
    final int rowLo;
    final int nz;
    /** Radius in voxels of the circle (about the axis) that is projected and reconstructed: c − 1. */
    final double radiusVox;
    /** Largest distance of the object from the rotation axis, mm. */
    final double objectRadiusMm;

    private ScannerGeometry(int matrix, double voxelMm, int m, int rowLo, int nz, double objectRadiusMm) {
        this.matrix = matrix;
        this.voxelMm = voxelMm;
        this.m = m;
        this.c = (m - 1) / 2.0;
        this.off = (matrix - m) / 2;
        this.rowLo = rowLo;
        this.nz = nz;
        this.radiusVox = c - 1;
        this.objectRadiusMm = objectRadiusMm;
    }

    /** For tests: a geometry of given crop and rows. */
    static ScannerGeometry of(int matrix, double voxelMm, int m, int rowLo, int nz) {
        return new ScannerGeometry(matrix, voxelMm, m, rowLo, nz, (m / 2.0 - 1.5) * voxelMm);
    }

    /**
     * The geometry for an object whose voxels with activity or μ above zero are moved into the scanner by
     * {@code patientToScanner}: the crop holds its largest distance from the axis plus {@link #MARGIN_MM}, the rows
     * its axial extent plus the same margin or two standard deviations of the collimator blur at the farthest depth,
     * whichever is larger, both within the camera's matrix (what falls outside is not seen).
     */
    static ScannerGeometry forObject(Volume activity, Volume mu, double[][] patientToScanner, int matrix,
                                     double voxelMm, double radiusOfRotationMm, Collimator collimator) {
        Grid g = activity.grid();
        double[][] a = Affines.multiply(patientToScanner, g.affine());
        double r2max = -1;
        double zmin = Double.POSITIVE_INFINITY;
        double zmax = Double.NEGATIVE_INFINITY;
        int nx = g.nx();
        for (int z = 0; z < g.nz(); z++) {
            float[] ap = activity.plane(z);
            float[] mp = mu == null ? null : mu.plane(z);
            for (int y = 0; y < g.ny(); y++) {
                double bx = a[0][1] * y + a[0][2] * z + a[0][3];
                double by = a[1][1] * y + a[1][2] * z + a[1][3];
                double bz = a[2][1] * y + a[2][2] * z + a[2][3];
                int row = y * nx;
                for (int x = 0; x < nx; x++) {
                    if (ap[row + x] > 0 || (mp != null && mp[row + x] > 0)) {
                        double sx = bx + a[0][0] * x;
                        double sy = by + a[1][0] * x;
                        double sz = bz + a[2][0] * x;
                        r2max = Math.max(r2max, sx * sx + sy * sy);
                        zmin = Math.min(zmin, sz);
                        zmax = Math.max(zmax, sz);
                    }
                }
            }
        }
        if (r2max < 0) {
            throw new DopajException("camera: the activity volume is empty (no voxel above 0)");
        }
        double[] vs = g.voxelMm();
        double halfDiag = 0.5 * Math.sqrt(vs[0] * vs[0] + vs[1] * vs[1] + vs[2] * vs[2]);
        double rObj = Math.sqrt(r2max) + halfDiag;
        if (rObj > radiusOfRotationMm - 5) {
            throw new DopajException(String.format("camera: the head reaches %.0f mm from the rotation axis, too close "
                    + "to the collimator at a radius of rotation of %.0f mm", rObj, radiusOfRotationMm));
        }
        double margin = Math.max(MARGIN_MM, 3 * voxelMm);
        // inscribed circle c − 1 = m/2 − 1.5 voxels must hold the object and the margin
        int m = 2 * (int) Math.ceil((rObj + margin) / voxelMm + 1.5);
        m = Math.min(m, matrix);
        double half = (matrix - 1) / 2.0;
        // axially, the collimator blur of the farthest point must fit in the margin too (2σ)
        double axialMargin = Math.max(margin,
                2 * collimator.fwhmMm(radiusOfRotationMm + rObj) / (2 * Math.sqrt(2 * Math.log(2))));
        int lo = (int) Math.floor((zmin - halfDiag - axialMargin) / voxelMm + half);
        int hi = (int) Math.ceil((zmax + halfDiag + axialMargin) / voxelMm + half);
        lo = Math.max(0, lo);
        hi = Math.min(matrix - 1, hi);
        if (hi < lo) {
            throw new DopajException("camera: the head lies outside the camera's axial field of view");
        }
        return new ScannerGeometry(matrix, voxelMm, m, lo, hi - lo + 1, rObj);
    }

    /**
     * The same rows on a wider crop of {@code wider} voxels (even, at most the matrix), for reconstructions whose field
     * of view reaches beyond the object.
     */
    ScannerGeometry widened(int wider) {
        int w = Math.min(matrix, Math.max(m, wider + (wider & 1)));
        return new ScannerGeometry(matrix, voxelMm, w, rowLo, nz, objectRadiusMm);
    }

    /** A crop image of this geometry copied, centred, into the crop of the wider geometry {@code g}. */
    float[][] embed(float[][] img, ScannerGeometry g) {
        float[][] out = g.newImage();
        int d = (g.m - m) / 2;
        for (int y = 0; y < m; y++) {
            for (int x = 0; x < m; x++) {
                System.arraycopy(img[y * m + x], 0, out[(y + d) * g.m + x + d], 0, nz);
            }
        }
        return out;
    }

    /** The central part of a crop image of the wider geometry {@code g} that this geometry covers (shared runs). */
    float[][] extract(float[][] img, ScannerGeometry g) {
        float[][] out = new float[m * m][];
        int d = (g.m - m) / 2;
        for (int y = 0; y < m; y++) {
            for (int x = 0; x < m; x++) {
                out[y * m + x] = img[(y + d) * g.m + x + d];
            }
        }
        return out;
    }

    /** Crop voxel (x, y, z) → scanner mm, as a 4×4 affine. */
    double[][] cropToScanner() {
        double v = voxelMm;
        double half = (matrix - 1) / 2.0;
        return new double[][]{{v, 0, 0, -c * v}, {0, v, 0, -c * v}, {0, 0, v, (rowLo - half) * v}, {0, 0, 0, 1}};
    }

    /** The output grid: the full N×N matrix, rows rowLo…, voxel → scanner mm. */
    Grid outputGrid() {
        double v = voxelMm;
        double half = (matrix - 1) / 2.0;
        double[][] a = {{v, 0, 0, -half * v}, {0, v, 0, -half * v}, {0, 0, v, (rowLo - half) * v}, {0, 0, 0, 1}};
        return new Grid(matrix, matrix, nz, new double[]{v, v, v}, a);
    }

    /** A zero crop image: m·m runs of nz. */
    float[][] newImage() {
        return new float[m * m][nz];
    }

    /**
     * Samples activity and μ (same grid) into crop arrays (z fastest), averaging ss³ trilinear samples per crop voxel
     * (ss = ⌈v / source voxel⌉), i.e. integrating over the voxel rather than point-sampling a finer image, so counts
     * are kept and small structures do not alias. Crop voxels outside the working circle stay 0.
     *
     * @param act crop image for the activity
     * @param muOut crop image for μ, or null
     */
    void sample(Volume activity, Volume mu, double[][] patientToScanner, float[][] act, float[][] muOut) {
        Grid g = activity.grid();
        double[][] m4 = Affines.multiply(Affines.invert(Affines.multiply(patientToScanner, g.affine())),
                cropToScanner());
        double[] sv = g.voxelMm();
        int ss = (int) Math.max(1, Math.ceil(voxelMm / Math.min(sv[0], Math.min(sv[1], sv[2])) - 1e-6));
        int nsub = ss * ss * ss;
        double[] sub = new double[ss];
        for (int k = 0; k < ss; k++) {
            sub[k] = (k + 0.5) / ss - 0.5;
        }
        float[][] ap = activity.planes();
        float[][] mp = mu == null ? null : mu.planes();
        int snx = g.nx();
        int sny = g.ny();
        int snz = g.nz();
        double r2 = radiusVox * radiusVox;
        float inv = 1f / nsub;
        // source position of crop voxel (x, y, z) and sub-sample (a, b, e): p0 + x·ex + y·ey + z·ez + sub offsets
        double[] ex = {m4[0][0], m4[1][0], m4[2][0]};
        double[] ey = {m4[0][1], m4[1][1], m4[2][1]};
        double[] ez = {m4[0][2], m4[1][2], m4[2][2]};
        double[][] subOff = new double[nsub][3];
        int q = 0;
        for (int kz = 0; kz < ss; kz++) {
            for (int ky = 0; ky < ss; ky++) {
                for (int kx = 0; kx < ss; kx++) {
                    for (int r = 0; r < 3; r++) {
                        subOff[q][r] = m4[r][3] + ex[r] * sub[kx] + ey[r] * sub[ky] + ez[r] * sub[kz];
                    }
                    q++;
                }
            }
        }
        for (int y = 0; y < m; y++) {
            for (int x = 0; x < m; x++) {
                double dx = x - c;
                double dy = y - c;
                if (dx * dx + dy * dy > r2) {
                    continue;
                }
                float[] ar = act[y * m + x];
                float[] mr = muOut == null ? null : muOut[y * m + x];
                double bx = ex[0] * x + ey[0] * y;
                double by = ex[1] * x + ey[1] * y;
                double bz = ex[2] * x + ey[2] * y;
                for (int z = 0; z < nz; z++) {
                    double sa = 0;
                    double sm = 0;
                    double zx = bx + ez[0] * z;
                    double zy = by + ez[1] * z;
                    double zz = bz + ez[2] * z;
                    for (double[] o : subOff) {
                        double px = zx + o[0];
                        double py = zy + o[1];
                        double pz = zz + o[2];
                        sa += trilinear(ap, snx, sny, snz, px, py, pz);
                        if (mp != null) {
                            sm += trilinear(mp, snx, sny, snz, px, py, pz);
                        }
                    }
                    ar[z] = (float) sa * inv;
                    if (mr != null) {
                        mr[z] = (float) sm * inv;
                    }
                }
            }
        }
    }

    /** Trilinear value at source voxel (x, y, z); voxels outside the source are 0 (air). */
    private static double trilinear(float[][] p, int nx, int ny, int nz, double x, double y, double z) {
        if (x <= -1 || y <= -1 || z <= -1 || x >= nx || y >= ny || z >= nz) {
            return 0;
        }
        int x0 = (int) Math.floor(x);
        int y0 = (int) Math.floor(y);
        int z0 = (int) Math.floor(z);
        double fx = x - x0;
        double fy = y - y0;
        double fz = z - z0;
        if (x0 >= 0 && y0 >= 0 && z0 >= 0 && x0 < nx - 1 && y0 < ny - 1 && z0 < nz - 1) {
            // all eight neighbours exist
            float[] p0 = p[z0];
            float[] p1 = p[z0 + 1];
            int i00 = y0 * nx + x0;
            int i10 = i00 + nx;
            double a0 = p0[i00] + fx * (p0[i00 + 1] - p0[i00]);
            double a1 = p0[i10] + fx * (p0[i10 + 1] - p0[i10]);
            double b0 = p1[i00] + fx * (p1[i00 + 1] - p1[i00]);
            double b1 = p1[i10] + fx * (p1[i10 + 1] - p1[i10]);
            double a = a0 + fy * (a1 - a0);
            double b = b0 + fy * (b1 - b0);
            return a + fz * (b - a);
        }
        double v = 0;
        for (int dz = 0; dz < 2; dz++) {
            int zz = z0 + dz;
            if (zz < 0 || zz >= nz) {
                continue;
            }
            double wz = dz == 0 ? 1 - fz : fz;
            float[] pl = p[zz];
            for (int dy = 0; dy < 2; dy++) {
                int yy = y0 + dy;
                if (yy < 0 || yy >= ny) {
                    continue;
                }
                double wyz = wz * (dy == 0 ? 1 - fy : fy);
                int row = yy * nx;
                if (x0 >= 0) {
                    v += wyz * (1 - fx) * pl[row + x0];
                }
                if (x0 + 1 < nx) {
                    v += wyz * fx * pl[row + x0 + 1];
                }
            }
        }
        return v;
    }
}
