package org.dopaj.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Memory;
import org.dopaj.image.Volume;

/**
 * A NIfTI image as it is on disk: its {@link NiftiHeader} and the raw voxel bytes in the file's datatype
 * (little-endian, x fastest), so that NIfTI→NIfTI conversion is bit-exact. {@link #toVolume()} gives the
 * scaled float voxels DopaJ computes on; {@link #affine()} and {@link #grid()} give the geometry as nibabel
 * does. The header is live and mutable ({@link #header()}); the voxel bytes must not be changed.
 */
public final class NiftiImage {
    private final NiftiHeader header;
    private final NiftiDatatype type;
    private final byte[] data;

    /**
     * @param header the header (kept, not copied); its datatype, bitpix and dims describe {@code data}
     * @param data voxel bytes, little-endian, exactly product(dims)·bytes-per-voxel long (kept, not copied)
     */
    public NiftiImage(NiftiHeader header, byte[] data) {
        this.type = NiftiDatatype.of(header.datatype);
        if (header.bitpix != type.bitpix()) {
            throw new DopajException("NIfTI bitpix " + header.bitpix + " does not match datatype " + type.label()
                    + " (" + type.bitpix() + " bits)");
        }
        long n = voxelCount(header);
        if (n * type.bytes() != data.length) {
            throw new DopajException("NIfTI voxel data holds " + data.length + " bytes, the header's dims need "
                    + n * type.bytes());
        }
        this.header = header;
        this.data = data;
    }

    /** A header-only view (no voxel checks), for reading the scaling of a header. */
    private NiftiImage(NiftiHeader header, byte[] data, boolean unchecked) {
        this.header = header;
        this.type = NiftiDatatype.of(header.datatype);
        this.data = data;
    }

    /** product(dim[1..dim[0]]), refusing dim[0] outside 1..7, non-positive sizes and overflow. */
    static long voxelCount(NiftiHeader h) {
        if (h.dim[0] < 1 || h.dim[0] > 7) {
            throw new DopajException("dim[0] = " + h.dim[0] + " is not a number of dimensions (1..7)");
        }
        long n = 1;
        for (int i = 1; i <= h.dim[0]; i++) {
            if (h.dim[i] <= 0) {
                throw new DopajException("dim[" + i + "] = " + h.dim[i] + " is not a positive size (dims "
                        + Arrays.toString(h.shape()) + ")");
            }
            try {
                n = Math.multiplyExact(n, h.dim[i]);
            } catch (ArithmeticException e) {
                throw new DopajException("dims " + Arrays.toString(h.shape()) + " overflow: their product does not fit in 64 bits");
            }
        }
        try {
            Math.multiplyExact(n, (long) Math.max(1, h.bitpix / 8));
        } catch (ArithmeticException e) {
            throw new DopajException("dims " + Arrays.toString(h.shape()) + " overflow: the data size does not fit in 64 bits");
        }
        return n;
    }

    /** The live header: edits are written by {@link Nifti#write(NiftiImage, java.nio.file.Path)}. */
    public NiftiHeader header() {
        return header;
    }

    /** The live voxel bytes (little-endian, file datatype, x fastest). Do not modify. */
    public byte[] data() {
        return data;
    }

    /** A copy of this image that will be written as NIfTI-{@code version} (1 or 2); voxel bytes are shared. */
    public NiftiImage withVersion(int version) {
        if (version != 1 && version != 2) {
            throw new DopajException("NIfTI version must be 1 or 2, got " + version);
        }
        NiftiHeader h = header.copy();
        h.version = version;
        h.magic = NiftiHeader.singleFileMagic(version);
        return new NiftiImage(h, data);
    }

    /** Sizes of the image axes, dim[1..dim[0]] (e.g. [91,109,91] or [10,10,10,65]). */
    public int[] dims() {
        long[] s = header.shape();
        int[] r = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            if (s[i] > Integer.MAX_VALUE) {
                throw new DopajException("dimension " + s[i] + " is too large for DopaJ");
            }
            r[i] = (int) s[i];
        }
        return r;
    }

    /** Number of frames: dim[4] for a 4D image, 1 for 3D and below. */
    public int nt() {
        return header.ndim() >= 4 ? (int) header.dim[4] : 1;
    }

    public NiftiDatatype datatype() {
        return type;
    }

    /** "uint8", "int16", "int32", "float32", "float64", "rgb24", ... */
    public String datatypeName() {
        return type.label();
    }

    /** The voxel→mm affine nibabel would give ({@link NiftiHeader#bestAffine()}). */
    public double[][] affine() {
        return header.bestAffine();
    }

    /**
     * The 3D grid: dims i,j,k (1 for missing axes), voxel size |pixdim[1..3]| (the affine's column norms where
     * pixdim is zero or not finite), and {@link #affine()}. Values are taken as mm, as nibabel does (xyzt_units
     * is reported by {@link NiftiHeader#spatialUnit()} but not applied).
     */
    public Grid grid() {
        double[][] a = affine();
        int[] d = dims();
        int nx = d[0];
        int ny = d.length > 1 ? d[1] : 1;
        int nz = d.length > 2 ? d[2] : 1;
        double[] vox = new double[3];
        for (int c = 0; c < 3; c++) {
            double p = Math.abs(header.pixdim[c + 1]);
            if (!(p > 0) || !Double.isFinite(p) || (c >= header.ndim())) {
                p = Math.sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
            }
            vox[c] = p > 0 && Double.isFinite(p) ? p : 1;
        }
        return new Grid(nx, ny, nz, vox, a);
    }

    /**
     * The effective scaling {slope, intercept} as nibabel applies it, or null when scl_slope is 0 or not finite
     * (values used as stored). A valid slope with a non-finite intercept is refused.
     */
    public double[] scaling() {
        double s = header.sclSlope;
        if (s == 0 || !Double.isFinite(s)) {
            return null;
        }
        if (!Double.isFinite(header.sclInter)) {
            throw new DopajException("NIfTI scl_slope " + s + " is valid but scl_inter " + header.sclInter + " is not");
        }
        return new double[]{s, header.sclInter};
    }

    /** True when the stored values are used as they are (no slope, or slope 1 and intercept 0). */
    public boolean isUnscaled() {
        double[] sc = scaling();
        return sc == null || (sc[0] == 1 && sc[1] == 0);
    }

    /**
     * The voxels as floats with scl_slope/scl_inter applied (when slope ≠ 0 and finite, as nibabel), on
     * {@link #grid()}, 4D images as frames. Refuses RGB24 and images with more than 4 dimensions in use.
     */
    public Volume toVolume() {
        if (type == NiftiDatatype.RGB24) {
            throw new DopajException("an rgb24 NIfTI has colour voxels, not one number per voxel: open it in ImageJ as RGB");
        }
        for (int i = 5; i <= header.ndim(); i++) {
            if (header.dim[i] > 1) {
                throw new DopajException("NIfTI image has " + header.ndim() + " dimensions (dims "
                        + Arrays.toString(header.shape()) + "): DopaJ handles 3D and 4D only");
            }
        }
        Grid g = grid();
        int nt = nt();
        Volume v = Volume.allocate(g, nt);
        double[] sc = scaling();
        float[][] planes = v.planes();
        int len = g.nx() * g.ny();
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < planes.length; p++) {
            decode(bb, (long) p * len, planes[p], sc);
        }
        return v;
    }

    /** Decodes out.length voxels starting at voxel index {@code first}, applying the scaling when not null. */
    private void decode(ByteBuffer bb, long first, float[] out, double[] sc) {
        int n = out.length;
        int off = Math.toIntExact(first * type.bytes());
        ByteBuffer src = bb.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        src.position(off);
        src = src.slice().order(ByteOrder.LITTLE_ENDIAN);
        double s = sc == null ? 1 : sc[0];
        double b = sc == null ? 0 : sc[1];
        boolean identity = sc == null || (s == 1 && b == 0);
        switch (type) {
            case UINT8:
                for (int i = 0; i < n; i++) {
                    out[i] = scale(src.get(i) & 0xff, s, b, identity);
                }
                break;
            case INT8:
                for (int i = 0; i < n; i++) {
                    out[i] = scale(src.get(i), s, b, identity);
                }
                break;
            case INT16: {
                short[] t = new short[n];
                src.asShortBuffer().get(t);
                for (int i = 0; i < n; i++) {
                    out[i] = scale(t[i], s, b, identity);
                }
                break;
            }
            case UINT16: {
                short[] t = new short[n];
                src.asShortBuffer().get(t);
                for (int i = 0; i < n; i++) {
                    out[i] = scale(t[i] & 0xffff, s, b, identity);
                }
                break;
            }
            case INT32: {
                int[] t = new int[n];
                src.asIntBuffer().get(t);
                for (int i = 0; i < n; i++) {
                    out[i] = identity ? (float) t[i] : (float) (t[i] * s + b);
                }
                break;
            }
            case UINT32: {
                int[] t = new int[n];
                src.asIntBuffer().get(t);
                for (int i = 0; i < n; i++) {
                    double v = t[i] & 0xffffffffL;
                    out[i] = identity ? (float) v : (float) (v * s + b);
                }
                break;
            }
            case INT64: {
                long[] t = new long[n];
                src.asLongBuffer().get(t);
                for (int i = 0; i < n; i++) {
                    out[i] = identity ? (float) t[i] : (float) (t[i] * s + b);
                }
                break;
            }
            case UINT64: {
                long[] t = new long[n];
                src.asLongBuffer().get(t);
                for (int i = 0; i < n; i++) {
                    double v = unsigned(t[i]);
                    out[i] = identity ? (float) v : (float) (v * s + b);
                }
                break;
            }
            case FLOAT32: {
                src.asFloatBuffer().get(out);
                if (!identity) {
                    for (int i = 0; i < n; i++) {
                        out[i] = (float) (out[i] * s + b);
                    }
                }
                break;
            }
            case FLOAT64: {
                double[] t = new double[n];
                src.asDoubleBuffer().get(t);
                for (int i = 0; i < n; i++) {
                    out[i] = identity ? (float) t[i] : (float) (t[i] * s + b);
                }
                break;
            }
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    private static float scale(int v, double s, double b, boolean identity) {
        return identity ? v : (float) (v * s + b);
    }

    static double unsigned(long v) {
        double d = (double) (v >>> 1) * 2.0 + (v & 1);
        return v >= 0 ? v : d;
    }

    /** The stored (unscaled) value of voxel {@code index} (x fastest over all dims), as a double. RGB24: refused. */
    public double rawValue(long index) {
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        int o = Math.toIntExact(index * type.bytes());
        switch (type) {
            case UINT8: return bb.get(o) & 0xff;
            case INT8: return bb.get(o);
            case INT16: return bb.getShort(o);
            case UINT16: return bb.getShort(o) & 0xffff;
            case INT32: return bb.getInt(o);
            case UINT32: return bb.getInt(o) & 0xffffffffL;
            case INT64: return bb.getLong(o);
            case UINT64: return unsigned(bb.getLong(o));
            case FLOAT32: return bb.getFloat(o);
            case FLOAT64: return bb.getDouble(o);
            default: throw new DopajException("rgb24 voxels have three values: no single raw value");
        }
    }

    /** Number of NaN or infinite stored voxels (0 for integer types). */
    public long countNonFinite() {
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        long bad = 0;
        if (type == NiftiDatatype.FLOAT32) {
            int n = data.length / 4;
            for (int i = 0; i < n; i++) {
                if (!Float.isFinite(bb.getFloat(4 * i))) {
                    bad++;
                }
            }
        } else if (type == NiftiDatatype.FLOAT64) {
            int n = data.length / 8;
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(bb.getDouble(8 * i))) {
                    bad++;
                }
            }
        }
        return bad;
    }

    /**
     * A NIfTI image of a float volume stored as {@code type} (float32 when null): values are rounded to the
     * nearest integer for integer types, and a value that does not fit (or is NaN for an integer type) is
     * refused naming the voxel. Geometry: sform = the grid's affine, qform from it (nibabel's set_qform),
     * codes from the template's sform/qform code (else {@link NiftiHeader#XFORM_ALIGNED}), pixdim[1..3] = the
     * grid's voxel size, xyzt_units = mm (time unit bits kept from the template), scl_slope 1 / scl_inter 0.
     * The template (may be null) gives version, intent, descrip, aux_file, slice fields, TR and extensions.
     */
    public static NiftiImage fromVolume(Volume vol, NiftiHeader template, NiftiDatatype type) {
        if (type == null) {
            type = NiftiDatatype.FLOAT32;
        }
        if (type == NiftiDatatype.RGB24) {
            throw new DopajException("a float volume cannot be written as rgb24: choose a numeric datatype");
        }
        Grid g = vol.grid();
        int nt = vol.nt();
        NiftiHeader h = headerFor(g, nt, template, type);

        long nvox = Memory.voxels(g.nx(), g.ny(), g.nz(), nt);
        long bytes = nvox * type.bytes();
        if (bytes > Integer.MAX_VALUE - 8) {
            throw new DopajException("volume needs " + Memory.human(bytes) + " of voxel data: over the 2 GiB a NIfTI image can hold in DopaJ");
        }
        Memory.require(bytes, "the NIfTI voxel data (" + Memory.human(bytes) + ")");
        byte[] out = new byte[(int) bytes];
        ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        float[][] planes = vol.planes();
        int len = g.nx() * g.ny();
        int bpv = type.bytes();
        for (int p = 0; p < planes.length; p++) {
            float[] src = planes[p];
            int base = p * len * bpv;
            if (type == NiftiDatatype.FLOAT32) {
                ByteBuffer s = bb.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                s.position(base);
                s.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(src);
                continue;
            }
            for (int i = 0; i < len; i++) {
                float v = src[i];
                int o = base + i * bpv;
                if (type == NiftiDatatype.FLOAT64) {
                    bb.putDouble(o, v);
                    continue;
                }
                double r = Math.rint(v);
                if (!(r >= type.min() && r <= type.max()) || (type == NiftiDatatype.INT64 && r >= 9.223372036854775807E18)
                        || (type == NiftiDatatype.UINT64 && r >= 1.8446744073709551615E19)) {
                    int z = p % g.nz();
                    int t = p / g.nz();
                    throw new DopajException(String.format("value %s at voxel (%d,%d,%d%s) does not fit %s (%s..%s): choose a wider datatype",
                            v, i % g.nx(), i / g.nx(), z, nt > 1 ? "," + t : "", type.label(),
                            fmt(type.min()), fmt(type.max())));
                }
                switch (type) {
                    case UINT8:
                    case INT8:
                        out[o] = (byte) (long) r;
                        break;
                    case INT16:
                    case UINT16:
                        bb.putShort(o, (short) (long) r);
                        break;
                    case INT32:
                    case UINT32:
                        bb.putInt(o, (int) (long) r);
                        break;
                    case INT64:
                        bb.putLong(o, (long) r);
                        break;
                    case UINT64:
                        bb.putLong(o, r >= 9.223372036854775807E18 ? (long) (r - 9.223372036854775807E18) + Long.MIN_VALUE : (long) r);
                        break;
                    default:
                        throw new IllegalStateException(type.toString());
                }
            }
        }
        return new NiftiImage(h, out);
    }

    /**
     * The header {@link #fromVolume} writes for a grid with {@code nt} frames stored as {@code type}: see there.
     * Used by the ImageJ bridge when an image's geometry no longer matches its original header.
     */
    public static NiftiHeader headerFor(Grid g, int nt, NiftiHeader template, NiftiDatatype type) {
        NiftiHeader h = template != null ? template.copy() : new NiftiHeader();
        h.byteOrder = ByteOrder.LITTLE_ENDIAN;
        boolean big = g.nx() > Short.MAX_VALUE || g.ny() > Short.MAX_VALUE || g.nz() > Short.MAX_VALUE || nt > Short.MAX_VALUE;
        if (template == null || big) {
            h.version = big ? 2 : h.version;
        }
        h.magic = NiftiHeader.singleFileMagic(h.version);
        Arrays.fill(h.dim, 1);
        h.dim[0] = nt > 1 ? 4 : 3;
        h.dim[1] = g.nx();
        h.dim[2] = g.ny();
        h.dim[3] = g.nz();
        h.dim[4] = nt;
        h.datatype = type.code();
        h.bitpix = type.bitpix();
        h.sclSlope = 1;
        h.sclInter = 0;
        h.calMin = 0;
        h.calMax = 0;
        h.glmax = 0;
        h.glmin = 0;
        int code = NiftiHeader.XFORM_ALIGNED;
        if (template != null && template.sformCode > 0) {
            code = template.sformCode;
        } else if (template != null && template.qformCode > 0) {
            code = template.qformCode;
        }
        double[][] a = g.affine();
        h.setSform(a, code);
        h.setQform(a, code);
        double[] vox = g.voxelMm();
        h.pixdim[1] = vox[0];
        h.pixdim[2] = vox[1];
        h.pixdim[3] = vox[2];
        if (template == null) {
            h.pixdim[4] = 1;
        }
        h.xyztUnits = NiftiHeader.UNITS_MM | (template != null ? template.xyztUnits & 0x38 : 0);
        if (template == null) {
            h.extensionBlock = new byte[0];
        }

        return h;
    }

    /**
     * True when {@code h} describes exactly this grid and frame count: same i,j,k sizes, frames, no extra axes,
     * and its {@link NiftiHeader#bestAffine()} equal to the grid's affine (to 1e-9 mm).
     */
    public static boolean sameGeometry(NiftiHeader h, Grid g, int nt) {
        if (h.ndim() < 1 || h.ndim() > 7) {
            return false;
        }
        long[] d = {1, 1, 1, 1, 1, 1, 1, 1};
        for (int i = 1; i <= h.ndim(); i++) {
            d[i] = h.dim[i];
        }
        if (d[1] != g.nx() || d[2] != g.ny() || d[3] != g.nz() || d[4] != nt || d[5] != 1 || d[6] != 1 || d[7] != 1) {
            return false;
        }
        double[][] a = h.bestAffine();
        double[][] b = g.affine();
        for (int r = 0; r < 4; r++) {
            for (int c = 0; c < 4; c++) {
                if (!(Math.abs(a[r][c] - b[r][c]) <= 1e-9)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The volume stored in the original header's datatype and scaling, or null when some voxel would not come
     * back bit-identical through {@link #toVolume()} (a non-integer, out of range, NaN for an integer type).
     * This is how an image opened from NIfTI and saved again keeps its datatype. When the volume's geometry is
     * still the original's ({@link #sameGeometry}) the whole original header is kept; otherwise it is a
     * template for {@link #headerFor} with the datatype and scaling kept. rgb24 originals give null.
     */
    public static NiftiImage fromVolumeExact(Volume vol, NiftiHeader original) {
        NiftiDatatype type;
        try {
            type = NiftiDatatype.of(original.datatype);
        } catch (DopajException e) {
            return null;
        }
        if (type == NiftiDatatype.RGB24) {
            return null;
        }
        double[] sc;
        try {
            sc = new NiftiImage(original, new byte[0], true).scaling();
        } catch (DopajException e) {
            return null;
        }
        double s = sc == null ? 1 : sc[0];
        double b = sc == null ? 0 : sc[1];
        boolean identity = s == 1 && b == 0;
        Grid g = vol.grid();
        long nvox = Memory.voxels(g.nx(), g.ny(), g.nz(), vol.nt());
        long bytes = nvox * type.bytes();
        if (bytes > Integer.MAX_VALUE - 8) {
            return null;
        }
        Memory.require(bytes, "the NIfTI voxel data (" + Memory.human(bytes) + ")");
        byte[] out = new byte[(int) bytes];
        ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int bpv = type.bytes();
        long o = 0;
        for (float[] p : vol.planes()) {
            for (float v : p) {
                int at = (int) o;
                o += bpv;
                if (type == NiftiDatatype.FLOAT32 || type == NiftiDatatype.FLOAT64) {
                    double raw = identity ? v : (v - b) / s;
                    float back;
                    if (type == NiftiDatatype.FLOAT32) {
                        float fr = (float) raw;
                        back = identity ? fr : (float) (fr * s + b);
                        bb.putFloat(at, fr);
                    } else {
                        back = identity ? (float) raw : (float) (raw * s + b);
                        bb.putDouble(at, raw);
                    }
                    if (Float.floatToRawIntBits(back) != Float.floatToRawIntBits(v)) {
                        return null;
                    }
                    continue;
                }
                double raw = Math.rint(identity ? v : (v - b) / s);
                if (!(raw >= type.min() && raw <= type.max()) || raw >= 9.2e18) {
                    return null;
                }
                float back = identity ? (float) raw : (float) (raw * s + b);
                if (Float.floatToRawIntBits(back) != Float.floatToRawIntBits(v)) {
                    return null;
                }
                long r = (long) raw;
                switch (type.bytes()) {
                    case 1:
                        out[at] = (byte) r;
                        break;
                    case 2:
                        bb.putShort(at, (short) r);
                        break;
                    case 4:
                        bb.putInt(at, (int) r);
                        break;
                    default:
                        bb.putLong(at, r);
                }
            }
        }
        NiftiHeader h;
        if (sameGeometry(original, g, vol.nt())) {
            h = original.copy();
        } else {
            h = headerFor(g, vol.nt(), original, type);
            h.sclSlope = original.sclSlope;
            h.sclInter = original.sclInter;
        }
        return new NiftiImage(h, out);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e16 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return "NIfTI-" + header.version + " " + Arrays.toString(dims()) + " " + type.label() + " " + grid();
    }
}
