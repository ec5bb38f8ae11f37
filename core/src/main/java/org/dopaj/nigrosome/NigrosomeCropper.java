package org.dopaj.nigrosome;

import java.util.List;
import java.util.Locale;
import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.dopaj.image.CropPad;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;

/**
 * Cuts the patch around each nigrosome-1 centroid that the SBR regression network reads (Bae et al. 2023:
 * 50×50×20 voxels of 0.5×0.5×1 mm from 3 T SMWI).
 *
 * <p>Crop convention (DESIGN §5): the centroid c sits at 0-based crop index (sx/2, sy/2, sz/2) = (25,25,10), so
 * crop voxel (u,v,w) is input position c + ((u−25)·s<sub>x</sub>, (v−25)·s<sub>y</sub>, (w−10)·s<sub>z</sub>)
 * in input voxels, with s = model voxel size / input voxel size per axis; on the model's grid the crop spans
 * c−25…c+24 in-plane and c−10…c+9 through-plane. The crop's axes follow the input's voxel axes (same direction
 * cosines; the model expects axial slices, i.e. k through-plane), its voxel size is the model's, and its affine
 * maps the centre index to the centroid in scanner mm.
 *
 * <p>Two paths: when the input voxel size (the affine's column norms) equals the model's within
 * {@link #VOXEL_SIZE_TOLERANCE_MM} and the centroid is a voxel centre, voxels are copied as they are
 * ({@link CropPad#centred}); otherwise the crop grid is sampled trilinearly ({@link Resample#toGrid}).
 *
 * <p>Padding: crop voxels outside the input (further than half a voxel beyond its edge voxels) get the
 * {@link Padding} value. The default, {@link Padding#CROP_MEAN}, is the mean of the crop voxels that do lie
 * inside: SMWI tissue around the midbrain is never black, so a zero slab would be a strong edge the network never
 * saw in training, while the local mean adds the least spurious contrast (and becomes ≈0 after z-scoring).
 * {@link Padding#ZERO} is there for models trained with zero padding. A crop of which less than
 * {@link #MIN_INSIDE_FRACTION} lies inside the image is refused: it would be mostly invented.
 */
public final class NigrosomeCropper {
    /** Voxel sizes closer than this (mm) count as equal: the crop is then copied without interpolation. */
    public static final double VOXEL_SIZE_TOLERANCE_MM = 1e-3;
    /** Smallest accepted fraction of crop voxels inside the image. */
    public static final double MIN_INSIDE_FRACTION = 0.5;

    /** What the crop voxels outside the input image are set to. */
    public enum Padding {
        /** 0. */
        ZERO,
        /** Mean of the crop voxels inside the image (the default). */
        CROP_MEAN
    }

    private final int[] size;
    private final double[] voxelMm;
    private final Padding padding;

    /** The published model's crop: 50×50×20 voxels of 0.5×0.5×1 mm, padded with the crop mean. */
    public NigrosomeCropper() {
        this(50, 50, 20, 0.5, 0.5, 1.0, Padding.CROP_MEAN);
    }

    /** A crop of sx×sy×sz voxels of vx×vy×vz mm (a model trained on another grid). */
    public NigrosomeCropper(int sx, int sy, int sz, double vx, double vy, double vz, Padding padding) {
        if (sx <= 0 || sy <= 0 || sz <= 0) {
            throw new DopajException("crop_size must be positive, got " + sx + "×" + sy + "×" + sz);
        }
        for (double v : new double[]{vx, vy, vz}) {
            if (!(v > 0) || !Double.isFinite(v)) {
                throw new DopajException("crop voxel_size must be positive mm values, got " + vx + ", " + vy + ", " + vz);
            }
        }
        if (padding == null) {
            throw new DopajException("padding must be ZERO or CROP_MEAN");
        }
        this.size = new int[]{sx, sy, sz};
        this.voxelMm = new double[]{vx, vy, vz};
        this.padding = padding;
    }

    public int[] size() {
        return size.clone();
    }

    public double[] voxelMm() {
        return voxelMm.clone();
    }

    public Padding padding() {
        return padding;
    }

    /** The crop index of the centroid: (sx/2, sy/2, sz/2) with integer division, (25,25,10) by default. */
    public int[] centreIndex() {
        return new int[]{size[0] / 2, size[1] / 2, size[2] / 2};
    }

    /**
     * Which input axis each crop axis follows, and in which sense: {@code {p0, p1, p2, s0, s1, s2}}. An axial image
     * (its third voxel axis is the one closest to scanner S) keeps its axes as they are: {@code {0, 1, 2, 1, 1, 1}}. A
     * sagittal or coronal slab is reoriented so the crop is axial, as the models were trained: crop axis 2 follows the
     * input axis closest to S, crop axis 0 the remaining one closest to scanner x, and each points toward +x (R), +y (A)
     * and +z (S) — the RAS layout of DopaJ's phantoms.
     */
    public static int[] axisOrder(Grid input) {
        double[][] a = input.affine();
        double[] norm = columnNorms(a);
        int kz = 0;
        for (int c = 1; c < 3; c++) {
            if (Math.abs(a[2][c]) / norm[c] > Math.abs(a[2][kz]) / norm[kz]) {
                kz = c;
            }
        }
        if (kz == 2) {
            return new int[]{0, 1, 2, 1, 1, 1};
        }
        int o1 = (kz + 1) % 3;
        int o2 = (kz + 2) % 3;
        int kx = Math.abs(a[0][o1]) / norm[o1] >= Math.abs(a[0][o2]) / norm[o2] ? o1 : o2;
        int ky = kx == o1 ? o2 : o1;
        int[] p = {kx, ky, kz};
        int[] o = new int[6];
        for (int i = 0; i < 3; i++) {
            o[i] = p[i];
            o[3 + i] = a[i][p[i]] >= 0 ? 1 : -1;
        }
        return o;
    }

    /** {@code true} when the crop keeps the input's axes ({@link #axisOrder}: its slices are already axial). */
    public static boolean isAxial(Grid input) {
        return axisOrder(input)[2] == 2;
    }

    /**
     * The crop's grid for a centroid at (fractional) voxel {@code c} of {@code input}: the input's axis directions
     * (permuted to axial for a sagittal or coronal slab, {@link #axisOrder}), the model's voxel size, and the centre
     * index at the centroid's scanner position.
     */
    public Grid cropGrid(Grid input, Point3 c) {
        double[][] a = input.affine();
        double[] norm = columnNorms(a);
        int[] o = axisOrder(input);
        int[] ci = centreIndex();
        double[][] b = Affines.identity();
        double[] mm = input.toMm(c.x(), c.y(), c.z());
        for (int r = 0; r < 3; r++) {
            double t = mm[r];
            for (int col = 0; col < 3; col++) {
                int src = o[col];
                b[r][col] = o[3 + col] * a[r][src] / norm[src] * voxelMm[col];
                t -= b[r][col] * ci[col];
            }
            b[r][3] = t;
        }
        return new Grid(size[0], size[1], size[2], voxelMm.clone(), b);
    }

    /** True when a crop around {@code c} on {@code input} copies voxels without interpolation. */
    public boolean cropsExactly(Grid input, Centroid c) {
        if (!isAxial(input)) {
            return false;
        }
        double[] norm = columnNorms(input.affine());
        for (int i = 0; i < 3; i++) {
            if (Math.abs(norm[i] - voxelMm[i]) > VOXEL_SIZE_TOLERANCE_MM) {
                return false;
            }
        }
        return c.isOnVoxel();
    }

    /**
     * Fraction of the crop voxels around voxel {@code c} that lie inside {@code input} (within half a voxel of
     * its edge voxels, the rule {@link Resample} uses). Computed per axis: the crop axes are parallel to the input's.
     */
    public double insideFraction(Grid input, Point3 c) {
        int[] n = input.dims();
        double[] s = steps(input);
        int[] o = axisOrder(input);
        double[] cc = c.toArray();
        int[] ci = centreIndex();
        double f = 1;
        for (int a = 0; a < 3; a++) {
            int src = o[a];
            int in = 0;
            for (int u = 0; u < size[a]; u++) {
                double p = cc[src] + o[3 + a] * (u - ci[a]) * s[a];
                if (p >= -0.5 && p <= n[src] - 0.5) {
                    in++;
                }
            }
            f *= in / (double) size[a];
        }
        return f;
    }

    /** Refuses the centroids when either crop would lie mostly (more than half) outside the image. */
    public void checkCoverage(Grid input, Centroids centroids) {
        for (Side side : Side.values()) {
            checkCoverage(input, centroids.get(side));
        }
    }

    private double checkCoverage(Grid input, Centroid c) {
        double f = insideFraction(input, c.voxel());
        if (f < MIN_INSIDE_FRACTION) {
            throw new DopajException(String.format(Locale.ROOT,
                    "%s nigrosome-1 centroid (voxel %s): only %.0f%% of the %d×%d×%d crop (%s mm voxels) lies inside"
                            + " the image (%d×%d×%d voxels); at least %.0f%% is needed — is it near the edge of a thin slab?",
                    c.side().label(), c.voxel().format(), 100 * f, size[0], size[1], size[2], fmt(voxelMm),
                    input.nx(), input.ny(), input.nz(), 100 * MIN_INSIDE_FRACTION));
        }
        return f;
    }

    /** The left and right crops, in that order. */
    public List<NigrosomeCrop> crop(Volume image, Centroids centroids) {
        checkCoverage(image.grid(), centroids);
        return List.of(crop(image, centroids.left()), crop(image, centroids.right()));
    }

    /** The crop around one centroid, which must have been placed on {@code image}'s grid. */
    public NigrosomeCrop crop(Volume image, Centroid c) {
        if (image.nt() != 1) {
            throw new DopajException("the nigrosome crop needs a 3D SMWI image, got " + image.nt() + " frames");
        }
        Grid g = image.grid();
        Point3 v = c.voxel();
        if (!v.isFinite() || !g.contains(v.x(), v.y(), v.z())) {
            throw new DopajException(c.side().label() + " centroid (voxel " + v.format() + ") lies outside the image ("
                    + g.nx() + "×" + g.ny() + "×" + g.nz() + " voxels)");
        }
        if (Point3.of(g.toMm(v.x(), v.y(), v.z())).distance(c.mm()) > 1e-3) {
            throw new DopajException(c.side().label() + " centroid: voxel " + v.format() + " and mm " + c.mm().format()
                    + " disagree on this image's grid: it was placed on another image");
        }
        checkCoverage(g, c);
        requireFiniteAround(image, v, c.side());
        boolean exact = cropsExactly(g, c);
        Volume out;
        if (exact) {
            int[] k = c.nearestVoxel();
            out = CropPad.centred(image, k[0], k[1], k[2], size[0], size[1], size[2], Float.NaN);
        } else {
            out = Resample.toGrid(image, cropGrid(g, v), Resample.Interpolation.LINEAR, Float.NaN);
        }
        // NaN marks the voxels outside the input (the input region was checked finite above)
        long inside = 0;
        double sum = 0;
        for (float[] p : out.planes()) {
            for (float x : p) {
                if (!Float.isNaN(x)) {
                    inside++;
                    sum += x;
                }
            }
        }
        float pad = padding == Padding.ZERO || inside == 0 ? 0f : (float) (sum / inside);
        for (float[] p : out.planes()) {
            for (int i = 0; i < p.length; i++) {
                if (Float.isNaN(p[i])) {
                    p[i] = pad;
                }
            }
        }
        return new NigrosomeCrop(c.side(), c, out, !exact, inside / (double) out.grid().voxelCount(), pad);
    }

    /**
     * The crop's voxels laid out [i][j][k] in C order (k fastest), the layout of a [1, nx, ny, nz, 1] TensorFlow
     * input (DESIGN §5: [batch, i, j, k, channel]). ImageJ stores x (= i) fastest, so this transposes.
     */
    public static float[] toTensorCOrder(Volume crop) {
        if (crop.nt() != 1) {
            throw new DopajException("a crop tensor needs a 3D volume, got " + crop.nt() + " frames");
        }
        int nx = crop.nx();
        int ny = crop.ny();
        int nz = crop.nz();
        float[] t = new float[Math.toIntExact(crop.grid().voxelCount())];
        for (int k = 0; k < nz; k++) {
            float[] p = crop.plane(k);
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    t[(i * ny + j) * nz + k] = p[i + j * nx];
                }
            }
        }
        return t;
    }

    /**
     * The inverse of {@link #toTensorCOrder}: a [i][j][k] C-order array (e.g. a class activation map the network
     * returns for a crop) as a volume on {@code grid} (the crop's grid, or any grid of the tensor's dimensions).
     */
    public static Volume fromTensorCOrder(float[] tensor, Grid grid) {
        int nx = grid.nx();
        int ny = grid.ny();
        int nz = grid.nz();
        if (tensor.length != grid.voxelCount()) {
            throw new DopajException("tensor has " + tensor.length + " values, a " + nx + "×" + ny + "×" + nz
                    + " grid needs " + grid.voxelCount());
        }
        Volume v = Volume.allocate(grid);
        for (int k = 0; k < nz; k++) {
            float[] p = v.plane(k);
            for (int j = 0; j < ny; j++) {
                for (int i = 0; i < nx; i++) {
                    p[i + j * nx] = tensor[(i * ny + j) * nz + k];
                }
            }
        }
        return v;
    }

    /** Crop step in input voxels per crop voxel, per axis. */
    private double[] steps(Grid input) {
        double[] norm = columnNorms(input.affine());
        int[] o = axisOrder(input);
        return new double[]{voxelMm[0] / norm[o[0]], voxelMm[1] / norm[o[1]], voxelMm[2] / norm[o[2]]};
    }

    /** Refuses NaN or infinite input voxels in the region the crop reads (one voxel margin for interpolation). */
    private void requireFiniteAround(Volume image, Point3 c, Side side) {
        int[] n = image.grid().dims();
        double[] s = steps(image.grid());
        int[] o = axisOrder(image.grid());
        double[] cc = c.toArray();
        int[] ci = centreIndex();
        int[] lo = new int[3];
        int[] hi = new int[3];
        for (int a = 0; a < 3; a++) {
            // the crop spans ci voxels on one side and size-1-ci on the other; a reversed axis swaps the sides
            int src = o[a];
            double before = (o[3 + a] > 0 ? ci[a] : size[a] - 1 - ci[a]) * s[a];
            double after = (o[3 + a] > 0 ? size[a] - 1 - ci[a] : ci[a]) * s[a];
            lo[src] = Math.max(0, (int) Math.floor(cc[src] - before) - 1);
            hi[src] = Math.min(n[src] - 1, (int) Math.ceil(cc[src] + after) + 1);
        }
        for (int z = lo[2]; z <= hi[2]; z++) {
            float[] p = image.plane(z);
            for (int y = lo[1]; y <= hi[1]; y++) {
                for (int x = lo[0]; x <= hi[0]; x++) {
                    float val = p[x + y * n[0]];
                    if (!Float.isFinite(val)) {
                        throw new DopajException("SMWI image has a non-finite voxel (" + val + " at voxel " + x + "," + y
                                + "," + z + ") inside the " + side.label() + " nigrosome-1 crop");
                    }
                }
            }
        }
    }

    private static double[] columnNorms(double[][] a) {
        double[] n = new double[3];
        for (int c = 0; c < 3; c++) {
            n[c] = Math.sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
        }
        return n;
    }

    private static String fmt(double[] v) {
        return new Point3(v[0], v[1], v[2]).format().replace(", ", "×");
    }
}
