package org.dopaj.io;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A minimal DICOM Part 10 writer for tests (there is no DICOM library in the build): a 128-byte preamble, "DICM",
 * the group 0002 meta information (explicit VR little endian), then the dataset in explicit VR little endian
 * (1.2.840.10008.1.2.1) or implicit VR little endian (1.2.840.10008.1.2). Sequences and their items are written
 * with defined or undefined lengths ({@link Lengths}). Pixel data is native (OW/OB) or, to test refusals,
 * encapsulated fragments under a compressed transfer syntax.
 */
final class DicomWriter {
    static final String EXPLICIT_LE = "1.2.840.10008.1.2.1";
    static final String IMPLICIT_LE = "1.2.840.10008.1.2";
    static final String NM_IMAGE = "1.2.840.10008.5.1.4.1.1.20";
    static final String ENHANCED_CT = "1.2.840.10008.5.1.4.1.1.2.1";
    static final String CT_IMAGE = "1.2.840.10008.5.1.4.1.1.2";
    static final String RT_DOSE = "1.2.840.10008.5.1.4.1.1.481.2";

    /** How sequences and items give their length. */
    enum Lengths {
        /** byte counts everywhere */
        DEFINED,
        /** sequence and item delimiters everywhere */
        UNDEFINED,
        /** undefined-length sequences holding defined-length items */
        MIXED
    }

    private DicomWriter() {
    }

    /** A DS value as written: 10 significant digits, no exponent (the test computes its expectations from these). */
    static String ds(double v) {
        BigDecimal b = new BigDecimal(v).round(new MathContext(10)).stripTrailingZeros();
        String s = b.toPlainString();
        return s.equals("-0") ? "0" : s;
    }

    /** The number a DS value reads back as. */
    static double dsValue(double v) {
        return Double.parseDouble(ds(v));
    }

    static double[] dsValues(double... v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = dsValue(v[i]);
        }
        return r;
    }

    /** A dataset under construction; elements are written in ascending tag order. */
    static final class Data {
        private final Map<Long, Object[]> elements = new TreeMap<>();

        private Data put(int tag, String vr, Object value) {
            elements.put(Integer.toUnsignedLong(tag), new Object[]{vr, value});
            return this;
        }

        /** A text element (CS, LO, SH, UI, IS, DS, ...), padded to even length. */
        Data text(int tag, String vr, String value) {
            return put(tag, vr, value);
        }

        /** A DS element of several numbers, formatted by {@link DicomWriter#ds}. */
        Data ds(int tag, double... v) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                sb.append(i > 0 ? "\\" : "").append(DicomWriter.ds(v[i]));
            }
            return put(tag, "DS", sb.toString());
        }

        Data is(int tag, int... v) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < v.length; i++) {
                sb.append(i > 0 ? "\\" : "").append(v[i]);
            }
            return put(tag, "IS", sb.toString());
        }

        Data us(int tag, int... v) {
            ByteBuffer b = le(2 * v.length);
            for (int x : v) {
                b.putShort((short) x);
            }
            return put(tag, "US", b.array());
        }

        /** An AT element: tags as group << 16 | element. */
        Data at(int tag, int... tags) {
            ByteBuffer b = le(4 * tags.length);
            for (int t : tags) {
                b.putShort((short) (t >>> 16)).putShort((short) t);
            }
            return put(tag, "AT", b.array());
        }

        /** Drops an element (e.g. the pixel data, to end a file where its header ends). */
        Data without(int tag) {
            elements.remove(Integer.toUnsignedLong(tag));
            return this;
        }

        Data raw(int tag, String vr, byte[] value) {
            return put(tag, vr, value);
        }

        Data seq(int tag, Data... items) {
            return put(tag, "SQ", items);
        }

        /** Native 16-bit pixel data (frames one after the other, rows of columns). */
        Data pixels16(short[] px) {
            ByteBuffer b = le(2 * px.length);
            for (short s : px) {
                b.putShort(s);
            }
            return put(DicomHeader.PIXEL_DATA, "OW", b.array());
        }

        Data pixels32(int[] px) {
            ByteBuffer b = le(4 * px.length);
            for (int s : px) {
                b.putInt(s);
            }
            return put(DicomHeader.PIXEL_DATA, "OB", b.array());
        }

        /** Encapsulated pixel data: an empty offset table and one fragment per frame. */
        Data encapsulated(byte[]... fragments) {
            return put(DicomHeader.PIXEL_DATA, "ENCAPSULATED", fragments);
        }

        /** The dataset bytes, explicit or implicit VR little endian. */
        byte[] encode(boolean explicit, Lengths lengths) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (Map.Entry<Long, Object[]> e : elements.entrySet()) {
                int tag = (int) (long) e.getKey();
                String vr = (String) e.getValue()[0];
                Object v = e.getValue()[1];
                if (vr.equals("SQ")) {
                    boolean undefinedSeq = lengths != Lengths.DEFINED;
                    boolean undefinedItems = lengths == Lengths.UNDEFINED;
                    ByteArrayOutputStream body = new ByteArrayOutputStream();
                    for (Data item : (Data[]) v) {
                        byte[] ib = item.encode(explicit, lengths);
                        header(body, 0xFFFEE000, undefinedItems ? -1 : ib.length);
                        body.writeBytes(ib);
                        if (undefinedItems) {
                            header(body, 0xFFFEE00D, 0);
                        }
                    }
                    if (undefinedSeq) {
                        header(body, 0xFFFEE0DD, 0);
                    }
                    element(out, tag, "SQ", explicit, undefinedSeq ? -1 : body.size());
                    out.writeBytes(body.toByteArray());
                } else if (vr.equals("ENCAPSULATED")) {
                    element(out, tag, "OB", explicit, -1);
                    header(out, 0xFFFEE000, 0);
                    for (byte[] f : (byte[][]) v) {
                        byte[] even = f.length % 2 == 0 ? f : java.util.Arrays.copyOf(f, f.length + 1);
                        header(out, 0xFFFEE000, even.length);
                        out.writeBytes(even);
                    }
                    header(out, 0xFFFEE0DD, 0);
                } else {
                    byte[] bytes = v instanceof String ? pad((String) v, vr.equals("UI")) : (byte[]) v;
                    element(out, tag, vr, explicit, bytes.length);
                    out.writeBytes(bytes);
                }
            }
            return out.toByteArray();
        }
    }

    /** A Part 10 file: preamble (zeros when null, else these 128 bytes), DICM, meta information, dataset. */
    static byte[] file(Data ds, String sopClass, String transferSyntax, Lengths lengths, byte[] preamble) {
        Data meta = new Data()
                .raw(0x00020001, "OB", new byte[]{0, 1})
                .text(0x00020002, "UI", sopClass)
                .text(0x00020003, "UI", "1.2.826.0.1.3680043.2.1143.1")
                .text(0x00020010, "UI", transferSyntax);
        byte[] mb = meta.encode(true, Lengths.DEFINED);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] pre = new byte[128];
        if (preamble != null) {
            System.arraycopy(preamble, 0, pre, 0, Math.min(128, preamble.length));
        }
        out.writeBytes(pre);
        out.writeBytes("DICM".getBytes(StandardCharsets.US_ASCII));
        element(out, 0x00020000, "UL", true, 4);
        out.writeBytes(le(4).putInt(mb.length).array());
        out.writeBytes(mb);
        ds.text(0x00080016, "UI", sopClass);
        out.writeBytes(ds.encode(!transferSyntax.equals(IMPLICIT_LE), lengths));
        return out.toByteArray();
    }

    static byte[] file(Data ds, String sopClass) {
        return file(ds, sopClass, EXPLICIT_LE, Lengths.DEFINED, null);
    }

    private static void element(ByteArrayOutputStream out, int tag, String vr, boolean explicit, int length) {
        ByteBuffer b;
        if (!explicit) {
            b = le(8).putShort((short) (tag >>> 16)).putShort((short) tag).putInt(length);
        } else if (List.of("OB", "OW", "SQ", "UN", "UT", "OF", "OD", "OL", "UC", "UR").contains(vr)) {
            b = le(12).putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII))
                    .putShort((short) 0).putInt(length);
        } else {
            b = le(8).putShort((short) (tag >>> 16)).putShort((short) tag).put(vr.getBytes(StandardCharsets.US_ASCII))
                    .putShort((short) length);
        }
        out.writeBytes(b.array());
    }

    /** An item or delimiter header (no VR). */
    private static void header(ByteArrayOutputStream out, int tag, int length) {
        out.writeBytes(le(8).putShort((short) (tag >>> 16)).putShort((short) tag).putInt(length).array());
    }

    private static byte[] pad(String s, boolean uid) {
        if (s.length() % 2 == 1) {
            s = s + (uid ? "\0" : " ");
        }
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Items for {@link Data#seq}, for readability. */
    static Data[] items(List<Data> items) {
        return new ArrayList<>(items).toArray(new Data[0]);
    }
}
