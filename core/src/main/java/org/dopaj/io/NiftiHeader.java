package org.dopaj.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.dopaj.DopajException;

/**
 * Every field of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header, plus the bytes between the header and
 * the voxel data (extension flag, extensions, padding), kept verbatim so that a file written back is
 * byte-identical. A plain mutable data holder mirroring the on-disk struct (as nibabel's header does):
 * field names follow the NIfTI standard in camelCase; NIfTI-1 floats are held as doubles (exact round trip).
 * Text fields are kept as raw bytes (what follows the first NUL is kept too); {@link #descrip()} etc. decode them.
 *
 * <p>Orientation follows nibabel: {@link #bestAffine()} is the sform when {@code sformCode != 0}, else the
 * qform when {@code qformCode != 0}, else the {@link #baseAffine() base affine}.
 */
public final class NiftiHeader {
    /** NIfTI xyzt_units code for millimetres. */
    public static final int UNITS_MM = 2;
    /** sform/qform code "scanner anatomical". */
    public static final int XFORM_SCANNER = 1;
    /** sform/qform code "aligned to another file". */
    public static final int XFORM_ALIGNED = 2;
    /** sform/qform code "Talairach". */
    public static final int XFORM_TALAIRACH = 3;
    /** sform/qform code "MNI 152". */
    public static final int XFORM_MNI = 4;

    /** 1 or 2. */
    public int version = 1;
    /** Byte order the header was read in (files are always written little-endian). */
    public ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;

    // NIfTI-1 only, unused by the standard but kept for a byte-exact round trip
    public byte[] dataTypeLegacy = new byte[10];
    public byte[] dbName = new byte[18];
    public int extents;
    public short sessionError;
    public byte regular;
    public int glmax;
    public int glmin;
    // NIfTI-2 only
    public byte[] unusedStr = new byte[15];

    public byte dimInfo;
    /** dim[0] = number of dimensions (1..7), dim[1..7] = sizes. */
    public long[] dim = {3, 1, 1, 1, 1, 1, 1, 1};
    public double intentP1;
    public double intentP2;
    public double intentP3;
    public int intentCode;
    public int datatype = NiftiDatatype.FLOAT32.code();
    public int bitpix = 32;
    public long sliceStart;
    /** pixdim[0] = qfac (±1), pixdim[1..3] voxel size, pixdim[4] TR. */
    public double[] pixdim = {1, 1, 1, 1, 1, 1, 1, 1};
    public long voxOffset;
    public double sclSlope = 1;
    public double sclInter;
    public long sliceEnd;
    public int sliceCode;
    public int xyztUnits = UNITS_MM;
    public double calMax;
    public double calMin;
    public double sliceDuration;
    public double toffset;
    public byte[] descrip = new byte[80];
    public byte[] auxFile = new byte[24];
    public int qformCode;
    public int sformCode;
    public double quaternB;
    public double quaternC;
    public double quaternD;
    public double qoffsetX;
    public double qoffsetY;
    public double qoffsetZ;
    public double[] srowX = new double[4];
    public double[] srowY = new double[4];
    public double[] srowZ = new double[4];
    public byte[] intentName = new byte[16];
    /** 4 bytes (NIfTI-1, "n+1\0" or "ni1\0") or 8 bytes (NIfTI-2, "n+2\0\r\n\032\n"). */
    public byte[] magic = singleFileMagic(1);
    /**
     * Bytes between the end of the header and the voxel data in a single file (extension flag, extensions,
     * padding): written back verbatim. Empty for a new header (then 4 zero bytes are written).
     */
    public byte[] extensionBlock = new byte[0];

    /** Header size of a version: 348 or 540. */
    public static int headerSize(int version) {
        return version == 2 ? 540 : 348;
    }

    static byte[] singleFileMagic(int version) {
        return version == 2 ? new byte[]{'n', '+', '2', 0, '\r', '\n', 032, '\n'} : new byte[]{'n', '+', '1', 0};
    }

    /** A deep copy. */
    public NiftiHeader copy() {
        NiftiHeader h = new NiftiHeader();
        h.version = version;
        h.byteOrder = byteOrder;
        h.dataTypeLegacy = dataTypeLegacy.clone();
        h.dbName = dbName.clone();
        h.extents = extents;
        h.sessionError = sessionError;
        h.regular = regular;
        h.glmax = glmax;
        h.glmin = glmin;
        h.unusedStr = unusedStr.clone();
        h.dimInfo = dimInfo;
        h.dim = dim.clone();
        h.intentP1 = intentP1;
        h.intentP2 = intentP2;
        h.intentP3 = intentP3;
        h.intentCode = intentCode;
        h.datatype = datatype;
        h.bitpix = bitpix;
        h.sliceStart = sliceStart;
        h.pixdim = pixdim.clone();
        h.voxOffset = voxOffset;
        h.sclSlope = sclSlope;
        h.sclInter = sclInter;
        h.sliceEnd = sliceEnd;
        h.sliceCode = sliceCode;
        h.xyztUnits = xyztUnits;
        h.calMax = calMax;
        h.calMin = calMin;
        h.sliceDuration = sliceDuration;
        h.toffset = toffset;
        h.descrip = descrip.clone();
        h.auxFile = auxFile.clone();
        h.qformCode = qformCode;
        h.sformCode = sformCode;
        h.quaternB = quaternB;
        h.quaternC = quaternC;
        h.quaternD = quaternD;
        h.qoffsetX = qoffsetX;
        h.qoffsetY = qoffsetY;
        h.qoffsetZ = qoffsetZ;
        h.srowX = srowX.clone();
        h.srowY = srowY.clone();
        h.srowZ = srowZ.clone();
        h.intentName = intentName.clone();
        h.magic = magic.clone();
        h.extensionBlock = extensionBlock.clone();
        return h;
    }

    // ---------------------------------------------------------------- reading and writing the struct

    /**
     * Byte order of a header from its first 4 bytes (sizeof_hdr = 348 or 540), or null when neither order gives
     * a NIfTI size.
     */
    static ByteOrder detectOrder(byte[] first4) {
        ByteBuffer b = ByteBuffer.wrap(first4, 0, 4);
        int le = b.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (le == 348 || le == 540) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        int be = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
        if (be == 348 || be == 540) {
            return ByteOrder.BIG_ENDIAN;
        }
        return null;
    }

    /** Parses a 348- or 540-byte header (version from sizeof_hdr) in the given byte order. */
    static NiftiHeader parse(byte[] raw, ByteOrder order) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(order);
        NiftiHeader h = new NiftiHeader();
        h.byteOrder = order;
        int size = b.getInt(0);
        if (size == 348) {
            h.version = 1;
            h.dataTypeLegacy = bytes(b, 4, 10);
            h.dbName = bytes(b, 14, 18);
            h.extents = b.getInt(32);
            h.sessionError = b.getShort(36);
            h.regular = b.get(38);
            h.dimInfo = b.get(39);
            for (int i = 0; i < 8; i++) {
                h.dim[i] = b.getShort(40 + 2 * i);
            }
            h.intentP1 = b.getFloat(56);
            h.intentP2 = b.getFloat(60);
            h.intentP3 = b.getFloat(64);
            h.intentCode = b.getShort(68);
            h.datatype = b.getShort(70);
            h.bitpix = b.getShort(72);
            h.sliceStart = b.getShort(74);
            for (int i = 0; i < 8; i++) {
                h.pixdim[i] = b.getFloat(76 + 4 * i);
            }
            float vo = b.getFloat(108);
            h.voxOffset = (long) vo;
            h.sclSlope = b.getFloat(112);
            h.sclInter = b.getFloat(116);
            h.sliceEnd = b.getShort(120);
            h.sliceCode = b.get(122) & 0xff;
            h.xyztUnits = b.get(123) & 0xff;
            h.calMax = b.getFloat(124);
            h.calMin = b.getFloat(128);
            h.sliceDuration = b.getFloat(132);
            h.toffset = b.getFloat(136);
            h.glmax = b.getInt(140);
            h.glmin = b.getInt(144);
            h.descrip = bytes(b, 148, 80);
            h.auxFile = bytes(b, 228, 24);
            h.qformCode = b.getShort(252);
            h.sformCode = b.getShort(254);
            h.quaternB = b.getFloat(256);
            h.quaternC = b.getFloat(260);
            h.quaternD = b.getFloat(264);
            h.qoffsetX = b.getFloat(268);
            h.qoffsetY = b.getFloat(272);
            h.qoffsetZ = b.getFloat(276);
            for (int i = 0; i < 4; i++) {
                h.srowX[i] = b.getFloat(280 + 4 * i);
                h.srowY[i] = b.getFloat(296 + 4 * i);
                h.srowZ[i] = b.getFloat(312 + 4 * i);
            }
            h.intentName = bytes(b, 328, 16);
            h.magic = bytes(b, 344, 4);
        } else {
            h.version = 2;
            h.magic = bytes(b, 4, 8);
            h.datatype = b.getShort(12);
            h.bitpix = b.getShort(14);
            for (int i = 0; i < 8; i++) {
                h.dim[i] = b.getLong(16 + 8 * i);
            }
            h.intentP1 = b.getDouble(80);
            h.intentP2 = b.getDouble(88);
            h.intentP3 = b.getDouble(96);
            for (int i = 0; i < 8; i++) {
                h.pixdim[i] = b.getDouble(104 + 8 * i);
            }
            h.voxOffset = b.getLong(168);
            h.sclSlope = b.getDouble(176);
            h.sclInter = b.getDouble(184);
            h.calMax = b.getDouble(192);
            h.calMin = b.getDouble(200);
            h.sliceDuration = b.getDouble(208);
            h.toffset = b.getDouble(216);
            h.sliceStart = b.getLong(224);
            h.sliceEnd = b.getLong(232);
            h.descrip = bytes(b, 240, 80);
            h.auxFile = bytes(b, 320, 24);
            h.qformCode = b.getInt(344);
            h.sformCode = b.getInt(348);
            h.quaternB = b.getDouble(352);
            h.quaternC = b.getDouble(360);
            h.quaternD = b.getDouble(368);
            h.qoffsetX = b.getDouble(376);
            h.qoffsetY = b.getDouble(384);
            h.qoffsetZ = b.getDouble(392);
            for (int i = 0; i < 4; i++) {
                h.srowX[i] = b.getDouble(400 + 8 * i);
                h.srowY[i] = b.getDouble(432 + 8 * i);
                h.srowZ[i] = b.getDouble(464 + 8 * i);
            }
            h.sliceCode = b.getInt(496);
            h.xyztUnits = b.getInt(500);
            h.intentCode = b.getInt(504);
            h.intentName = bytes(b, 508, 16);
            h.dimInfo = b.get(524);
            h.unusedStr = bytes(b, 525, 15);
        }
        return h;
    }

    private static byte[] bytes(ByteBuffer b, int off, int len) {
        byte[] r = new byte[len];
        b.get(off, r);
        return r;
    }

    /**
     * The header struct as little-endian bytes for this header's {@link #version}. Values that do not fit a
     * NIfTI-1 field (dims over 32767) are refused: use NIfTI-2.
     */
    byte[] toBytes() {
        return toBytes(ByteOrder.LITTLE_ENDIAN);
    }

    /** The header struct in the given byte order (big-endian only serves tests that craft such files). */
    byte[] toBytes(ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(headerSize(version)).order(order);
        if (version == 1) {
            b.putInt(0, 348);
            b.put(4, fit(dataTypeLegacy, 10));
            b.put(14, fit(dbName, 18));
            b.putInt(32, extents);
            b.putShort(36, sessionError);
            b.put(38, regular);
            b.put(39, dimInfo);
            for (int i = 0; i < 8; i++) {
                b.putShort(40 + 2 * i, toShort(dim[i], "dim[" + i + "]"));
            }
            b.putFloat(56, (float) intentP1);
            b.putFloat(60, (float) intentP2);
            b.putFloat(64, (float) intentP3);
            b.putShort(68, toShort(intentCode, "intent_code"));
            b.putShort(70, toShort(datatype, "datatype"));
            b.putShort(72, toShort(bitpix, "bitpix"));
            b.putShort(74, toShort(sliceStart, "slice_start"));
            for (int i = 0; i < 8; i++) {
                b.putFloat(76 + 4 * i, (float) pixdim[i]);
            }
            b.putFloat(108, (float) voxOffset);
            b.putFloat(112, (float) sclSlope);
            b.putFloat(116, (float) sclInter);
            b.putShort(120, toShort(sliceEnd, "slice_end"));
            b.put(122, (byte) sliceCode);
            b.put(123, (byte) xyztUnits);
            b.putFloat(124, (float) calMax);
            b.putFloat(128, (float) calMin);
            b.putFloat(132, (float) sliceDuration);
            b.putFloat(136, (float) toffset);
            b.putInt(140, glmax);
            b.putInt(144, glmin);
            b.put(148, fit(descrip, 80));
            b.put(228, fit(auxFile, 24));
            b.putShort(252, toShort(qformCode, "qform_code"));
            b.putShort(254, toShort(sformCode, "sform_code"));
            b.putFloat(256, (float) quaternB);
            b.putFloat(260, (float) quaternC);
            b.putFloat(264, (float) quaternD);
            b.putFloat(268, (float) qoffsetX);
            b.putFloat(272, (float) qoffsetY);
            b.putFloat(276, (float) qoffsetZ);
            for (int i = 0; i < 4; i++) {
                b.putFloat(280 + 4 * i, (float) srowX[i]);
                b.putFloat(296 + 4 * i, (float) srowY[i]);
                b.putFloat(312 + 4 * i, (float) srowZ[i]);
            }
            b.put(328, fit(intentName, 16));
            b.put(344, fit(magic, 4));
        } else {
            b.putInt(0, 540);
            b.put(4, fit(magic, 8));
            b.putShort(12, toShort(datatype, "datatype"));
            b.putShort(14, toShort(bitpix, "bitpix"));
            for (int i = 0; i < 8; i++) {
                b.putLong(16 + 8 * i, dim[i]);
            }
            b.putDouble(80, intentP1);
            b.putDouble(88, intentP2);
            b.putDouble(96, intentP3);
            for (int i = 0; i < 8; i++) {
                b.putDouble(104 + 8 * i, pixdim[i]);
            }
            b.putLong(168, voxOffset);
            b.putDouble(176, sclSlope);
            b.putDouble(184, sclInter);
            b.putDouble(192, calMax);
            b.putDouble(200, calMin);
            b.putDouble(208, sliceDuration);
            b.putDouble(216, toffset);
            b.putLong(224, sliceStart);
            b.putLong(232, sliceEnd);
            b.put(240, fit(descrip, 80));
            b.put(320, fit(auxFile, 24));
            b.putInt(344, qformCode);
            b.putInt(348, sformCode);
            b.putDouble(352, quaternB);
            b.putDouble(360, quaternC);
            b.putDouble(368, quaternD);
            b.putDouble(376, qoffsetX);
            b.putDouble(384, qoffsetY);
            b.putDouble(392, qoffsetZ);
            for (int i = 0; i < 4; i++) {
                b.putDouble(400 + 8 * i, srowX[i]);
                b.putDouble(432 + 8 * i, srowY[i]);
                b.putDouble(464 + 8 * i, srowZ[i]);
            }
            b.putInt(496, sliceCode);
            b.putInt(500, xyztUnits);
            b.putInt(504, intentCode);
            b.put(508, fit(intentName, 16));
            b.put(524, dimInfo);
            b.put(525, fit(unusedStr, 15));
        }
        return b.array();
    }

    private static byte[] fit(byte[] src, int len) {
        return src.length == len ? src : Arrays.copyOf(src, len);
    }

    private static short toShort(long v, String field) {
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            throw new DopajException("NIfTI-1 cannot hold " + field + " = " + v + " (over 32767): write NIfTI-2");
        }
        return (short) v;
    }

    // ---------------------------------------------------------------- convenience views

    /** Number of dimensions, dim[0]. */
    public int ndim() {
        return (int) dim[0];
    }

    /** Sizes of the dim[0] axes (dim[1..dim[0]]). */
    public long[] shape() {
        return Arrays.copyOfRange(dim, 1, 1 + Math.max(0, Math.min(7, ndim())));
    }

    /** The datatype (a {@link DopajException} for unsupported codes). */
    public NiftiDatatype datatypeEnum() {
        return NiftiDatatype.of(datatype);
    }

    public String descrip() {
        return text(descrip);
    }

    public void setDescrip(String s) {
        descrip = textBytes(s, 80);
    }

    public String auxFile() {
        return text(auxFile);
    }

    public String intentName() {
        return text(intentName);
    }

    /** Spatial unit name from xyzt_units: "unknown", "m", "mm" or "um". */
    public String spatialUnit() {
        switch (xyztUnits & 0x07) {
            case 1: return "m";
            case 2: return "mm";
            case 3: return "um";
            default: return "unknown";
        }
    }

    /** Factor from the spatial unit to mm (1 when unknown: NIfTI readers assume mm). */
    public double toMmFactor() {
        switch (xyztUnits & 0x07) {
            case 1: return 1000;
            case 3: return 0.001;
            default: return 1;
        }
    }

    /** Name of an sform/qform code ("unknown", "scanner", "aligned", "talairach", "mni", or the number). */
    public static String xformName(int code) {
        switch (code) {
            case 0: return "unknown";
            case 1: return "scanner";
            case 2: return "aligned";
            case 3: return "talairach";
            case 4: return "mni";
            case 5: return "template";
            default: return Integer.toString(code);
        }
    }

    static String text(byte[] b) {
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    static byte[] textBytes(String s, int len) {
        byte[] r = new byte[len];
        byte[] src = s.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(src, 0, r, 0, Math.min(len - 1, src.length));
        return r;
    }

    /** One NIfTI header extension: ecode and its payload (esize − 8 bytes). */
    public record Extension(int code, byte[] data) {
    }

    /** The extensions parsed from {@link #extensionBlock} (empty when the extension flag is 0). */
    public List<Extension> extensions() {
        List<Extension> out = new ArrayList<>();
        if (extensionBlock.length < 4 || extensionBlock[0] == 0) {
            return out;
        }
        ByteBuffer b = ByteBuffer.wrap(extensionBlock).order(byteOrder);
        int pos = 4;
        while (pos + 8 <= extensionBlock.length) {
            int esize = b.getInt(pos);
            int ecode = b.getInt(pos + 4);
            if (esize < 8 || pos + esize > extensionBlock.length) {
                break; // padding or a damaged extension: the block is still kept verbatim
            }
            out.add(new Extension(ecode, Arrays.copyOfRange(extensionBlock, pos + 8, pos + esize)));
            pos += esize;
        }
        return out;
    }

    // ---------------------------------------------------------------- orientation

    /** The sform as a 4×4 matrix (srow_x/y/z, last row 0 0 0 1), whatever sform_code says. */
    public double[][] sform() {
        return new double[][]{srowX.clone(), srowY.clone(), srowZ.clone(), {0, 0, 0, 1}};
    }

    /** qfac from pixdim[0]: −1 when negative, else +1 (0 is read as 1, as nibabel and the standard do). */
    public double qfac() {
        return pixdim[0] < 0 ? -1 : 1;
    }

    /**
     * The qform as a 4×4 matrix (quaternion b,c,d with a = √(1−b²−c²−d²), voxel sizes pixdim[1..3], qfac
     * on the third column, offsets qoffset_x/y/z), computed as nibabel's {@code get_qform}.
     */
    public double[][] qform() {
        double b = quaternB;
        double c = quaternC;
        double d = quaternD;
        double w2 = 1.0 - (b * b + c * c + d * d);
        double eps = version == 1 ? 3 * Math.ulp(1.0f) : 3 * Math.ulp(1.0);
        double a;
        if (w2 < 0) {
            if (w2 < -eps) {
                throw new DopajException("qform quaternion (b,c,d) = (" + b + "," + c + "," + d
                        + ") has norm above 1: not a rotation");
            }
            a = 0;
        } else {
            a = Math.sqrt(w2);
        }
        double[][] r = quatToMatrix(a, b, c, d);
        double[] vox = {Math.abs(pixdim[1]), Math.abs(pixdim[2]), Math.abs(pixdim[3]) * qfac()};
        double[][] m = new double[4][4];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                m[i][j] = r[i][j] * vox[j];
            }
        }
        m[0][3] = qoffsetX;
        m[1][3] = qoffsetY;
        m[2][3] = qoffsetZ;
        m[3][3] = 1;
        return m;
    }

    /** Rotation matrix of a quaternion, as nibabel's {@code quat2mat} (identity for a near-zero quaternion). */
    static double[][] quatToMatrix(double w, double x, double y, double z) {
        double nq = w * w + x * x + y * y + z * z;
        if (nq < Math.ulp(1.0)) {
            return new double[][]{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
        }
        double s = 2.0 / nq;
        double bx = x * s;
        double by = y * s;
        double bz = z * s;
        double wX = w * bx;
        double wY = w * by;
        double wZ = w * bz;
        double xX = x * bx;
        double xY = x * by;
        double xZ = x * bz;
        double yY = y * by;
        double yZ = y * bz;
        double zZ = z * bz;
        return new double[][]{
                {1.0 - (yY + zZ), xY - wZ, xZ + wY},
                {xY + wZ, 1.0 - (xX + zZ), yZ - wX},
                {xZ - wY, yZ + wX, 1.0 - (xX + yY)}};
    }

    /**
     * nibabel's {@code get_base_affine}: no orientation known, so a radiological (LAS) diagonal with voxel
     * sizes pixdim[1..3] and the origin at the centre of the volume.
     */
    public double[][] baseAffine() {
        double[] z = {pixdim[1], pixdim[2], pixdim[3]};
        long[] d = {dim[1], ndim() >= 2 ? dim[2] : 1, ndim() >= 3 ? dim[3] : 1};
        if (ndim() < 2) {
            z[1] = 1;
        }
        if (ndim() < 3) {
            z[2] = 1;
        }
        return new double[][]{
                {-z[0], 0, 0, (d[0] - 1) / 2.0 * z[0]},
                {0, z[1], 0, -(d[1] - 1) / 2.0 * z[1]},
                {0, 0, z[2], -(d[2] - 1) / 2.0 * z[2]},
                {0, 0, 0, 1}};
    }

    /** nibabel's {@code get_best_affine}: sform if sform_code ≠ 0, else qform if qform_code ≠ 0, else base. */
    public double[][] bestAffine() {
        if (sformCode != 0) {
            return sform();
        }
        if (qformCode != 0) {
            return qform();
        }
        return baseAffine();
    }

    /** Which matrix {@link #bestAffine()} uses: "sform", "qform" or "base". */
    public String affineSource() {
        return sformCode != 0 ? "sform" : qformCode != 0 ? "qform" : "base";
    }

    /** Sets srow_x/y/z from the top 3 rows of a 4×4 affine, and sform_code. */
    public void setSform(double[][] affine, int code) {
        srowX = affine[0].clone();
        srowY = affine[1].clone();
        srowZ = affine[2].clone();
        sformCode = code;
    }

    /**
     * Sets the qform from an affine as nibabel's {@code set_qform}: voxel sizes = column norms (into
     * pixdim[1..3]), qfac = sign of the determinant (pixdim[0]), the nearest rotation (polar decomposition)
     * as a quaternion with a ≥ 0, offsets from the last column; qform_code = {@code code}.
     */
    public void setQform(double[][] affine, int code) {
        double[] zooms = new double[3];
        double[][] r = new double[3][3];
        for (int c = 0; c < 3; c++) {
            zooms[c] = Math.sqrt(affine[0][c] * affine[0][c] + affine[1][c] * affine[1][c] + affine[2][c] * affine[2][c]);
            if (zooms[c] == 0) {
                throw new DopajException("affine column " + c + " is zero: cannot make a qform");
            }
            for (int i = 0; i < 3; i++) {
                r[i][c] = affine[i][c] / zooms[c];
            }
        }
        double qf = 1;
        if (det3(r) <= 0) {
            qf = -1;
            for (int i = 0; i < 3; i++) {
                r[i][2] = -r[i][2];
            }
        }
        double[][] p = polar(r);
        double[] q = matrixToQuat(p);
        quaternB = q[1];
        quaternC = q[2];
        quaternD = q[3];
        qoffsetX = affine[0][3];
        qoffsetY = affine[1][3];
        qoffsetZ = affine[2][3];
        pixdim[0] = qf;
        pixdim[1] = zooms[0];
        pixdim[2] = zooms[1];
        pixdim[3] = zooms[2];
        qformCode = code;
    }

    static double det3(double[][] m) {
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }

    /** Nearest orthogonal matrix (polar factor) by Newton's iteration X ← (X + X⁻ᵀ)/2. */
    static double[][] polar(double[][] m) {
        double[][] x = {m[0].clone(), m[1].clone(), m[2].clone()};
        for (int it = 0; it < 100; it++) {
            double det = det3(x);
            if (Math.abs(det) < 1e-300) {
                throw new DopajException("affine rotation part is singular: cannot make a qform");
            }
            // inverse transpose = cofactor matrix / det
            double[][] cof = {
                    {x[1][1] * x[2][2] - x[1][2] * x[2][1], x[1][2] * x[2][0] - x[1][0] * x[2][2], x[1][0] * x[2][1] - x[1][1] * x[2][0]},
                    {x[0][2] * x[2][1] - x[0][1] * x[2][2], x[0][0] * x[2][2] - x[0][2] * x[2][0], x[0][1] * x[2][0] - x[0][0] * x[2][1]},
                    {x[0][1] * x[1][2] - x[0][2] * x[1][1], x[0][2] * x[1][0] - x[0][0] * x[1][2], x[0][0] * x[1][1] - x[0][1] * x[1][0]}};
            double diff = 0;
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double v = 0.5 * (x[i][j] + cof[i][j] / det);
                    diff = Math.max(diff, Math.abs(v - x[i][j]));
                    x[i][j] = v;
                }
            }
            if (diff < 1e-15) {
                break;
            }
        }
        return x;
    }

    /** Quaternion (a,b,c,d), a ≥ 0, of a rotation matrix (Shepperd's method, numerically stable). */
    static double[] matrixToQuat(double[][] r) {
        double tr = r[0][0] + r[1][1] + r[2][2];
        double a;
        double b;
        double c;
        double d;
        if (tr > 0) {
            double s = Math.sqrt(tr + 1.0) * 2;
            a = 0.25 * s;
            b = (r[2][1] - r[1][2]) / s;
            c = (r[0][2] - r[2][0]) / s;
            d = (r[1][0] - r[0][1]) / s;
        } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
            double s = Math.sqrt(1.0 + r[0][0] - r[1][1] - r[2][2]) * 2;
            a = (r[2][1] - r[1][2]) / s;
            b = 0.25 * s;
            c = (r[0][1] + r[1][0]) / s;
            d = (r[0][2] + r[2][0]) / s;
        } else if (r[1][1] > r[2][2]) {
            double s = Math.sqrt(1.0 + r[1][1] - r[0][0] - r[2][2]) * 2;
            a = (r[0][2] - r[2][0]) / s;
            b = (r[0][1] + r[1][0]) / s;
            c = 0.25 * s;
            d = (r[1][2] + r[2][1]) / s;
        } else {
            double s = Math.sqrt(1.0 + r[2][2] - r[0][0] - r[1][1]) * 2;
            a = (r[1][0] - r[0][1]) / s;
            b = (r[0][2] + r[2][0]) / s;
            c = (r[1][2] + r[2][1]) / s;
            d = 0.25 * s;
        }
        if (a < 0) {
            a = -a;
            b = -b;
            c = -c;
            d = -d;
        }
        return new double[]{a, b, c, d};
    }
}
