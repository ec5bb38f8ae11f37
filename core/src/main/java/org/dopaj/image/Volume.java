package org.dopaj.image;

import org.dopaj.DopajException;

/**
 * Float voxels on a {@link Grid}, possibly with several frames (4D). Voxels are stored as one
 * {@code float[]} plane per (z, t), x fastest, in ImageJ stack order (plane index t·nz + z), so an
 * ImageJ 32-bit stack and an imglib2 {@code PlanarImg} can share the same arrays without copying.
 */
public final class Volume {
    private final Grid grid;
    private final int nt;
    private final float[][] planes;

    /** Wraps the given planes (not copied): {@code planes.length == nz·nt}, each of length nx·ny. */
    public Volume(Grid grid, int nt, float[][] planes) {
        if (nt <= 0) {
            throw new DopajException("number of frames must be positive, got " + nt);
        }
        long n = (long) grid.nz() * nt;
        if (planes.length != n) {
            throw new IllegalArgumentException("expected " + n + " planes, got " + planes.length);
        }
        int len = grid.nx() * grid.ny();
        for (float[] p : planes) {
            if (p == null || p.length != len) {
                throw new IllegalArgumentException("every plane must hold nx·ny = " + len + " voxels");
            }
        }
        this.grid = grid;
        this.nt = nt;
        this.planes = planes;
    }

    /** A single-frame volume wrapping the given planes. */
    public Volume(Grid grid, float[][] planes) {
        this(grid, 1, planes);
    }

    /** A zero-filled volume, refused with a clear message when it cannot fit in memory. */
    public static Volume allocate(Grid grid, int nt) {
        long planeLen = (long) grid.nx() * grid.ny();
        if (planeLen > Integer.MAX_VALUE - 8) {
            throw new DopajException("a slice of " + grid.nx() + "×" + grid.ny() + " voxels is too large for one array");
        }
        long bytes = Memory.voxels(grid.nx(), grid.ny(), grid.nz(), nt) * Float.BYTES;
        Memory.require(bytes, "a " + grid.nx() + "×" + grid.ny() + "×" + grid.nz() + (nt > 1 ? "×" + nt : "") + " float volume");
        float[][] planes = new float[grid.nz() * nt][];
        for (int i = 0; i < planes.length; i++) {
            planes[i] = new float[(int) planeLen];
        }
        return new Volume(grid, nt, planes);
    }

    public static Volume allocate(Grid grid) {
        return allocate(grid, 1);
    }

    /** A single-frame volume from x-fastest voxels (copied). */
    public static Volume of(Grid grid, float[] xyz) {
        long n = grid.voxelCount();
        if (xyz.length != n) {
            throw new IllegalArgumentException("expected " + n + " voxels, got " + xyz.length);
        }
        Volume v = allocate(grid);
        int len = grid.nx() * grid.ny();
        for (int z = 0; z < grid.nz(); z++) {
            System.arraycopy(xyz, z * len, v.planes[z], 0, len);
        }
        return v;
    }

    public Grid grid() {
        return grid;
    }

    /**
     * This volume as an imglib2 image over the same arrays (no copy; dims [nx, ny, nz] or [nx, ny, nz, nt]): the
     * imglib2 face of the volume, for imglib2 algorithms and scripts (see the package comment).
     */
    public net.imglib2.img.planar.PlanarImg<net.imglib2.type.numeric.real.FloatType,
            net.imglib2.img.basictypeaccess.array.FloatArray> img() {
        return Imglib2.wrap(this);
    }

    public int nx() {
        return grid.nx();
    }

    public int ny() {
        return grid.ny();
    }

    public int nz() {
        return grid.nz();
    }

    /** Number of frames (1 for a 3D volume). */
    public int nt() {
        return nt;
    }

    public boolean is4D() {
        return nt > 1;
    }

    public float get(int x, int y, int z) {
        return planes[z][x + y * grid.nx()];
    }

    public float get(int x, int y, int z, int t) {
        return planes[t * grid.nz() + z][x + y * grid.nx()];
    }

    public void set(int x, int y, int z, float v) {
        planes[z][x + y * grid.nx()] = v;
    }

    public void set(int x, int y, int z, int t, float v) {
        planes[t * grid.nz() + z][x + y * grid.nx()] = v;
    }

    /** The live plane z of frame 0 (x fastest). */
    public float[] plane(int z) {
        return planes[z];
    }

    /** The live plane z of frame t. */
    public float[] plane(int z, int t) {
        return planes[t * grid.nz() + z];
    }

    /** The live plane arrays, in ImageJ stack order t·nz + z. */
    public float[][] planes() {
        return planes;
    }

    /** Frame t as a 3D volume sharing this volume's arrays. */
    public Volume frame(int t) {
        if (t < 0 || t >= nt) {
            throw new DopajException("frame " + t + " does not exist: the volume has " + nt + " frame(s)");
        }
        float[][] p = new float[grid.nz()][];
        System.arraycopy(planes, t * grid.nz(), p, 0, grid.nz());
        return new Volume(grid, 1, p);
    }

    /** This volume's voxels on another grid of the same dimensions (e.g. a corrected affine), sharing arrays. */
    public Volume withGrid(Grid g) {
        if (g.nx() != grid.nx() || g.ny() != grid.ny() || g.nz() != grid.nz()) {
            throw new IllegalArgumentException("grid dimensions differ");
        }
        return new Volume(g, nt, planes);
    }

    /** A deep copy. */
    public Volume copy() {
        Volume v = allocate(grid, nt);
        for (int i = 0; i < planes.length; i++) {
            System.arraycopy(planes[i], 0, v.planes[i], 0, planes[i].length);
        }
        return v;
    }

    /** All voxels of frame 0 as one x-fastest array (a copy). */
    public float[] toArray() {
        long n = grid.voxelCount();
        if (n > Integer.MAX_VALUE - 8) {
            throw new DopajException("volume too large for one array");
        }
        float[] a = new float[(int) n];
        int len = grid.nx() * grid.ny();
        for (int z = 0; z < grid.nz(); z++) {
            System.arraycopy(planes[z], 0, a, z * len, len);
        }
        return a;
    }

    /** Position and value of the first NaN or infinite voxel, or null when all are finite. */
    public String firstNonFinite() {
        int nx = grid.nx();
        for (int i = 0; i < planes.length; i++) {
            float[] p = planes[i];
            for (int k = 0; k < p.length; k++) {
                if (!Float.isFinite(p[k])) {
                    int z = i % grid.nz();
                    int t = i / grid.nz();
                    return String.format("%s at voxel (%d,%d,%d%s)", Float.toString(p[k]), k % nx, k / nx, z,
                            nt > 1 ? "," + t : "");
                }
            }
        }
        return null;
    }

    /** Refuses a volume with NaN or infinite voxels, naming what it is and where the first one is. */
    public Volume requireFinite(String what) {
        String bad = firstNonFinite();
        if (bad != null) {
            throw new DopajException(what + " contains non-finite voxels (first: " + bad + ")");
        }
        return this;
    }

    @Override
    public String toString() {
        return "Volume[" + grid + (nt > 1 ? ", " + nt + " frames" : "") + "]";
    }
}
