package org.dopaj.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;

/**
 * The header of a DICOM Part 10 file, read up to the pixel data with its sequences nested as in the file. ImageJ 1
 * reads DICOM pixels well but flattens sequences in its header text: a defined-length sequence's items print as
 * top-level lines, a {@code >} prefix marks only undefined-length ones and is lost after the first nested item
 * delimiter, and AT values are not decoded. Multi-frame geometry lives inside sequences (NM Detector Information
 * Sequence, enhanced functional groups), so DopaJ walks the header itself: the 128-byte preamble, "DICM", the group
 * 0002 meta information, then the dataset in the transfer syntax it names (implicit or explicit VR little endian,
 * explicit VR big endian). Compressed transfer syntaxes are refused here, before ImageJ is asked, with one line.
 * Pixels are still decoded by ImageJ ({@link ImageFiles}).
 */
final class DicomHeader {
    static final int TRANSFER_SYNTAX = 0x00020010;
    static final int PIXEL_DATA = 0x7FE00010;
    private static final int FLOAT_PIXEL_DATA = 0x7FE00008;
    private static final int DOUBLE_PIXEL_DATA = 0x7FE00009;
    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_HEADER = 256 << 20;
    /** Long values of these VRs are not kept (pixel-like blobs); everything else is. */
    private static final Set<String> BLOB = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "UN");
    private static final Set<String> LONG_LENGTH = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV");
    private static final Set<String> SHORT_LENGTH = Set.of("AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT",
            "PN", "SH", "SL", "SS", "ST", "TM", "UI", "UL", "US");
    /** VRs of the tags DopaJ reads, for implicit-VR files (the rest stay "UN" and are decoded by the accessor used). */
    private static final Map<Integer, String> IMPLICIT_VR = Map.ofEntries(
            Map.entry(0x00280002, "US"), Map.entry(0x00280009, "AT"), Map.entry(0x00280010, "US"), Map.entry(0x00280011, "US"),
            Map.entry(0x00280100, "US"), Map.entry(0x00280101, "US"), Map.entry(0x00280103, "US"), Map.entry(0x00540011, "US"),
            Map.entry(0x00540010, "US"), Map.entry(0x00540020, "US"), Map.entry(0x00540021, "US"), Map.entry(0x00540030, "US"),
            Map.entry(0x00540050, "US"), Map.entry(0x00540060, "US"), Map.entry(0x00540070, "US"), Map.entry(0x00540080, "US"),
            Map.entry(0x00540081, "US"), Map.entry(0x00540090, "US"), Map.entry(0x00540100, "US"), Map.entry(0x00540101, "US"),
            Map.entry(0x00540022, "SQ"), Map.entry(0x52009229, "SQ"), Map.entry(0x52009230, "SQ"), Map.entry(0x00209113, "SQ"),
            Map.entry(0x00209116, "SQ"), Map.entry(0x00289110, "SQ"), Map.entry(0x00289145, "SQ"));

    /** The transfer syntax UID ("" when the file has none). */
    final String transferSyntax;
    /** The dataset (without the group 0002 meta information). */
    final Dataset dataset;
    /** Byte offset of the pixel data value, its declared length (-1: undefined, i.e. encapsulated), and the file size. */
    final long pixelOffset;
    final long pixelLength;
    final long fileSize;

    private DicomHeader(String transferSyntax, Dataset dataset, long pixelOffset, long pixelLength, long fileSize) {
        this.transferSyntax = transferSyntax;
        this.dataset = dataset;
        this.pixelOffset = pixelOffset;
        this.pixelLength = pixelLength;
        this.fileSize = fileSize;
    }

    /** Whether the file has pixel data at all (a DICOMDIR, a structured report or a plan has none). */
    boolean hasPixels() {
        return pixelOffset >= 0;
    }

    /** "DICM" at offset 128 (the only check that a Part 10 file passes, whatever its preamble looks like). */
    static boolean hasMagic(byte[] head) {
        return head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M';
    }

    // ---------------------------------------------------------------- reading

    /** Reads the header of {@code file}; every problem is one {@link DopajException} line naming the file. */
    static DicomHeader read(Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new DopajException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        int chunk = (int) Math.min(size, 64 << 10);
        while (true) {
            byte[] bytes = readStart(file, chunk);
            try {
                return new Parser(bytes, size).parse();
            } catch (NeedMore e) {
                if (chunk >= size || chunk >= MAX_HEADER) {
                    throw new DopajException(file + ": DICOM header larger than " + (MAX_HEADER >> 20) + " MiB (damaged file?)");
                }
                chunk = (int) Math.min(size, Math.min((long) chunk * 4, MAX_HEADER));
            } catch (Malformed e) {
                throw new DopajException(file + ": damaged DICOM file (" + e.getMessage() + ")");
            } catch (Refused e) {
                throw new DopajException(file + ": " + e.getMessage());
            }
        }
    }

    private static byte[] readStart(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new DopajException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The header continues past the bytes read so far. */
    private static final class NeedMore extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NeedMore() {
            super(null, null, false, false);
        }
    }

    /** The bytes are not a well-formed DICOM header. */
    private static final class Malformed extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Malformed(String m) {
            super(m, null, false, false);
        }
    }

    /** A well-formed file DopaJ does not read (compressed pixels...): the message is the whole reason. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Refused(String m) {
            super(m, null, false, false);
        }
    }

    /** The one-line refusal for a compressed or otherwise unreadable transfer syntax, or null when DopaJ reads it. */
    static String refusal(String ts) {
        String name;
        if (ts.isEmpty() || ts.equals("1.2.840.10008.1.2") || ts.equals("1.2.840.10008.1.2.1") || ts.equals("1.2.840.10008.1.2.2")) {
            return null;
        } else if (ts.equals("1.2.840.10008.1.2.1.99")) {
            name = "deflate-compressed";
        } else if (ts.equals("1.2.840.10008.1.2.5")) {
            name = "RLE-compressed";
        } else if (ts.startsWith("1.2.840.10008.1.2.4.")) {
            int n;
            try {
                n = Integer.parseInt(ts.substring("1.2.840.10008.1.2.4.".length()));
            } catch (NumberFormatException e) {
                n = -1;
            }
            name = n >= 50 && n <= 70 ? "JPEG-compressed" : n == 80 || n == 81 ? "JPEG-LS-compressed"
                    : n >= 90 && n <= 93 ? "JPEG 2000-compressed" : n >= 100 && n <= 108 ? "MPEG/HEVC video"
                    : n >= 201 && n <= 203 ? "HTJ2K-compressed" : "compressed";
        } else {
            name = "unknown transfer syntax";
        }
        return "pixel data is " + name + " (transfer syntax " + ts + "), which ImageJ's DICOM reader cannot decode: "
                + "convert with dcm2niix, or open it with Bio-Formats in Fiji";
    }

    private static final class Parser {
        private final byte[] b;
        private final long fileSize;
        private final ByteBuffer buf;
        private boolean explicit = true;
        private long pixelOffset = -1;
        private long pixelLength;

        Parser(byte[] b, long fileSize) {
            this.b = b;
            this.fileSize = fileSize;
            this.buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        }

        DicomHeader parse() {
            String ts = "";
            if (hasMagic(b)) {
                buf.position(132);
                Dataset meta = new Dataset();
                // the meta information is always explicit VR little endian
                while (remaining(8) && Short.toUnsignedInt(buf.getShort(buf.position())) == 0x0002) {
                    readElement(meta, 0, false);
                }
                String t = meta.text(TRANSFER_SYNTAX);
                ts = t == null ? "" : t;
            } else if (b.length < 8) {
                throw new Malformed("too short for a DICOM file");
            }
            String refused = refusal(ts);
            if (refused != null) {
                throw new Refused(refused);
            }
            int start = buf.position();
            if (ts.equals("1.2.840.10008.1.2.2")) {
                buf.order(ByteOrder.BIG_ENDIAN);
                explicit = true;
            } else if (ts.equals("1.2.840.10008.1.2")) {
                explicit = false;
            } else if (ts.isEmpty()) {
                // no meta information (ACR-NEMA style or a broken export): explicit if the first element has a VR
                explicit = remaining(6) && isVr(b[start + 4], b[start + 5]);
            }
            Dataset ds = new Dataset();
            parseItems(ds, Long.MAX_VALUE, 0, true);
            if (pixelOffset < 0 && !hasMagic(b) && ds.elements.isEmpty()) {
                throw new Malformed("no DICOM elements");
            }
            return new DicomHeader(ts, ds, pixelOffset, pixelLength, fileSize);
        }

        private boolean remaining(int n) {
            if (buf.position() + n <= b.length) {
                return true;
            }
            if (b.length < fileSize) {
                throw new NeedMore();
            }
            return false;
        }

        private void need(long n) {
            if (buf.position() + n > b.length) {
                if (b.length < fileSize) {
                    throw new NeedMore();
                }
                throw new Malformed("the file ends inside the header, at byte " + fileSize);
            }
        }

        /**
         * Reads elements into {@code ds} until {@code end} (exclusive), an item delimiter (undefined-length item),
         * the end of the file (top level only) or the pixel data (top level).
         */
        private void parseItems(Dataset ds, long end, int depth, boolean top) {
            while (buf.position() < end) {
                if (top && !remaining(4)) {
                    if (buf.position() < b.length) {
                        throw new Malformed("the file ends inside an element, at byte " + fileSize);
                    }
                    return; // clean end: no pixel data
                }
                need(4);
                int tag = peekTag();
                if (tag == ITEM_END) {
                    buf.position(buf.position() + 8);
                    return;
                }
                if (readElement(ds, depth, top)) {
                    return;
                }
            }
        }

        private int peekTag() {
            int p = buf.position();
            int g = Short.toUnsignedInt(buf.getShort(p));
            int e = Short.toUnsignedInt(buf.getShort(p + 2));
            return g << 16 | e;
        }

        /** Reads one element into {@code ds}; true when it was the top-level pixel data (reading stops there). */
        private boolean readElement(Dataset ds, int depth, boolean top) {
            need(8);
            int tag = peekTag();
            buf.position(buf.position() + 4);
            String vr;
            long len;
            boolean elementExplicit = explicit && isVr(b[buf.position()], b[buf.position() + 1]);
            if ((tag >>> 16) == 0xFFFE) {
                throw new Malformed(String.format(Locale.ROOT, "unexpected delimiter (FFFE,%04X) at byte %d", tag & 0xffff, buf.position() - 4));
            }
            if (elementExplicit) {
                vr = new String(b, buf.position(), 2, StandardCharsets.US_ASCII);
                buf.position(buf.position() + 2);
                if (LONG_LENGTH.contains(vr) || !SHORT_LENGTH.contains(vr)) {
                    need(6);
                    buf.position(buf.position() + 2);
                    len = Integer.toUnsignedLong(buf.getInt());
                } else {
                    len = Short.toUnsignedInt(buf.getShort());
                }
            } else {
                len = Integer.toUnsignedLong(buf.getInt());
                vr = IMPLICIT_VR.getOrDefault(tag, "UN");
            }
            if (top && (tag == PIXEL_DATA || tag == FLOAT_PIXEL_DATA || tag == DOUBLE_PIXEL_DATA)) {
                pixelOffset = buf.position();
                pixelLength = len == UNDEFINED ? -1 : len;
                ds.put(new Element(tag, vr, new byte[0], null, buf.order()));
                return true;
            }
            boolean sequence = vr.equals("SQ") || (len == UNDEFINED && !explicitFixed(vr))
                    || (vr.equals("UN") && len >= 8 && looksLikeItem(buf.position()));
            if (sequence) {
                if (depth >= MAX_DEPTH) {
                    throw new Malformed("sequences nested more than " + MAX_DEPTH + " deep");
                }
                boolean saved = explicit;
                if (vr.equals("UN")) {
                    explicit = false; // a sequence of unknown VR is encoded implicit VR (PS3.5 6.2.2)
                }
                List<Dataset> items = new ArrayList<>();
                long end = len == UNDEFINED ? Long.MAX_VALUE : buf.position() + len;
                if (len != UNDEFINED) {
                    need(len);
                }
                while (buf.position() < end) {
                    need(8);
                    int t = peekTag();
                    buf.position(buf.position() + 4);
                    long il = Integer.toUnsignedLong(buf.getInt());
                    if (t == SEQUENCE_END) {
                        break;
                    }
                    if (t != ITEM) {
                        throw new Malformed(String.format(Locale.ROOT, "sequence (%04X,%04X) holds a non-item element", tag >>> 16, tag & 0xffff));
                    }
                    Dataset item = new Dataset();
                    if (il == UNDEFINED) {
                        parseItems(item, end, depth + 1, false);
                    } else {
                        need(il);
                        parseItems(item, buf.position() + il, depth + 1, false);
                    }
                    items.add(item);
                }
                if (len != UNDEFINED && buf.position() != end) {
                    throw new Malformed(String.format(Locale.ROOT, "sequence (%04X,%04X) length does not match its items", tag >>> 16, tag & 0xffff));
                }
                explicit = saved;
                ds.put(new Element(tag, "SQ", null, items, buf.order()));
                return false;
            }
            if (len == UNDEFINED) {
                throw new Malformed(String.format(Locale.ROOT, "undefined length for (%04X,%04X)", tag >>> 16, tag & 0xffff));
            }
            if (BLOB.contains(vr) && len > 4096) {
                need(len); // not kept, but the header goes on after it
                buf.position((int) (buf.position() + len));
                ds.put(new Element(tag, vr, new byte[0], null, buf.order()));
                return false;
            }
            need(len);
            byte[] value = new byte[(int) len];
            buf.get(value);
            ds.put(new Element(tag, vr, value, null, buf.order()));
            return false;
        }

        private static boolean explicitFixed(String vr) {
            return !vr.equals("UN") && !vr.equals("SQ");
        }

        private boolean looksLikeItem(int p) {
            if (p + 4 > b.length) {
                return false;
            }
            ByteBuffer le = ByteBuffer.wrap(b, p, 4).order(ByteOrder.LITTLE_ENDIAN);
            return Short.toUnsignedInt(le.getShort()) == 0xFFFE && Short.toUnsignedInt(le.getShort()) == 0xE000;
        }

        private static boolean isVr(byte c0, byte c1) {
            String s = new String(new byte[]{c0, c1}, StandardCharsets.US_ASCII);
            return LONG_LENGTH.contains(s) || SHORT_LENGTH.contains(s);
        }
    }

    // ---------------------------------------------------------------- the parsed tree

    /** One element: its VR ("UN" when implicit and not one DopaJ reads), its value bytes, or its items (SQ). */
    record Element(int tag, String vr, byte[] value, List<Dataset> items, ByteOrder order) {
    }

    /** The elements of a dataset or sequence item, by tag. */
    static final class Dataset {
        private final Map<Integer, Element> elements = new LinkedHashMap<>();

        void put(Element e) {
            elements.put(e.tag(), e);
        }

        boolean has(int tag) {
            return elements.containsKey(tag);
        }

        /** The items of sequence {@code tag}; empty when absent. */
        List<Dataset> items(int tag) {
            Element e = elements.get(tag);
            return e == null || e.items() == null ? Collections.emptyList() : e.items();
        }

        /** The first item of sequence {@code tag}, or null. */
        Dataset item(int tag) {
            List<Dataset> it = items(tag);
            return it.isEmpty() ? null : it.get(0);
        }

        /** A text value without its padding (trailing spaces and NULs, leading spaces), or null. */
        String text(int tag) {
            Element e = elements.get(tag);
            if (e == null || e.value() == null) {
                return null;
            }
            String s = new String(e.value(), StandardCharsets.ISO_8859_1);
            int end = s.length();
            while (end > 0 && (s.charAt(end - 1) == ' ' || s.charAt(end - 1) == '\0')) {
                end--;
            }
            return s.substring(0, end).trim();
        }

        /**
         * The numbers of {@code tag}: DS/IS text split at backslashes, or US/SS/UL/SL/FL/FD binary values; null when
         * absent, empty, or not numbers. Implicit-VR values of unknown VR are read as text when they look like text.
         */
        double[] numbers(int tag) {
            Element e = elements.get(tag);
            if (e == null || e.value() == null || e.value().length == 0) {
                return null;
            }
            ByteBuffer v = ByteBuffer.wrap(e.value()).order(e.order());
            int n = e.value().length;
            switch (e.vr()) {
                case "US": return ints(n / 2, () -> Short.toUnsignedInt(v.getShort()));
                case "SS": return ints(n / 2, () -> v.getShort());
                case "UL": return ints(n / 4, () -> Integer.toUnsignedLong(v.getInt()));
                case "SL": return ints(n / 4, () -> v.getInt());
                case "FL": return ints(n / 4, () -> v.getFloat());
                case "FD": return ints(n / 8, () -> v.getDouble());
                default: return decimals(text(tag));
            }
        }

        /** The first number of {@code tag}, or {@code otherwise}. */
        double number(int tag, double otherwise) {
            double[] v = numbers(tag);
            return v == null ? otherwise : v[0];
        }

        /** The first {@code n} numbers of {@code tag}, or null when absent or fewer. */
        double[] numbers(int tag, int n) {
            double[] v = numbers(tag);
            return v != null && v.length >= n ? Arrays.copyOf(v, n) : null;
        }

        /** An AT value (such as the Frame Increment Pointer) as tags (group << 16 | element); empty when absent. */
        int[] tags(int tag) {
            Element e = elements.get(tag);
            if (e == null || e.value() == null) {
                return new int[0];
            }
            ByteBuffer v = ByteBuffer.wrap(e.value()).order(e.order());
            int[] r = new int[e.value().length / 4];
            for (int i = 0; i < r.length; i++) {
                int g = Short.toUnsignedInt(v.getShort());
                r[i] = g << 16 | Short.toUnsignedInt(v.getShort());
            }
            return r;
        }

        private interface Num {
            double get();
        }

        private static double[] ints(int n, Num f) {
            if (n == 0) {
                return null;
            }
            double[] r = new double[n];
            for (int i = 0; i < n; i++) {
                r[i] = f.get();
            }
            return r;
        }

        private static double[] decimals(String s) {
            if (s == null || s.isEmpty()) {
                return null;
            }
            String[] t = s.split("\\\\", -1);
            double[] r = new double[t.length];
            try {
                for (int i = 0; i < t.length; i++) {
                    r[i] = Double.parseDouble(t[i].trim());
                }
            } catch (NumberFormatException e) {
                return null;
            }
            return r;
        }
    }
}
