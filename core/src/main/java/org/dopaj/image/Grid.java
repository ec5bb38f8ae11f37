package org.dopaj.image;

import java.util.Arrays;
import org.dopaj.DopajException;

/**
 * Where the voxels of a 3D volume sit in scanner space: dimensions, voxel size in mm and the
 * voxel→mm affine (NIfTI convention: voxel (i,j,k) = ImageJ (x,y,z) maps to affine·(i,j,k,1)).
 * Immutable.
 */
public final class Grid {
    private final int nx;
    private final int ny;
    private final int nz;
    private final double[] voxelMm;
    private final double[][] affine;

    /**
     * @param affine 4×4 voxel→mm matrix (copied); its last row must be 0 0 0 1
     * @param voxelMm voxel size along i, j, k in mm (usually the column norms of the affine, but kept as the
     *                file says, e.g. NIfTI pixdim)
     */
    public Grid(int nx, int ny, int nz, double[] voxelMm, double[][] affine) {
        if (nx <= 0 || ny <= 0 || nz <= 0) {
            throw new DopajException("grid dimensions must be positive, got " + nx + "×" + ny + "×" + nz);
        }
        Memory.voxels(nx, ny, nz);
        if (voxelMm.length != 3) {
            throw new IllegalArgumentException("voxelMm needs 3 values");
        }
        for (double v : voxelMm) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new DopajException("voxel size must be positive and finite, got " + Arrays.toString(voxelMm));
            }
        }
        if (affine.length != 4) {
            throw new IllegalArgumentException("affine must be 4×4");
        }
        this.affine = new double[4][];
        for (int r = 0; r < 4; r++) {
            if (affine[r].length != 4) {
                throw new IllegalArgumentException("affine must be 4×4");
            }
            for (double v : affine[r]) {
                if (!Double.isFinite(v)) {
                    throw new DopajException("affine has a non-finite entry: " + Arrays.deepToString(affine));
                }
            }
            this.affine[r] = affine[r].clone();
        }
        this.nx = nx;
        this.ny = ny;
        this.nz = nz;
        this.voxelMm = voxelMm.clone();
    }

    /** A grid with a diagonal affine (+x = R, +y = A, +z = S) and the origin at voxel (0,0,0). */
    public static Grid of(int nx, int ny, int nz, double vx, double vy, double vz) {
        double[][] a = {{vx, 0, 0, 0}, {0, vy, 0, 0}, {0, 0, vz, 0}, {0, 0, 0, 1}};
        return new Grid(nx, ny, nz, new double[]{vx, vy, vz}, a);
    }

    /** The same dimensions and affine with the voxel size taken from the affine's column norms. */
    public static Grid fromAffine(int nx, int ny, int nz, double[][] affine) {
        double[] v = new double[3];
        for (int c = 0; c < 3; c++) {
            v[c] = Math.sqrt(affine[0][c] * affine[0][c] + affine[1][c] * affine[1][c] + affine[2][c] * affine[2][c]);
        }
        return new Grid(nx, ny, nz, v, affine);
    }

    public int nx() {
        return nx;
    }

    public int ny() {
        return ny;
    }

    public int nz() {
        return nz;
    }

    public int[] dims() {
        return new int[]{nx, ny, nz};
    }

    /** nx·ny·nz. */
    public long voxelCount() {
        return (long) nx * ny * nz;
    }

    public double[] voxelMm() {
        return voxelMm.clone();
    }

    /** Volume of one voxel in mm³. */
    public double voxelVolumeMm3() {
        return voxelMm[0] * voxelMm[1] * voxelMm[2];
    }

    /** A copy of the 4×4 voxel→mm affine. */
    public double[][] affine() {
        double[][] a = new double[4][];
        for (int r = 0; r < 4; r++) {
            a[r] = affine[r].clone();
        }
        return a;
    }

    /** Scanner mm of voxel (i,j,k) (fractional allowed). */
    public double[] toMm(double i, double j, double k) {
        double[] p = new double[3];
        for (int r = 0; r < 3; r++) {
            p[r] = affine[r][0] * i + affine[r][1] * j + affine[r][2] * k + affine[r][3];
        }
        return p;
    }

    /** Fractional voxel coordinates of scanner position (x,y,z) in mm. */
    public double[] toVoxel(double x, double y, double z) {
        double[][] inv = Affines.invert(affine);
        double[] v = new double[3];
        for (int r = 0; r < 3; r++) {
            v[r] = inv[r][0] * x + inv[r][1] * y + inv[r][2] * z + inv[r][3];
        }
        return v;
    }

    /** True when voxel (i,j,k) (fractional, voxel centres at integers) lies inside the grid. */
    public boolean contains(double i, double j, double k) {
        return i >= -0.5 && j >= -0.5 && k >= -0.5 && i <= nx - 0.5 && j <= ny - 0.5 && k <= nz - 0.5;
    }

    /** Three-letter orientation code (e.g. RAS, LAS, LPI): the anatomical direction of +i, +j, +k. */
    public String orientation() {
        return Affines.orientation(affine);
    }

    /** This grid with other dimensions and the same affine (e.g. after a crop that starts at voxel 0). */
    public Grid withDims(int nx, int ny, int nz) {
        return new Grid(nx, ny, nz, voxelMm, affine);
    }

    /** This grid with another affine (voxel size recomputed from it). */
    public Grid withAffine(double[][] affine) {
        return fromAffine(nx, ny, nz, affine);
    }

    /** Same dimensions, and affines equal within {@code tolMm}. */
    public boolean sameAs(Grid o, double tolMm) {
        if (o.nx != nx || o.ny != ny || o.nz != nz) {
            return false;
        }
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 4; c++) {
                if (Math.abs(o.affine[r][c] - affine[r][c]) > tolMm) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return String.format("%d×%d×%d @ %.4g×%.4g×%.4g mm %s", nx, ny, nz, voxelMm[0], voxelMm[1], voxelMm[2],
                orientation());
    }
}
