package org.dopaj.io;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.image.Memory;
import org.dopaj.image.Grid;

/**
 * Bridge between DopaJ volumes / NIfTI images and ImageJ 1 {@link ImagePlus} data (no UI). Float volumes are
 * shared, not copied: the 32-bit stack's pixel arrays are the volume's planes. The geometry travels as ImageJ
 * calibration (pixel size in mm, origin) plus two image properties that survive a TIFF save:
 * {@value #AFFINE_PROP} (the 4×4 voxel→mm affine, 16 numbers, row by row, space-separated) and
 * {@value #DIMS_PROP} ("nx ny nz" the affine belongs to). An image opened from NIfTI also carries its original
 * {@link NiftiHeader} as the object property {@value #HEADER_PROP}, so that saving it again restores every
 * header field and, when the voxels allow it, the original datatype (open→save is bit-exact).
 */
public final class ImagePlusBridge {
    /** ImagePlus property holding the 16 affine numbers. */
    public static final String AFFINE_PROP = "dopaj.affine";
    /** ImagePlus property holding "nx ny nz" of the grid the affine belongs to. */
    public static final String DIMS_PROP = "dopaj.dims";
    /** ImagePlus object property holding the original {@link NiftiHeader}. */
    public static final String HEADER_PROP = "dopaj.nifti.header";
    /**
     * ImagePlus property holding the calibration DopaJ set ("pixelWidth pixelHeight pixelDepth unit"): when the
     * user changes ImageJ's calibration afterwards, the calibration wins over the stored affine.
     */
    public static final String CALIBRATION_PROP = "dopaj.calibration";

    private ImagePlusBridge() {
    }

    // ---------------------------------------------------------------- Volume → ImagePlus

    /**
     * A 32-bit image (a hyperstack with nt frames for 4D) whose slices ARE the volume's planes (zero-copy),
     * calibrated in mm, with the affine stored as properties.
     */
    public static ImagePlus toImagePlus(Volume v, String title) {
        ImageStack stack = new ImageStack(v.nx(), v.ny());
        for (float[] p : v.planes()) {
            stack.addSlice(null, p);
        }
        ImagePlus imp = new ImagePlus(title, stack);
        setGeometry(imp, v.grid(), v.nt());
        return imp;
    }

    private static void setGeometry(ImagePlus imp, Grid g, int nt) {
        imp.setDimensions(1, g.nz(), nt);
        if (nt > 1) {
            imp.setOpenAsHyperStack(true);
        }
        Calibration cal = imp.getCalibration();
        double[] vox = g.voxelMm();
        cal.pixelWidth = vox[0];
        cal.pixelHeight = vox[1];
        cal.pixelDepth = vox[2];
        cal.setUnit("mm");
        double[][] a = g.affine();
        if (isDiagonal(a)) {
            // ImageJ's origin is the pixel whose coordinate is 0: where the affine gives 0 mm
            cal.xOrigin = -a[0][3] / a[0][0];
            cal.yOrigin = -a[1][3] / a[1][1];
            cal.zOrigin = -a[2][3] / a[2][2];
        }
        imp.setProp(AFFINE_PROP, affineString(a));
        imp.setProp(DIMS_PROP, g.nx() + " " + g.ny() + " " + g.nz());
        rememberCalibration(imp);
    }

    /** Stores the image's current spatial calibration as the one DopaJ set ({@value #CALIBRATION_PROP}). */
    public static void rememberCalibration(ImagePlus imp) {
        imp.setProp(CALIBRATION_PROP, calibrationString(imp.getCalibration()));
    }

    private static String calibrationString(Calibration c) {
        return c.pixelWidth + " " + c.pixelHeight + " " + c.pixelDepth + " " + c.getUnit();
    }

    /**
     * True when the image has a stored affine but its ImageJ calibration is no longer the one DopaJ set with it
     * (the user changed the voxel size or unit in Image›Properties): then the calibration wins, and the image is
     * taken as shown (see {@link #calibrationNote}).
     */
    public static boolean calibrationChanged(ImagePlus imp) {
        if (rawStoredAffine(imp) == null) {
            return false;
        }
        Calibration c = imp.getCalibration();
        String set = prop(imp, CALIBRATION_PROP);
        // without a record of what DopaJ set (an image from elsewhere or an older DopaJ) the affine stands
        return set != null && !set.equals(calibrationString(c));
    }

    /**
     * A line for the log when ImageJ's calibration overrides the stored NIfTI affine, else null.
     */
    public static String calibrationNote(ImagePlus imp) {
        if (!calibrationChanged(imp)) {
            return null;
        }
        Calibration c = imp.getCalibration();
        return imp.getTitle() + ": ImageJ's calibration (" + num(c.pixelWidth) + "×" + num(c.pixelHeight) + "×"
                + num(c.pixelDepth) + " " + c.getUnit() + ") was changed after opening: it wins over"
                + " the file's affine, which is ignored (orientation unknown, voxels taken as shown)";
    }

    private static String num(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }

    /** The file's dimensions stored with the affine ({@value #DIMS_PROP}), or null. */
    public static int[] fileDims(ImagePlus imp) {
        String d = prop(imp, DIMS_PROP);
        if (d == null) {
            return null;
        }
        String[] t = d.trim().split("\\s+");
        if (t.length != 3) {
            return null;
        }
        try {
            return new int[]{Integer.parseInt(t[0]), Integer.parseInt(t[1]), Integer.parseInt(t[2])};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static boolean isDiagonal(double[][] a) {
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 3; c++) {
                if (r != c && a[r][c] != 0) {
                    return false;
                }
            }
            if (a[r][r] == 0) {
                return false;
            }
        }
        return true;
    }

    /** The 16 numbers of a 4×4 matrix, row by row, space-separated (exact: Double.toString). */
    public static String affineString(double[][] a) {
        StringBuilder s = new StringBuilder();
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                if (s.length() > 0) {
                    s.append(' ');
                }
                s.append(a[r][c]);
            }
        }
        return s.toString();
    }

    /** Parses {@link #affineString}; null when it is not 16 finite numbers or its last row is not 0 0 0 1. */
    public static double[][] parseAffine(String s) {
        if (s == null) {
            return null;
        }
        String[] t = s.trim().split("[\\s,]+");
        if (t.length != 16) {
            return null;
        }
        double[][] a = new double[4][4];
        try {
            for (int i = 0; i < 16; i++) {
                a[i / 4][i % 4] = Double.parseDouble(t[i]);
                if (!Double.isFinite(a[i / 4][i % 4])) {
                    return null;
                }
            }
        } catch (NumberFormatException e) {
            return null;
        }
        if (a[3][0] != 0 || a[3][1] != 0 || a[3][2] != 0 || a[3][3] != 1) {
            return null;
        }
        return a;
    }

    // ---------------------------------------------------------------- ImagePlus → Volume

    /**
     * The image as a float volume. 32-bit: the volume shares the stack's arrays (zero-copy). 8- and 16-bit:
     * a converted copy with the calibration function applied (e.g. signed 16-bit, DICOM rescale). RGB and
     * multi-channel images are refused. Grid: {@link #gridOf}.
     */
    public static Volume toVolume(ImagePlus imp) {
        checkImage(imp);
        if (isReoriented(imp)) {
            // shown in the reading view: the voxels go back to the file's order (new arrays, not the display's)
            return toVolume(DisplayOrientation.fileOrder(imp));
        }
        int w = imp.getWidth();
        int h = imp.getHeight();
        int nz = imp.getNSlices();
        int nt = imp.getNFrames();
        Grid g = gridOf(imp);
        ImageStack stack = imp.getStack();
        int n = nz * nt;
        if (stack.getSize() != n) {
            throw new DopajException("image '" + imp.getTitle() + "' has " + stack.getSize() + " slices, not slices×frames = " + n);
        }
        int bd = imp.getBitDepth();
        if (bd == 32) {
            float[][] planes = new float[n][];
            for (int i = 0; i < n; i++) {
                planes[i] = (float[]) stack.getPixels(i + 1);
            }
            return new Volume(g, nt, planes);
        }
        Volume v = Volume.allocate(g, nt);
        Calibration cal = imp.getCalibration();
        float[] table = cal.getFunction() != Calibration.NONE ? cal.getCTable() : null;
        int len = w * h;
        for (int i = 0; i < n; i++) {
            Object px = stack.getPixels(i + 1);
            float[] out = v.planes()[i];
            if (px instanceof byte[]) {
                byte[] b = (byte[]) px;
                for (int k = 0; k < len; k++) {
                    out[k] = table != null ? table[b[k] & 0xff] : b[k] & 0xff;
                }
            } else {
                short[] s = (short[]) px;
                for (int k = 0; k < len; k++) {
                    out[k] = table != null ? table[s[k] & 0xffff] : s[k] & 0xffff;
                }
            }
        }
        return v;
    }

    private static void checkImage(ImagePlus imp) {
        if (imp == null || imp.getWidth() == 0 || imp.getHeight() == 0 || imp.getStackSize() == 0) {
            throw new DopajException("no image: the input image is empty");
        }
        if (imp.getNChannels() > 1) {
            throw new DopajException("image '" + imp.getTitle() + "' has " + imp.getNChannels()
                    + " channels: split the channels first (Image>Color>Split Channels)");
        }
        if (imp.getBitDepth() == 24) {
            throw new DopajException("image '" + imp.getTitle() + "' is RGB colour: convert it to 8-bit, 16-bit or 32-bit grey first");
        }
    }

    /**
     * The grid of an image: from {@value #AFFINE_PROP} when present and made for this image's width, height and
     * slice count; otherwise a diagonal affine from the calibration (pixel sizes converted to mm, origin), and
     * 1 mm voxels at the origin when the image is not spatially calibrated (see {@link #isCalibrated}).
     * After a crop or substack in ImageJ the stored affine no longer applies (ImageJ 1 records no crop offset),
     * so such an image falls back to its calibration: a diagonal, RAS-directed affine.
     */
    public static Grid gridOf(ImagePlus imp) {
        int w = imp.getWidth();
        int h = imp.getHeight();
        int nz = imp.getNSlices();
        double[][] a = storedAffine(imp);
        if (a != null) {
            int[] fd = fileDims(imp);
            return Grid.fromAffine(fd[0], fd[1], fd[2], a);
        }
        Calibration cal = imp.getCalibration();
        double f = mmPerUnit(cal.getUnit());
        if (!cal.scaled() || Double.isNaN(f)) {
            return Grid.of(w, h, nz, 1, 1, 1);
        }
        double[] vox = {cal.pixelWidth * f, cal.pixelHeight * f, cal.pixelDepth * f};
        for (int i = 0; i < 3; i++) {
            if (!(vox[i] > 0) || !Double.isFinite(vox[i])) {
                vox[i] = 1;
            }
        }
        double[][] aff = {
                {vox[0], 0, 0, -cal.xOrigin * vox[0]},
                {0, vox[1], 0, -cal.yOrigin * vox[1]},
                {0, 0, vox[2], -cal.zOrigin * vox[2]},
                {0, 0, 0, 1}};
        return new Grid(w, h, nz, vox, aff);
    }

    /**
     * The stored affine when it belongs to this image's dimensions (as shown, through its display mapping) and the
     * user has not changed ImageJ's calibration since, else null.
     */
    static double[][] storedAffine(ImagePlus imp) {
        double[][] a = rawStoredAffine(imp);
        return a == null || calibrationChanged(imp) ? null : a;
    }

    /** The stored affine when it belongs to this image's dimensions, whatever the calibration says. */
    static double[][] rawStoredAffine(ImagePlus imp) {
        double[][] a = parseAffine(prop(imp, AFFINE_PROP));
        int[] fd = fileDims(imp);
        if (a == null || fd == null) {
            return null;
        }
        int[] shown = DisplayOrientation.of(imp).displayDims(fd);
        return shown[0] == imp.getWidth() && shown[1] == imp.getHeight() && shown[2] == imp.getNSlices() ? a : null;
    }

    /** True when the image is shown reordered (a display mapping) and its file geometry still applies. */
    public static boolean isReoriented(ImagePlus imp) {
        return !DisplayOrientation.of(imp).isIdentity() && storedAffine(imp) != null;
    }

    private static String prop(ImagePlus imp, String key) {
        String s = imp.getProp(key);
        if (s == null) {
            Object o = imp.getProperty(key);
            s = o instanceof String ? (String) o : null;
        }
        return s;
    }

    /**
     * True when the image's geometry is known: a matching {@value #AFFINE_PROP}, or a spatial calibration in a
     * length unit (mm, cm, m, µm, inch). False means {@link #gridOf} used 1 mm voxels: say so to the user.
     */
    public static boolean isCalibrated(ImagePlus imp) {
        if (storedAffine(imp) != null) {
            return true;
        }
        Calibration cal = imp.getCalibration();
        return cal.scaled() && !Double.isNaN(mmPerUnit(cal.getUnit()));
    }

    /** Millimetres per calibration unit ("mm" → 1, "cm" → 10, "µm"/"micron" → 0.001, ...), NaN when not a length. */
    public static double mmPerUnit(String unit) {
        if (unit == null) {
            return Double.NaN;
        }
        String u = unit.trim().toLowerCase(Locale.ROOT);
        switch (u) {
            case "mm": case "millimeter": case "millimeters": case "millimetre": case "millimetres":
                return 1;
            case "cm": case "centimeter": case "centimeters": case "centimetre": case "centimetres":
                return 10;
            case "m": case "meter": case "meters": case "metre": case "metres":
                return 1000;
            case "um": case "µm": case "μm": case "micron": case "microns": case "micrometer": case "micrometers":
            case "micrometre": case "micrometres":
                return 0.001;
            case "nm": case "nanometer": case "nanometers":
                return 1e-6;
            case "in": case "inch": case "inches":
                return 25.4;
            default:
                return Double.NaN;
        }
    }

    // ---------------------------------------------------------------- NIfTI ⇄ ImagePlus (importer / saver)

    /**
     * An ImagePlus for a NIfTI image: uint8 → 8-bit (a non-trivial scl_slope/scl_inter becomes a straight-line
     * calibration function), uint16 without scaling → 16-bit, rgb24 → RGB, everything else → 32-bit float of
     * the scaled values. Calibrated in mm with the affine properties; the original header is kept as
     * {@value #HEADER_PROP}. 4D → hyperstack with nt frames; more than 4 dimensions in use are refused.
     */
    public static ImagePlus toImagePlus(NiftiImage img, String title) {
        NiftiHeader hdr = img.header();
        for (int i = 5; i <= hdr.ndim(); i++) {
            if (hdr.dim[i] > 1) {
                throw new DopajException("NIfTI image has " + hdr.ndim() + " dimensions (dims "
                        + Arrays.toString(hdr.shape()) + "): DopaJ handles 3D and 4D only");
            }
        }
        NiftiDatatype type = img.datatype();
        ImagePlus imp;
        if (type == NiftiDatatype.UINT8 || type == NiftiDatatype.RGB24
                || (type == NiftiDatatype.UINT16 && img.isUnscaled())) {
            Grid g = img.grid();
            int nt = img.nt();
            int w = g.nx();
            int h = g.ny();
            int len = w * h;
            ImageStack stack = new ImageStack(w, h);
            byte[] d = img.data();
            ByteBuffer bb = ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = 0; p < g.nz() * nt; p++) {
                if (type == NiftiDatatype.UINT8) {
                    stack.addSlice(null, Arrays.copyOfRange(d, p * len, (p + 1) * len));
                } else if (type == NiftiDatatype.UINT16) {
                    short[] s = new short[len];
                    ByteBuffer src = bb.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                    src.position(p * len * 2);
                    src.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(s);
                    stack.addSlice(null, s);
                } else {
                    int[] rgb = new int[len];
                    int o = p * len * 3;
                    for (int k = 0; k < len; k++, o += 3) {
                        rgb[k] = 0xff000000 | (d[o] & 0xff) << 16 | (d[o + 1] & 0xff) << 8 | (d[o + 2] & 0xff);
                    }
                    stack.addSlice(null, rgb);
                }
            }
            imp = new ImagePlus(title, stack);
            setGeometry(imp, g, nt);
            double[] sc = img.scaling();
            if (type == NiftiDatatype.UINT8 && !img.isUnscaled()) {
                imp.getCalibration().setFunction(Calibration.STRAIGHT_LINE, new double[]{sc[1], sc[0]}, "");
            }
            if (type != NiftiDatatype.RGB24) {
                imp.resetDisplayRange();
            }
        } else {
            imp = toImagePlus(img.toVolume(), title);
            imp.resetDisplayRange();
        }
        imp.setProperty(HEADER_PROP, hdr.copy());
        return imp;
    }

    /** The original NIfTI header an image carries ({@value #HEADER_PROP}), or null. */
    public static NiftiHeader originalHeader(ImagePlus imp) {
        Object o = imp.getProperty(HEADER_PROP);
        return o instanceof NiftiHeader ? (NiftiHeader) o : null;
    }

    /**
     * A NIfTI image of an ImagePlus, for saving: 8-bit → uint8, 16-bit → uint16, RGB → rgb24 (a straight-line
     * calibration function of 8/16-bit images becomes scl_slope/scl_inter), 32-bit → the original datatype when
     * the image carries its original header and every voxel round-trips exactly
     * ({@link NiftiImage#fromVolumeExact}), else float32. Geometry from the stored affine or the calibration
     * ({@link #gridOf}); when it still matches the original header, that header is kept field for field.
     */
    public static NiftiImage toNifti(ImagePlus imp) {
        if (imp == null || imp.getWidth() == 0 || imp.getHeight() == 0 || imp.getStackSize() == 0) {
            throw new DopajException("no image: the input image is empty");
        }
        if (imp.getNChannels() > 1) {
            throw new DopajException("image '" + imp.getTitle() + "' has " + imp.getNChannels()
                    + " channels: NIfTI export needs one channel (split the channels first)");
        }
        if (isReoriented(imp)) {
            return toNifti(DisplayOrientation.fileOrder(imp)); // the file's voxel order, as read
        }
        NiftiHeader orig = originalHeader(imp);
        int bd = imp.getBitDepth();
        if (bd == 32) {
            Volume v = toVolume(imp);
            if (orig != null) {
                NiftiImage exact = NiftiImage.fromVolumeExact(v, orig);
                if (exact != null) {
                    return exact;
                }
            }
            NiftiImage f = NiftiImage.fromVolume(v, orig, NiftiDatatype.FLOAT32);
            return orig != null && NiftiImage.sameGeometry(orig, v.grid(), v.nt()) ? keepHeader(orig, f.data(), NiftiDatatype.FLOAT32, 1, 0) : f;
        }
        NiftiDatatype type = bd == 8 ? NiftiDatatype.UINT8 : bd == 16 ? NiftiDatatype.UINT16 : NiftiDatatype.RGB24;
        Calibration cal = imp.getCalibration();
        double slope = 1;
        double inter = 0;
        if (type != NiftiDatatype.RGB24 && cal.getFunction() != Calibration.NONE) {
            double[] c = cal.getCoefficients();
            if (cal.getFunction() != Calibration.STRAIGHT_LINE || c == null || c.length < 2) {
                // a non-linear calibration cannot be a slope/intercept: store the calibrated values as float
                return toNiftiFloat(imp, orig);
            }
            inter = c[0];
            slope = c[1];
        }
        int w = imp.getWidth();
        int h = imp.getHeight();
        int nz = imp.getNSlices();
        int nt = imp.getNFrames();
        int len = w * h;
        ImageStack stack = imp.getStack();
        long bytes = (long) len * nz * nt * type.bytes();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DopajException("image '" + imp.getTitle() + "' is too large for one NIfTI file in DopaJ (over 2 GiB)");
        }
        Memory.require(bytes, "the NIfTI voxel data");
        byte[] out = new byte[(int) bytes];
        ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < nz * nt; p++) {
            Object px = stack.getPixels(p + 1);
            if (type == NiftiDatatype.UINT8) {
                System.arraycopy((byte[]) px, 0, out, p * len, len);
            } else if (type == NiftiDatatype.UINT16) {
                ByteBuffer dst = bb.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                dst.position(p * len * 2);
                dst.slice().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().put((short[]) px);
            } else {
                int[] rgb = (int[]) px;
                int o = p * len * 3;
                for (int k = 0; k < len; k++, o += 3) {
                    out[o] = (byte) (rgb[k] >> 16);
                    out[o + 1] = (byte) (rgb[k] >> 8);
                    out[o + 2] = (byte) rgb[k];
                }
            }
        }
        Grid g = gridOf(imp);
        if (orig != null && NiftiImage.sameGeometry(orig, g, nt)) {
            return keepHeader(orig, out, type, slope, inter);
        }
        NiftiHeader hd = NiftiImage.headerFor(g, nt, orig, type);
        hd.sclSlope = slope;
        hd.sclInter = inter;
        return new NiftiImage(hd, out);
    }

    private static NiftiImage toNiftiFloat(ImagePlus imp, NiftiHeader orig) {
        Volume v = toVolume(imp);
        return NiftiImage.fromVolume(v, orig, NiftiDatatype.FLOAT32);
    }

    /**
     * The original header with datatype and scaling set; the original scl fields are kept verbatim when they
     * already mean the same scaling (so that an unchanged image is saved byte-identical).
     */
    private static NiftiImage keepHeader(NiftiHeader orig, byte[] data, NiftiDatatype type, double slope, double inter) {
        NiftiHeader h = orig.copy();
        boolean sameType = h.datatype == type.code();
        h.datatype = type.code();
        h.bitpix = type.bitpix();
        double os = orig.sclSlope;
        double oi = orig.sclInter;
        boolean origIdentity = os == 0 || !Double.isFinite(os) || (os == 1 && oi == 0);
        boolean newIdentity = slope == 1 && inter == 0;
        boolean same = (origIdentity && newIdentity) || (os == slope && oi == inter);
        if (!(sameType && same)) {
            h.sclSlope = slope;
            h.sclInter = inter;
        }
        return new NiftiImage(h, data);
    }
}
