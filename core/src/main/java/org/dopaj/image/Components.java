package org.dopaj.image;

import java.util.Arrays;
import org.dopaj.DopajException;

/**
 * 3D binary masks: connected components, hole filling and ball-shaped morphology (e.g. cleaning a brain
 * mask predicted by a network: keep the largest component, fill the ventricles, smooth with a closing).
 *
 * <p>Representation: a mask is a single-frame {@link Volume}; a voxel is foreground when its value is
 * non-zero and not NaN. Results are new volumes holding exactly 0 and 1 on the same grid. Internally one
 * byte per voxel (plus an int per voxel for labelling), no boxing.
 *
 * <p>Connectivity: 6 (faces), 18 (faces and edges) or 26 (faces, edges and corners) in 3D; 4 or 8 in 2D.
 * Morphology uses a Euclidean ball of radius r mm built from voxel-centre distances with the grid's voxel
 * sizes (anisotropic voxels give an anisotropic voxel ball), computed through the exact distance transform
 * ({@link DistanceTransform}) so large radii cost no more than small ones. The space outside the grid is
 * ignored (neither foreground nor background): erosion does not eat in from the volume edge and a closing
 * does not shrink a mask that touches it.
 */
public final class Components {
    /** Tolerance on squared distances (mm²) so that voxels exactly at distance r count as within the ball. */
    private static final double TOL = 1e-6;

    private Components() {
    }

    /**
     * Connected components of a mask.
     *
     * @param grid   the mask's grid
     * @param planes the live label planes (one int[] per z, x fastest): 0 background, 1…count the components,
     *               numbered in order of their first voxel in z, y, x scan order
     * @param count  number of components
     * @param sizes  voxels per label: sizes[0] is the background, sizes[l] the size of component l
     */
    public record Labels(Grid grid, int[][] planes, int count, long[] sizes) {
        public int get(int x, int y, int z) {
            return planes[z][y * grid.nx() + x];
        }

        /** The label with the most voxels (the first one on a tie), or 0 when there is none. */
        public int largest() {
            int best = 0;
            for (int l = 1; l <= count; l++) {
                if (best == 0 || sizes[l] > sizes[best]) {
                    best = l;
                }
            }
            return best;
        }

        /** Labels as float voxel values (exact up to 2²⁴ components). */
        public Volume toVolume() {
            Volume v = Volume.allocate(grid);
            for (int z = 0; z < grid.nz(); z++) {
                int[] s = planes[z];
                float[] d = v.plane(z);
                for (int i = 0; i < s.length; i++) {
                    d[i] = s[i];
                }
            }
            return v;
        }

        /** A 0/1 mask of the given labels. */
        public Volume mask(int... labels) {
            boolean[] keep = new boolean[count + 1];
            for (int l : labels) {
                if (l < 1 || l > count) {
                    throw new DopajException("component label " + l + " does not exist (1…" + count + ")");
                }
                keep[l] = true;
            }
            Volume v = Volume.allocate(grid);
            Parallel.chunks(grid.nz(), (from, to) -> {
                for (int z = from; z < to; z++) {
                    int[] s = planes[z];
                    float[] d = v.plane(z);
                    for (int i = 0; i < s.length; i++) {
                        d[i] = keep[s[i]] ? 1f : 0f;
                    }
                }
            });
            return v;
        }
    }

    /** Number of foreground voxels. */
    public static long count(Volume mask) {
        byte[][] b = bits(mask, "mask");
        long n = 0;
        for (byte[] p : b) {
            for (byte x : p) {
                n += x;
            }
        }
        return n;
    }

    /**
     * Labels the connected components of the foreground (two-pass union-find: provisional labels from the
     * already-scanned neighbours, then resolution to consecutive labels). Memory: one int per voxel plus one
     * int per provisional label.
     */
    public static Labels label(Volume mask, int connectivity) {
        byte[][] b = bits(mask, "mask");
        return label(b, mask.grid(), connectivity);
    }

    static Labels label(byte[][] b, Grid g, int connectivity) {
        int[][] offs = previousNeighbours(connectivity);
        int[][] afterLeft = notNeighboursOfLeft(offs, connectivity);
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        Memory.require(g.voxelCount() * Integer.BYTES, "a " + nx + "×" + ny + "×" + nz + " label image");
        int[][] lab = new int[nz][];
        for (int z = 0; z < nz; z++) {
            lab[z] = new int[nx * ny];
        }
        UnionFind uf = new UnionFind();
        for (int z = 0; z < nz; z++) {
            byte[] m = b[z];
            int[] l = lab[z];
            for (int y = 0; y < ny; y++) {
                for (int x = 0; x < nx; x++) {
                    int i = y * nx + x;
                    if (m[i] == 0) {
                        continue;
                    }
                    // when the left voxel is foreground it has already been joined to every earlier neighbour it
                    // shares with this voxel: only the others need looking at
                    boolean left = x > 0 && m[i - 1] != 0;
                    int cur = left ? l[i - 1] : 0;
                    for (int[] o : left ? afterLeft : offs) {
                        int xx = x + o[0];
                        int yy = y + o[1];
                        int zz = z + o[2];
                        if (xx < 0 || xx >= nx || yy < 0 || zz < 0 || (yy >= ny)) {
                            continue;
                        }
                        int nl = lab[zz][yy * nx + xx];
                        if (nl != 0) {
                            cur = cur == 0 ? nl : uf.union(cur, nl);
                        }
                    }
                    l[i] = cur == 0 ? uf.add() : cur;
                }
            }
        }
        // resolve: consecutive labels in order of first appearance
        int[] fin = new int[uf.size + 1];
        int count = 0;
        long[] sizes = new long[16];
        for (int z = 0; z < nz; z++) {
            int[] l = lab[z];
            for (int i = 0; i < l.length; i++) {
                int v = l[i];
                if (v == 0) {
                    sizes[0]++;
                    continue;
                }
                int r = uf.find(v);
                if (fin[r] == 0) {
                    fin[r] = ++count;
                    if (count >= sizes.length) {
                        sizes = Arrays.copyOf(sizes, sizes.length * 2);
                    }
                }
                int f = fin[r];
                l[i] = f;
                sizes[f]++;
            }
        }
        return new Labels(g, lab, count, Arrays.copyOf(sizes, count + 1));
    }

    /** The largest connected component as a 0/1 mask (empty mask in, empty mask out). */
    public static Volume largestComponent(Volume mask, int connectivity) {
        Labels l = label(mask, connectivity);
        if (l.count() == 0) {
            return Volume.allocate(mask.grid());
        }
        return l.mask(l.largest());
    }

    /**
     * Fills 3D holes: background voxels not connected to the border of the volume (through background voxels,
     * with {@code backgroundConnectivity}) become foreground. 6 is the usual choice (scipy's
     * binary_fill_holes default): it pairs with 26-connected foreground, and a diagonal gap does not let the
     * outside in.
     */
    public static Volume fillHoles(Volume mask, int backgroundConnectivity) {
        byte[][] b = bits(mask, "mask");
        Grid g = mask.grid();
        int[][] offs = neighbours3d(backgroundConnectivity);
        int nx = g.nx();
        int ny = g.ny();
        int nz = g.nz();
        if (g.voxelCount() > Integer.MAX_VALUE) {
            throw new DopajException("mask of " + g.voxelCount() + " voxels is too large for hole filling");
        }
        final byte outside = 2;
        IntQueue q = new IntQueue();
        int plane = nx * ny;
        // seeds: background voxels on the six faces
        for (int z = 0; z < nz; z++) {
            byte[] m = b[z];
            for (int y = 0; y < ny; y++) {
                boolean faceZY = z == 0 || z == nz - 1 || y == 0 || y == ny - 1;
                for (int x = 0; x < nx; x += (faceZY || x == nx - 1) ? 1 : nx - 1) {
                    int i = y * nx + x;
                    if (m[i] == 0) {
                        m[i] = outside;
                        q.add(z * plane + i);
                    }
                }
            }
        }
        while (!q.isEmpty()) {
            int idx = q.poll();
            int z = idx / plane;
            int i = idx - z * plane;
            int y = i / nx;
            int x = i - y * nx;
            for (int[] o : offs) {
                int xx = x + o[0];
                int yy = y + o[1];
                int zz = z + o[2];
                if (xx < 0 || yy < 0 || zz < 0 || xx >= nx || yy >= ny || zz >= nz) {
                    continue;
                }
                int j = yy * nx + xx;
                if (b[zz][j] == 0) {
                    b[zz][j] = outside;
                    q.add(zz * plane + j);
                }
            }
        }
        // everything not reached from outside is foreground
        Volume out = Volume.allocate(g);
        Parallel.chunks(nz, (from, to) -> {
            for (int z = from; z < to; z++) {
                byte[] m = b[z];
                float[] d = out.plane(z);
                for (int i = 0; i < m.length; i++) {
                    d[i] = m[i] == outside ? 0f : 1f;
                }
            }
        });
        return out;
    }

    /**
     * Fills holes slice by slice (each z plane on its own, background connected in-plane with
     * {@code backgroundConnectivity} 4 or 8 to the plane's border stays background): closes ventricles or
     * sulci that open to the outside only through other slices.
     */
    public static Volume fillHolesSliceWise(Volume mask, int backgroundConnectivity) {
        if (backgroundConnectivity != 4 && backgroundConnectivity != 8) {
            throw new DopajException("2D connectivity must be 4 or 8, got " + backgroundConnectivity);
        }
        byte[][] b = bits(mask, "mask");
        Grid g = mask.grid();
        int nx = g.nx();
        int ny = g.ny();
        Volume out = Volume.allocate(g);
        int[][] offs = backgroundConnectivity == 4
                ? new int[][]{{-1, 0}, {1, 0}, {0, -1}, {0, 1}}
                : new int[][]{{-1, 0}, {1, 0}, {0, -1}, {0, 1}, {-1, -1}, {1, -1}, {-1, 1}, {1, 1}};
        Parallel.chunks(g.nz(), (from, to) -> {
            IntQueue q = new IntQueue();
            for (int z = from; z < to; z++) {
                byte[] m = b[z];
                for (int y = 0; y < ny; y++) {
                    for (int x = 0; x < nx; x += (y == 0 || y == ny - 1 || x == nx - 1) ? 1 : nx - 1) {
                        int i = y * nx + x;
                        if (m[i] == 0) {
                            m[i] = 2;
                            q.add(i);
                        }
                    }
                }
                while (!q.isEmpty()) {
                    int i = q.poll();
                    int y = i / nx;
                    int x = i - y * nx;
                    for (int[] o : offs) {
                        int xx = x + o[0];
                        int yy = y + o[1];
                        if (xx < 0 || yy < 0 || xx >= nx || yy >= ny) {
                            continue;
                        }
                        int j = yy * nx + xx;
                        if (m[j] == 0) {
                            m[j] = 2;
                            q.add(j);
                        }
                    }
                }
                float[] d = out.plane(z);
                for (int i = 0; i < m.length; i++) {
                    d[i] = m[i] == 2 ? 0f : 1f;
                }
            }
        });
        return out;
    }

    /** Dilation by a ball of radius r mm: voxels within r mm (centre to centre) of the foreground. */
    public static Volume dilate(Volume mask, double radiusMm) {
        DistanceTransform.checkRadius(radiusMm);
        byte[][] b = bits(mask, "mask");
        return toVolume(dilate(b, mask.grid(), radiusMm), mask.grid());
    }

    /** Erosion by a ball of radius r mm: foreground voxels with no background voxel within r mm. */
    public static Volume erode(Volume mask, double radiusMm) {
        DistanceTransform.checkRadius(radiusMm);
        byte[][] b = bits(mask, "mask");
        return toVolume(erode(b, mask.grid(), radiusMm), mask.grid());
    }

    /** Closing (dilation then erosion) by a ball of radius r mm: fills gaps and dents narrower than the ball. */
    public static Volume close(Volume mask, double radiusMm) {
        DistanceTransform.checkRadius(radiusMm);
        byte[][] b = bits(mask, "mask");
        return toVolume(erode(dilate(b, mask.grid(), radiusMm), mask.grid(), radiusMm), mask.grid());
    }

    /** Opening (erosion then dilation) by a ball of radius r mm: removes spurs and bridges thinner than the ball. */
    public static Volume open(Volume mask, double radiusMm) {
        DistanceTransform.checkRadius(radiusMm);
        byte[][] b = bits(mask, "mask");
        return toVolume(dilate(erode(b, mask.grid(), radiusMm), mask.grid(), radiusMm), mask.grid());
    }

    private static byte[][] dilate(byte[][] b, Grid g, double r) {
        return threshold(DistanceTransform.squaredMm(b, g, false), r, true);
    }

    private static byte[][] erode(byte[][] b, Grid g, double r) {
        return threshold(DistanceTransform.squaredMm(b, g, true), r, false);
    }

    /** within: 1 where d² ≤ r² (dilation); otherwise 1 where d² > r² (erosion, d to the background). */
    private static byte[][] threshold(float[][] d2, double r, boolean within) {
        double lim = r * r + TOL * Math.max(1, r * r);
        Memory.require((long) d2.length * (d2.length == 0 ? 0 : d2[0].length), "a binary mask");
        byte[][] out = new byte[d2.length][];
        Parallel.chunks(d2.length, (from, to) -> {
            for (int z = from; z < to; z++) {
                float[] p = d2[z];
                byte[] o = new byte[p.length];
                for (int i = 0; i < p.length; i++) {
                    boolean in = p[i] <= lim;
                    o[i] = (byte) (in == within ? 1 : 0);
                }
                out[z] = o;
            }
        });
        return out;
    }

    /** The mask as bytes (1 foreground, 0 background), one plane per z; refuses a 4D mask. */
    static byte[][] bits(Volume mask, String what) {
        if (mask.nt() != 1) {
            throw new DopajException(what + " has " + mask.nt() + " frames: a mask must be a single 3D volume");
        }
        Grid g = mask.grid();
        Memory.require(g.voxelCount(), "a " + g.nx() + "×" + g.ny() + "×" + g.nz() + " binary mask");
        byte[][] b = new byte[g.nz()][];
        Parallel.chunks(g.nz(), (from, to) -> {
            for (int z = from; z < to; z++) {
                float[] p = mask.plane(z);
                byte[] o = new byte[p.length];
                for (int i = 0; i < p.length; i++) {
                    o[i] = Stats.inside(p[i]) ? (byte) 1 : 0;
                }
                b[z] = o;
            }
        });
        return b;
    }

    static Volume toVolume(byte[][] b, Grid g) {
        Volume v = Volume.allocate(g);
        Parallel.chunks(g.nz(), (from, to) -> {
            for (int z = from; z < to; z++) {
                byte[] s = b[z];
                float[] d = v.plane(z);
                for (int i = 0; i < s.length; i++) {
                    d[i] = s[i];
                }
            }
        });
        return v;
    }

    /** All neighbour offsets {dx,dy,dz} for 6, 18 or 26 connectivity. */
    static int[][] neighbours3d(int connectivity) {
        int maxNonZero = switch (connectivity) {
            case 6 -> 1;
            case 18 -> 2;
            case 26 -> 3;
            default -> throw new DopajException("3D connectivity must be 6, 18 or 26, got " + connectivity);
        };
        int[][] o = new int[connectivity][];
        int k = 0;
        for (int dz = -1; dz <= 1; dz++) {
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nz = Math.abs(dx) + Math.abs(dy) + Math.abs(dz);
                    if (nz > 0 && nz <= maxNonZero) {
                        o[k++] = new int[]{dx, dy, dz};
                    }
                }
            }
        }
        return o;
    }

    /** The neighbours already visited in z, y, x scan order (half of the full set). */
    static int[][] previousNeighbours(int connectivity) {
        int[][] all = neighbours3d(connectivity);
        int[][] prev = new int[all.length / 2][];
        int k = 0;
        for (int[] o : all) {
            if (o[2] < 0 || (o[2] == 0 && o[1] < 0) || (o[2] == 0 && o[1] == 0 && o[0] < 0)) {
                prev[k++] = o;
            }
        }
        return prev;
    }

    /**
     * The earlier neighbours of a voxel that are not also neighbours of its left voxel (x−1), excluding the
     * left voxel itself.
     */
    static int[][] notNeighboursOfLeft(int[][] prev, int connectivity) {
        int limit = connectivity == 6 ? 1 : connectivity == 18 ? 2 : 3;
        java.util.List<int[]> keep = new java.util.ArrayList<>();
        for (int[] o : prev) {
            if (o[0] == -1 && o[1] == 0 && o[2] == 0) {
                continue;
            }
            int dx = o[0] + 1;
            boolean sharedWithLeft = Math.abs(dx) <= 1 && Math.abs(dx) + Math.abs(o[1]) + Math.abs(o[2]) <= limit
                    && (dx != 0 || o[1] != 0 || o[2] != 0);
            if (!sharedWithLeft) {
                keep.add(o);
            }
        }
        return keep.toArray(new int[0][]);
    }

    /** Union-find over provisional labels 1…size; the root of a set is its smallest label. */
    private static final class UnionFind {
        int[] parent = new int[1024];
        int size;

        int add() {
            size++;
            if (size >= parent.length) {
                long n = 2L * parent.length;
                if (n > Integer.MAX_VALUE - 8) {
                    throw new DopajException("too many provisional components to label");
                }
                Memory.require(n * Integer.BYTES, "component labelling tables");
                parent = Arrays.copyOf(parent, (int) n);
            }
            parent[size] = size;
            return size;
        }

        int find(int a) {
            while (parent[a] != a) {
                parent[a] = parent[parent[a]];
                a = parent[a];
            }
            return a;
        }

        int union(int a, int b) {
            int ra = find(a);
            int rb = find(b);
            if (ra == rb) {
                return ra;
            }
            if (ra < rb) {
                parent[rb] = ra;
                return ra;
            }
            parent[ra] = rb;
            return rb;
        }
    }

    /** A growable ring buffer of ints for breadth-first flooding. */
    private static final class IntQueue {
        int[] a = new int[4096];
        int head;
        int tail;
        int n;

        void add(int v) {
            if (n == a.length) {
                int[] b = new int[a.length * 2];
                for (int i = 0; i < n; i++) {
                    b[i] = a[(head + i) % a.length];
                }
                a = b;
                head = 0;
                tail = n;
            }
            a[tail] = v;
            tail = (tail + 1) % a.length;
            n++;
        }

        int poll() {
            int v = a[head];
            head = (head + 1) % a.length;
            n--;
            return v;
        }

        boolean isEmpty() {
            return n == 0;
        }
    }
}
