package org.dopaj.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import java.util.Locale;
import org.dopaj.image.Volume;
import org.dopaj.image.Affines;
import org.dopaj.image.Grid;

/**
 * How a volume is laid out on screen: which file axis (i, j, k) runs along the display's x (left→right), y
 * (top→bottom) and slices, and whether it runs backwards. The display is the standard axial reading view — slices
 * from inferior to superior, anterior at the top — with the patient's right on the left of the screen
 * ({@link Convention#RADIOLOGICAL}) or on the right ({@link Convention#NEUROLOGICAL}); {@link Convention#FILE} is the
 * file's own voxel order. No UI: ImageJ data only.
 *
 * <p>A reoriented ImagePlus keeps the file's affine and dimensions ({@link ImagePlusBridge#AFFINE_PROP},
 * {@link ImagePlusBridge#DIMS_PROP}) and this mapping in {@value #PROP} (e.g. {@code "+i -j +k"}: display x = file
 * i, display y = file j reversed, slice = file k), so {@link ImagePlusBridge#toVolume} and the NIfTI saver put every
 * voxel back in the file's order: a saved file is bit-exact, and a voxel position that a user types means the file's
 * indices. Only permutations and reversals are used: voxels are moved, never interpolated.
 */
public final class DisplayOrientation {
    /** ImagePlus property holding the mapping, e.g. "+i -j +k". */
    public static final String PROP = "dopaj.display";

    /** Left-right convention of the axial view. */
    public enum Convention {
        /** Patient's right on the screen's left (as facing the patient): the clinical reading convention. */
        RADIOLOGICAL,
        /** Patient's right on the screen's right (as seen from above/behind). */
        NEUROLOGICAL,
        /** The file's voxel order: x = i, y = j, slice = k, whatever the anatomy. */
        FILE;

        /** "radiological", "neurological" or "file" (case-insensitive); null or blank: radiological. */
        public static Convention parse(String s) {
            if (s == null || s.isBlank()) {
                return RADIOLOGICAL;
            }
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new org.dopaj.DopajException("display must be radiological, neurological or file; got '" + s + "'");
            }
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int[] axis;
    private final boolean[] flip;

    private DisplayOrientation(int[] axis, boolean[] flip) {
        this.axis = axis.clone();
        this.flip = flip.clone();
    }

    /** The file's own order. */
    public static final DisplayOrientation IDENTITY = new DisplayOrientation(new int[]{0, 1, 2}, new boolean[3]);

    /**
     * The mapping that shows a volume with this file affine in the axial reading view of {@code c}: display x along
     * the world's left-right axis, y along anterior→posterior, slices along inferior→superior. An affine whose axes are
     * not clearly anatomical (two voxel axes sharing a world axis) keeps the file order.
     */
    public static DisplayOrientation of(double[][] affine, Convention c) {
        if (c == Convention.FILE) {
            return IDENTITY;
        }
        String code = Affines.orientation(affine); // letter of +i, +j, +k
        int[] axis = new int[3];
        boolean[] flip = new boolean[3];
        // display x runs toward the patient's left (radiological) or right; y toward posterior; slices toward superior
        char[] want = {c == Convention.RADIOLOGICAL ? 'L' : 'R', 'P', 'S'};
        boolean[] seen = new boolean[3];
        for (int d = 0; d < 3; d++) {
            int found = -1;
            for (int a = 0; a < 3; a++) {
                char l = code.charAt(a);
                if (l == want[d] || l == opposite(want[d])) {
                    found = a;
                }
            }
            if (found < 0 || seen[found]) {
                return IDENTITY;
            }
            seen[found] = true;
            axis[d] = found;
            flip[d] = code.charAt(found) != want[d];
        }
        return new DisplayOrientation(axis, flip);
    }

    static char opposite(char l) {
        return switch (l) {
            case 'L' -> 'R';
            case 'R' -> 'L';
            case 'A' -> 'P';
            case 'P' -> 'A';
            case 'S' -> 'I';
            default -> 'S';
        };
    }

    /** Parses {@link #toString()}; null when {@code s} is not such a mapping. */
    public static DisplayOrientation parse(String s) {
        if (s == null) {
            return null;
        }
        String[] t = s.trim().split("\\s+");
        if (t.length != 3) {
            return null;
        }
        int[] axis = new int[3];
        boolean[] flip = new boolean[3];
        boolean[] seen = new boolean[3];
        for (int d = 0; d < 3; d++) {
            if (t[d].length() != 2 || (t[d].charAt(0) != '+' && t[d].charAt(0) != '-')) {
                return null;
            }
            int a = "ijk".indexOf(t[d].charAt(1));
            if (a < 0 || seen[a]) {
                return null;
            }
            seen[a] = true;
            axis[d] = a;
            flip[d] = t[d].charAt(0) == '-';
        }
        return new DisplayOrientation(axis, flip);
    }

    /**
     * The mapping of an image: its {@value #PROP} when that fits the image's dimensions and its stored file
     * dimensions, else {@link #IDENTITY} (a plain ImageJ image, or one cropped after opening).
     */
    public static DisplayOrientation of(ImagePlus imp) {
        Object o = imp.getProperty(PROP);
        String s = imp.getProp(PROP);
        DisplayOrientation m = parse(s != null ? s : o instanceof String ? (String) o : null);
        if (m == null) {
            return IDENTITY;
        }
        int[] file = ImagePlusBridge.fileDims(imp);
        if (file == null) {
            return IDENTITY;
        }
        int[] shown = m.displayDims(file);
        return shown[0] == imp.getWidth() && shown[1] == imp.getHeight() && shown[2] == imp.getNSlices() ? m : IDENTITY;
    }

    public boolean isIdentity() {
        return axis[0] == 0 && axis[1] == 1 && axis[2] == 2 && !flip[0] && !flip[1] && !flip[2];
    }

    /** Display dimensions of a file grid of {@code fileDims}. */
    public int[] displayDims(int[] fileDims) {
        return new int[]{fileDims[axis[0]], fileDims[axis[1]], fileDims[axis[2]]};
    }

    /** Display position (x, y, slice index, 0-based) of file voxel (i, j, k) of a grid of {@code fileDims}. */
    public double[] toDisplay(int[] fileDims, double... ijk) {
        double[] u = new double[3];
        for (int d = 0; d < 3; d++) {
            double v = ijk[axis[d]];
            u[d] = flip[d] ? fileDims[axis[d]] - 1 - v : v;
        }
        return u;
    }

    /** File voxel (i, j, k) of display position (x, y, slice index, 0-based), for a grid of {@code fileDims}. */
    public double[] toFile(int[] fileDims, double... xyz) {
        double[] ijk = new double[3];
        for (int d = 0; d < 3; d++) {
            double v = xyz[d];
            ijk[axis[d]] = flip[d] ? fileDims[axis[d]] - 1 - v : v;
        }
        return ijk;
    }

    /** The voxel→mm affine of the displayed voxel order, for a file grid {@code g}. */
    public double[][] displayAffine(Grid g) {
        double[][] a = g.affine();
        int[] n = g.dims();
        double[][] d = new double[4][4];
        d[3][3] = 1;
        for (int r = 0; r < 3; r++) {
            d[r][3] = a[r][3];
        }
        for (int c = 0; c < 3; c++) {
            int src = axis[c];
            double s = flip[c] ? -1 : 1;
            for (int r = 0; r < 3; r++) {
                d[r][c] = s * a[r][src];
                if (flip[c]) {
                    d[r][3] += a[r][src] * (n[src] - 1);
                }
            }
        }
        return d;
    }

    /** The grid of the displayed voxel order (dimensions, voxel sizes and affine permuted). */
    public Grid displayGrid(Grid g) {
        double[] v = g.voxelMm();
        int[] n = displayDims(g.dims());
        return new Grid(n[0], n[1], n[2], new double[]{v[axis[0]], v[axis[1]], v[axis[2]]}, displayAffine(g));
    }

    /**
     * Letters for the four edges of the displayed slice — left, right, top, bottom — e.g. R L A P for a radiological
     * axial view, from the display affine of {@code g}.
     */
    public String[] edgeLetters(Grid g) {
        String code = Affines.orientation(displayAffine(g));
        return new String[]{String.valueOf(opposite(code.charAt(0))), String.valueOf(code.charAt(0)),
            String.valueOf(opposite(code.charAt(1))), String.valueOf(code.charAt(1))};
    }

    /** The voxels of {@code v} (file order) in display order, on the display grid. */
    public Volume toDisplay(Volume v) {
        if (isIdentity()) {
            return v;
        }
        Grid dg = displayGrid(v.grid());
        Volume out = Volume.allocate(dg, v.nt());
        int[] fn = v.grid().dims();
        for (int t = 0; t < v.nt(); t++) {
            float[][] src = new float[fn[2]][];
            for (int k = 0; k < fn[2]; k++) {
                src[k] = v.plane(k, t);
            }
            float[][] dst = new float[dg.nz()][];
            for (int z = 0; z < dg.nz(); z++) {
                dst[z] = out.plane(z, t);
            }
            move(src, fn, dst, true);
        }
        return out;
    }

    /**
     * Copies voxels between file-order planes ({@code file}, dimensions {@code fn}) and display-order planes
     * ({@code shown}); {@code toDisplay} says which way. Plane arrays may be float[], short[], byte[] or int[].
     */
    void move(Object[] file, int[] fn, Object[] shown, boolean toDisplay) {
        int[] dn = displayDims(fn);
        int len = dn[0] * dn[1];
        int[] plane = new int[len];
        int[] offset = new int[len];
        int[] ijk = new int[3];
        int[] u = new int[3];
        for (int z = 0; z < dn[2]; z++) {
            u[2] = z;
            // where each displayed pixel of slice z lives in the file: plane k and offset i + j·ni
            for (int y = 0, di = 0; y < dn[1]; y++) {
                u[1] = y;
                for (int x = 0; x < dn[0]; x++, di++) {
                    u[0] = x;
                    for (int d = 0; d < 3; d++) {
                        ijk[axis[d]] = flip[d] ? fn[axis[d]] - 1 - u[d] : u[d];
                    }
                    plane[di] = ijk[2];
                    offset[di] = ijk[0] + ijk[1] * fn[0];
                }
            }
            Object dp = shown[z];
            if (dp instanceof float[] d) {
                for (int i = 0; i < len; i++) {
                    float[] f = (float[]) file[plane[i]];
                    if (toDisplay) {
                        d[i] = f[offset[i]];
                    } else {
                        f[offset[i]] = d[i];
                    }
                }
            } else if (dp instanceof short[] d) {
                for (int i = 0; i < len; i++) {
                    short[] f = (short[]) file[plane[i]];
                    if (toDisplay) {
                        d[i] = f[offset[i]];
                    } else {
                        f[offset[i]] = d[i];
                    }
                }
            } else if (dp instanceof byte[] d) {
                for (int i = 0; i < len; i++) {
                    byte[] f = (byte[]) file[plane[i]];
                    if (toDisplay) {
                        d[i] = f[offset[i]];
                    } else {
                        f[offset[i]] = d[i];
                    }
                }
            } else {
                int[] d = (int[]) dp;
                for (int i = 0; i < len; i++) {
                    int[] f = (int[]) file[plane[i]];
                    if (toDisplay) {
                        d[i] = f[offset[i]];
                    } else {
                        f[offset[i]] = d[i];
                    }
                }
            }
        }
    }

    /**
     * Shows {@code imp} — an image in its file's voxel order with the file's affine stored (as
     * {@link ImagePlusBridge#toImagePlus} makes it) — in the convention's reading view: the stack is replaced by
     * its reordered copy (any type; all frames), the calibration's pixel sizes and origin follow the display axes,
     * and the mapping is stored for saving. The affine, dimensions and NIfTI header properties stay the file's. An
     * image without a stored affine is left as it is. Returns {@code imp}.
     */
    public static ImagePlus reorient(ImagePlus imp, Convention c) {
        double[][] a = ImagePlusBridge.storedAffine(imp);
        if (a == null || !of(imp).isIdentity()) {
            return imp;
        }
        return reorient(imp, of(a, c));
    }

    /**
     * {@link #reorient(ImagePlus, Convention)} with a given mapping, e.g. the input's for a result on the input's grid
     * (a mask, a CAM), so both are shown alike.
     */
    public static ImagePlus reorient(ImagePlus imp, DisplayOrientation m) {
        double[][] a = ImagePlusBridge.storedAffine(imp);
        if (a == null || !of(imp).isIdentity() || m.isIdentity() || imp.getNChannels() > 1) {
            return imp;
        }
        int[] fn = {imp.getWidth(), imp.getHeight(), imp.getNSlices()};
        int nt = imp.getNFrames();
        int nc = imp.getNChannels();
        int[] dn = m.displayDims(fn);
        ImageStack src = imp.getStack();
        ImageStack dst = new ImageStack(dn[0], dn[1]);
        Object[][] shown = new Object[nt * nc][];
        for (int t = 0; t < nt * nc; t++) {
            Object[] file = new Object[fn[2]];
            for (int k = 0; k < fn[2]; k++) {
                file[k] = src.getPixels(t * fn[2] + k + 1);
            }
            shown[t] = new Object[dn[2]];
            for (int z = 0; z < dn[2]; z++) {
                shown[t][z] = newPlane(file[0], dn[0] * dn[1]);
            }
            m.move(file, fn, shown[t], true);
        }
        for (Object[] frame : shown) {
            for (Object p : frame) {
                dst.addSlice(null, p);
            }
        }
        Calibration cal = imp.getCalibration().copy();
        double[] size = {cal.pixelWidth, cal.pixelHeight, cal.pixelDepth};
        double[] rng = imp.getDisplayRangeMin() < imp.getDisplayRangeMax()
                ? new double[]{imp.getDisplayRangeMin(), imp.getDisplayRangeMax()} : null;
        ij.process.LUT lut = imp.getBitDepth() != 24 && nc == 1 ? imp.getProcessor().getLut() : null;
        imp.setStack(dst, nc, dn[2], nt);
        if (lut != null) {
            imp.setLut(lut); // a new stack starts grey: keep the colours the image had
        }
        cal.pixelWidth = size[m.axis[0]];
        cal.pixelHeight = size[m.axis[1]];
        cal.pixelDepth = size[m.axis[2]];
        Grid g = Grid.fromAffine(fn[0], fn[1], fn[2], a);
        double[][] da = m.displayAffine(g);
        if (ImagePlusBridge.isDiagonal(da)) {
            cal.xOrigin = -da[0][3] / da[0][0];
            cal.yOrigin = -da[1][3] / da[1][1];
            cal.zOrigin = -da[2][3] / da[2][2];
        }
        imp.setCalibration(cal);
        imp.setProp(PROP, m.toString());
        ImagePlusBridge.rememberCalibration(imp);
        if (rng != null) {
            imp.setDisplayRange(rng[0], rng[1]);
        }
        return imp;
    }

    /**
     * An image in the file's voxel order with the same type, calibration function, properties and header (the
     * mapping removed): what the NIfTI saver writes. Returns {@code imp} itself when it is not reoriented.
     */
    public static ImagePlus fileOrder(ImagePlus imp) {
        DisplayOrientation m = of(imp);
        if (m.isIdentity()) {
            return imp;
        }
        int[] fn = ImagePlusBridge.fileDims(imp);
        int[] dn = m.displayDims(fn);
        int nt = imp.getNFrames();
        int nc = imp.getNChannels();
        ImageStack src = imp.getStack();
        ImageStack dst = new ImageStack(fn[0], fn[1]);
        for (int t = 0; t < nt * nc; t++) {
            Object[] shown = new Object[dn[2]];
            for (int z = 0; z < dn[2]; z++) {
                shown[z] = src.getPixels(t * dn[2] + z + 1);
            }
            Object[] file = new Object[fn[2]];
            for (int k = 0; k < fn[2]; k++) {
                file[k] = newPlane(shown[0], fn[0] * fn[1]);
            }
            m.move(file, fn, shown, false);
            for (Object p : file) {
                dst.addSlice(null, p);
            }
        }
        ImagePlus out = new ImagePlus(imp.getTitle(), dst);
        out.setDimensions(nc, fn[2], nt);
        Calibration cal = imp.getCalibration().copy();
        double[] size = {cal.pixelWidth, cal.pixelHeight, cal.pixelDepth};
        double[] back = new double[3];
        for (int d = 0; d < 3; d++) {
            back[m.axis[d]] = size[d];
        }
        cal.pixelWidth = back[0];
        cal.pixelHeight = back[1];
        cal.pixelDepth = back[2];
        out.setCalibration(cal);
        for (String key : new String[]{ImagePlusBridge.AFFINE_PROP, ImagePlusBridge.DIMS_PROP}) {
            out.setProp(key, imp.getProp(key));
        }
        Object hdr = imp.getProperty(ImagePlusBridge.HEADER_PROP);
        if (hdr != null) {
            out.setProperty(ImagePlusBridge.HEADER_PROP, hdr);
        }
        ImagePlusBridge.rememberCalibration(out); // the shown image's calibration was DopaJ's: so is this one
        return out;
    }

    private static Object newPlane(Object like, int n) {
        if (like instanceof float[]) {
            return new float[n];
        }
        if (like instanceof short[]) {
            return new short[n];
        }
        if (like instanceof byte[]) {
            return new byte[n];
        }
        return new int[n];
    }

    /** E.g. "+i -j +k": for display x, y and slice, the file axis and its direction. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int d = 0; d < 3; d++) {
            if (d > 0) {
                s.append(' ');
            }
            s.append(flip[d] ? '-' : '+').append("ijk".charAt(axis[d]));
        }
        return s.toString();
    }
}
