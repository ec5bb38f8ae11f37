package org.dopaj.io;

import org.dopaj.DopajException;

/**
 * The NIfTI voxel datatypes DopaJ reads and writes, with their on-disk code, bits per voxel and the short
 * name a user sees ("uint8", "int16", ... "rgb24"). Complex and 128-bit types are refused by {@link #of}.
 */
public enum NiftiDatatype {
    UINT8(2, 8, "uint8", 0, 255),
    INT16(4, 16, "int16", Short.MIN_VALUE, Short.MAX_VALUE),
    INT32(8, 32, "int32", Integer.MIN_VALUE, Integer.MAX_VALUE),
    FLOAT32(16, 32, "float32", -Float.MAX_VALUE, Float.MAX_VALUE),
    FLOAT64(64, 64, "float64", -Double.MAX_VALUE, Double.MAX_VALUE),
    RGB24(128, 24, "rgb24", 0, 255),
    INT8(256, 8, "int8", Byte.MIN_VALUE, Byte.MAX_VALUE),
    UINT16(512, 16, "uint16", 0, 65535),
    UINT32(768, 32, "uint32", 0, 4294967295.0),
    INT64(1024, 64, "int64", -9.223372036854775808E18, 9.223372036854775807E18),
    UINT64(1280, 64, "uint64", 0, 1.8446744073709551615E19);

    private final int code;
    private final int bitpix;
    private final String label;
    private final double min;
    private final double max;

    NiftiDatatype(int code, int bitpix, String label, double min, double max) {
        this.code = code;
        this.bitpix = bitpix;
        this.label = label;
        this.min = min;
        this.max = max;
    }

    /** The NIfTI {@code datatype} code (e.g. 4 for int16). */
    public int code() {
        return code;
    }

    /** Bits per voxel, the value the header's {@code bitpix} must hold. */
    public int bitpix() {
        return bitpix;
    }

    /** Bytes per voxel on disk. */
    public int bytes() {
        return bitpix / 8;
    }

    /** Bytes of one number, the unit of byte swapping (1 for RGB24, whose 3 bytes are never swapped). */
    int swapUnit() {
        return this == RGB24 ? 1 : bytes();
    }

    /** Short lower-case name: "uint8", "int16", "int32", "float32", "float64", "rgb24", "int8", ... */
    public String label() {
        return label;
    }

    /** True for the integer types (the ones a float value must be rounded and range-checked for). */
    public boolean isInteger() {
        return this != FLOAT32 && this != FLOAT64 && this != RGB24;
    }

    /** Smallest storable value (for integer types; -Float.MAX_VALUE etc. for floats). */
    public double min() {
        return min;
    }

    /** Largest storable value. */
    public double max() {
        return max;
    }

    /** The datatype of a NIfTI code, or a {@link DopajException} naming the unsupported code. */
    public static NiftiDatatype of(int code) {
        for (NiftiDatatype d : values()) {
            if (d.code == code) {
                return d;
            }
        }
        throw new DopajException("unsupported NIfTI datatype " + code + " (" + knownName(code)
                + "): DopaJ reads uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64 and rgb24");
    }

    /** The datatype of a user-typed name such as "int16" or "float32" (case-insensitive). */
    public static NiftiDatatype byName(String name) {
        for (NiftiDatatype d : values()) {
            if (d.label.equalsIgnoreCase(name.trim())) {
                return d;
            }
        }
        throw new DopajException("unknown datatype '" + name + "': use one of uint8, int8, int16, uint16, int32, "
                + "uint32, int64, uint64, float32, float64, rgb24");
    }

    /** The NIfTI name of any datatype code, supported or not, for messages. */
    static String knownName(int code) {
        switch (code) {
            case 0: return "unknown";
            case 1: return "binary";
            case 32: return "complex64";
            case 1536: return "float128";
            case 1792: return "complex128";
            case 2048: return "complex256";
            case 2304: return "rgba32";
            default:
                for (NiftiDatatype d : values()) {
                    if (d.code == code) {
                        return d.label;
                    }
                }
                return "not a NIfTI datatype";
        }
    }
}
