package org.dopaj.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;

/**
 * Reads one reconstructed (or static) 3D volume from an Interfile 3.3 pair, as nuclear-medicine workstations
 * (Hermes, older GE and Siemens) export DaT-SPECT reconstructions: an ASCII header ({@code .hdr}/{@code .h33})
 * whose first key line is {@code !INTERFILE :=}, and a raw data file named by {@code name of data file}.
 *
 * <p>Keys are matched as the standard says: case-insensitively, with spaces, tabs, underscores and the leading
 * {@code !} (required key) or {@code %} (vendor key) ignored; {@code ;} starts a comment. When a key repeats
 * (3.3 headers repeat some keys per section) the last one wins: the later sections are the more specific.
 *
 * <p><b>Geometry.</b> Interfile 3.3 has no orientation matrix, only {@code patient orientation := head_in},
 * {@code patient rotation := supine} and {@code slice orientation := transverse}. DopaJ assumes what the
 * standard's transverse display implies and what a DICOM axial series read by DopaJ gives: columns run from the
 * patient's right to left (patient right on the image's left, viewed from the feet), rows from anterior to
 * posterior (anterior at the top), slices from inferior to superior — DICOM LPS axes, RAS affine
 * diag(−dx, −dy, +dz) — with the volume centred at the origin as NIfTI without sform. The slice direction is the
 * least certain part; the DaT-SPECT pipeline registers scanner-space volumes to its template anyway, and the
 * {@link LoadedImage#warning()} says what was assumed.
 *
 * <p>Every problem is one {@link DopajException} line naming the file: not an Interfile header, several frames,
 * windows or gates, a projection set, an unsupported number format, a missing or short data file.
 */
public final class Interfile {
    /** The format name reported in {@link LoadedImage#format()}. */
    public static final String FORMAT = "interfile";
    /** One unit of {@code data starting block}. */
    private static final long BLOCK = 2048;
    /** Plausibility limits: a SPECT matrix is 64–256, a voxel 1–10 mm. */
    private static final int MAX_MATRIX = 4096;
    private static final double MAX_VOXEL_MM = 1000;
    /** More lines than any header has (3.3 headers have about 100). */
    private static final int MAX_HEADER_LINES = 10000;

    private Interfile() {
    }

    /** True when the bytes start (after an optional UTF-8 BOM and blanks) with the {@code !INTERFILE} key line. */
    public static boolean hasMagic(byte[] head) {
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xEF && (head[1] & 0xff) == 0xBB && (head[2] & 0xff) == 0xBF) {
            i = 3;
        }
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\r' || head[i] == '\n')) {
            i++;
        }
        if (i < head.length && head[i] == '!') {
            i++;
        }
        String word = "INTERFILE";
        if (head.length - i < word.length()) {
            return false;
        }
        String s = new String(head, i, word.length(), StandardCharsets.ISO_8859_1);
        if (!s.equalsIgnoreCase(word)) {
            return false;
        }
        int j = i + word.length();
        // "INTERFILE :=" or "INTERFILE:=", not a longer word
        return j >= head.length || head[j] == ' ' || head[j] == '\t' || head[j] == ':';
    }

    /**
     * True when {@code file} is read as Interfile by {@link ImageFiles#load}: a header starting with {@code !INTERFILE},
     * or the raw data file beside one ({@link #headerBeside}). Callers that route {@code .hdr}/{@code .img} names to
     * the NIfTI reader ask this first; false when the file cannot be read (the reader that runs next says why).
     */
    public static boolean isInterfile(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            if (hasMagic(in.readNBytes(64))) {
                return true;
            }
        } catch (IOException e) {
            return false;
        }
        return headerBeside(file) != null;
    }

    /**
     * For a raw data file named {@code .i33}, {@code .img} or {@code .i} (any case), the Interfile header beside it with
     * the same stem ({@code .h33}, {@code .hdr} or {@code .h}); null when there is none (e.g. a NIfTI/ANALYZE pair).
     */
    public static Path headerBeside(Path data) {
        String n = data.getFileName().toString();
        int dot = n.lastIndexOf('.');
        if (dot <= 0) {
            return null;
        }
        String ext = n.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!ext.equals("i33") && !ext.equals("img") && !ext.equals("i")) {
            return null;
        }
        for (String e : new String[]{"h33", "hdr", "h", "H33", "HDR", "H"}) {
            Path h = data.resolveSibling(n.substring(0, dot + 1) + e);
            if (Files.isRegularFile(h)) {
                try (var in = Files.newInputStream(h)) {
                    if (hasMagic(in.readNBytes(64))) {
                        return h;
                    }
                } catch (IOException ignored) {
                    // unreadable: not ours to report; the caller goes on with its other readers
                }
            }
        }
        return null;
    }

    /** The parsed header: normalised keys (see {@link #normalise}) to trimmed values, the last occurrence winning. */
    static Map<String, String> parseHeader(Path file) {
        Map<String, String> keys = new LinkedHashMap<>();
        // ISO-8859-1 never fails to decode (vendors write patient names in local code pages); reading stops at the
        // end key or after MAX_HEADER_LINES, so a header with its data in the same file is not read as text
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            String line;
            int n = 0;
            while ((line = in.readLine()) != null && n++ < MAX_HEADER_LINES) {
                int semi = line.indexOf(';');
                if (semi >= 0) {
                    line = line.substring(0, semi);
                }
                line = line.replace("\u001a", ""); // the standard ends the header with Ctrl-Z
                int sep = line.indexOf(":=");
                if (sep < 0) {
                    continue;
                }
                String key = normalise(line.substring(0, sep));
                if (key.equals("endofinterfile")) {
                    break;
                }
                if (!key.isEmpty()) {
                    keys.put(key, line.substring(sep + 2).trim());
                }
            }
        } catch (IOException e) {
            throw new DopajException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return keys;
    }

    /** Lower case without blanks, underscores, and the leading {@code !} / {@code %} markers: "matrixsize[1]". */
    static String normalise(String key) {
        StringBuilder s = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (c != ' ' && c != '\t' && c != '_' && c != '!' && c != '%') {
                s.append(Character.toLowerCase(c));
            }
        }
        return s.toString();
    }

    /** Reads the volume an Interfile header describes; the file must start with {@code !INTERFILE}. */
    public static LoadedImage load(Path header) {
        byte[] head;
        try (var in = Files.newInputStream(header)) {
            head = in.readNBytes(64);
        } catch (IOException e) {
            throw new DopajException(header + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (!hasMagic(head)) {
            throw new DopajException(header + ": not an Interfile header (it does not start with '!INTERFILE :=')");
        }
        Map<String, String> h = parseHeader(header);
        checkOneVolume(header, h);

        int nx = matrix(header, h, "matrixsize[1]", "matrix size [1]");
        int ny = matrix(header, h, "matrixsize[2]", "matrix size [2]");
        int nz = slices(header, h);

        String fmt = text(h, "numberformat", "unsigned integer").toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        int bpp = (int) number(header, h, "numberofbytesperpixel", Double.NaN);
        Kind kind = kind(header, fmt, bpp);
        ByteOrder order = byteOrder(header, h);
        boolean orderGiven = !text(h, "imagedatabyteorder", "").isEmpty();

        double[] vox = voxelSize(header, h);
        boolean calibrated = vox != null;
        if (vox == null) {
            vox = new double[]{1, 1, 1};
        }

        long offset = offset(header, h);
        double slope = slope(header, h);
        double inter = number(header, h, "datarescaleoffset", 0);

        Path data = dataFile(header, h);
        long plane = (long) nx * ny;
        long need = offset + plane * nz * kind.bytes;
        long size;
        try {
            size = Files.size(data);
        } catch (IOException e) {
            throw new DopajException(data + ": cannot read the Interfile data file (" + e.getMessage() + ")", e);
        }
        if (size < need) {
            throw new DopajException(String.format(Locale.ROOT, "%s: the Interfile data file %s ends after %d bytes, the header says %d "
                    + "(offset %d + %d×%d×%d %s voxels): the file is incomplete or the header is wrong", header, data.getFileName(),
                    size, need, offset, nx, ny, nz, kind.name));
        }

        double[][] a = {
                {-vox[0], 0, 0, 0},
                {0, -vox[1], 0, 0},
                {0, 0, vox[2], 0},
                {0, 0, 0, 1}};
        for (int r = 0; r < 3; r++) {
            a[r][3] = -(a[r][0] * (nx - 1) + a[r][1] * (ny - 1) + a[r][2] * (nz - 1)) / 2.0;
        }
        Grid grid;
        try {
            grid = new Grid(nx, ny, nz, vox, a);
        } catch (DopajException e) {
            throw new DopajException(header + ": " + e.getMessage(), e);
        }
        String swapped = null;
        if (!orderGiven && kind.bytes > 1) {
            if (looksSwapped(header, data, offset, kind, nx, ny, nz)) {
                order = ByteOrder.LITTLE_ENDIAN;
                swapped = "no 'imagedata byte order' key: read little-endian, as the data show (3.3's default big-endian "
                        + "gives byte-swapped values)";
            }
        }
        Volume v = Volume.allocate(grid);
        readPlanes(header, data, offset, kind, order, slope, inter, v);

        String warning = "Interfile has no orientation matrix: transverse slices, columns patient right→left, rows anterior→posterior, "
                + "slices inferior→superior (LPS) assumed, centred"
                + (calibrated ? "" : "; no 'scaling factor (mm/pixel)': voxels taken as 1 mm")
                + (swapped == null ? "" : "; " + swapped);
        return new LoadedImage(v, FORMAT, kind.name, null, calibrated, warning);
    }

    // ---------------------------------------------------------------- what the header describes

    /** Refuses projections, dynamic, gated and multi-window studies: DopaJ reads one reconstructed volume. */
    private static void checkOneVolume(Path f, Map<String, String> h) {
        String type = text(h, "typeofdata", "").toLowerCase(Locale.ROOT);
        String status = text(h, "processstatus", "").toLowerCase(Locale.ROOT);
        boolean reconstructed = status.startsWith("reconstructed") || h.containsKey("methodofreconstruction")
                || h.containsKey("numberofslices") || h.keySet().stream().anyMatch(k -> k.contains("(reconstructeddata)"));
        if (type.startsWith("tomographic") && !reconstructed && (status.startsWith("acquired") || h.containsKey("numberofprojections"))) {
            String n = text(h, "numberofprojections", "");
            throw new DopajException(f + ": is a projection set" + (n.isEmpty() ? "" : " (" + n + " projections)")
                    + ", not a reconstructed volume: reconstruct it on the workstation and export the transverse slices");
        }
        if (type.startsWith("dynamic") || type.startsWith("gated") || type.startsWith("gspect") || type.startsWith("curve")
                || type.startsWith("roi")) {
            throw new DopajException(f + ": type of data is '" + text(h, "typeofdata", "") + "': DopaJ reads one static or "
                    + "reconstructed 3D volume (type of data Tomographic or Static)");
        }
        count(f, h, "numberoftimeframes", "time frames");
        count(f, h, "numberofframegroups", "frame groups");
        count(f, h, "numberoftimewindows", "time windows (gates)");
        count(f, h, "numberofenergywindows", "energy windows");
        count(f, h, "numberofdetectorheads", "detector heads");
    }

    private static void count(Path f, Map<String, String> h, String key, String what) {
        double n = number(f, h, key, 1);
        if (n > 1) {
            throw new DopajException(String.format(Locale.ROOT, "%s: has %d %s: DopaJ reads one 3D volume; choose one (export a single "
                    + "frame/window, or sum them) on the workstation", f, (long) n, what));
        }
    }

    private static int matrix(Path f, Map<String, String> h, String key, String label) {
        if (!h.containsKey(key)) {
            throw new DopajException(f + ": Interfile header without '" + label + "'");
        }
        return positive(f, number(f, h, key, 0), label);
    }

    private static int positive(Path f, double n, String label) {
        if (!(n >= 1) || n > MAX_MATRIX || n != Math.rint(n)) {
            throw new DopajException(f + ": '" + label + "' is " + fmt(n) + ": expected a whole number from 1 to " + MAX_MATRIX);
        }
        return (int) n;
    }

    /** The third axis: matrix size [3], else number of slices, else the number of images (all images = one volume). */
    private static int slices(Path f, Map<String, String> h) {
        String[][] keys = {{"matrixsize[3]", "matrix size [3]"}, {"numberofslices", "number of slices"},
                {"numberofimages", "number of images"}, {"numberofimages/energywindow", "number of images/energy window"},
                {"totalnumberofimages", "total number of images"}};
        int nz = -1;
        String label = null;
        for (String[] k : keys) {
            if (h.containsKey(k[0]) && !h.get(k[0]).isEmpty()) {
                nz = positive(f, number(f, h, k[0], 0), k[1]);
                label = k[1];
                break;
            }
        }
        if (nz < 0) {
            throw new DopajException(f + ": Interfile header gives no slice count ('matrix size [3]', 'number of slices' or "
                    + "'total number of images')");
        }
        double total = number(f, h, "totalnumberofimages", nz);
        if (total > nz) {
            throw new DopajException(String.format(Locale.ROOT, "%s: holds %d images but %d slices ('%s'): %s volumes, gates or "
                    + "windows; DopaJ reads one 3D volume, choose one on the workstation", f, (long) total, nz, label,
                    total % nz == 0 ? String.valueOf((long) (total / nz)) : "several"));
        }
        return nz;
    }

    /** mm per voxel along x, y, z; null when the header gives no pixel size. */
    private static double[] voxelSize(Path f, Map<String, String> h) {
        double dx = mm(f, h, "scalingfactor(mm/pixel)[1]", "scaling factor (mm/pixel) [1]");
        double dy = mm(f, h, "scalingfactor(mm/pixel)[2]", "scaling factor (mm/pixel) [2]");
        if (Double.isNaN(dx) && Double.isNaN(dy)) {
            return null;
        }
        if (Double.isNaN(dx) || Double.isNaN(dy)) {
            dx = Double.isNaN(dx) ? dy : dx;
            dy = dx;
        }
        double dz = mm(f, h, "scalingfactor(mm/pixel)[3]", "scaling factor (mm/pixel) [3]");
        if (Double.isNaN(dz)) {
            // 3.3 gives the slice spacing in pixels of the in-plane size: centre-centre separation, else thickness
            for (String k : new String[]{"centre-centresliceseparation(pixels)", "center-centersliceseparation(pixels)",
                    "slicethickness(pixels)"}) {
                double p = number(f, h, k, Double.NaN);
                if (!Double.isNaN(p)) {
                    dz = p * dx;
                    break;
                }
            }
        }
        if (Double.isNaN(dz)) {
            dz = mm(f, h, "slicethickness(mm)", "slice thickness (mm)");
        }
        if (Double.isNaN(dz)) {
            dz = dx; // reconstructions are isotropic unless the header says otherwise
        }
        if (!(dz > 0) || dz > MAX_VOXEL_MM) {
            throw new DopajException(f + ": slice spacing " + fmt(dz) + " mm is not a plausible voxel size");
        }
        return new double[]{dx, dy, dz};
    }

    private static double mm(Path f, Map<String, String> h, String key, String label) {
        double v = number(f, h, key, Double.NaN);
        if (!Double.isNaN(v) && (!(v > 0) || v > MAX_VOXEL_MM)) {
            throw new DopajException(f + ": '" + label + "' is " + fmt(v) + ": expected a voxel size in mm above 0 and at most "
                    + fmt(MAX_VOXEL_MM));
        }
        return v;
    }

    private static long offset(Path f, Map<String, String> h) {
        double bytes = number(f, h, "dataoffsetinbytes", Double.NaN);
        if (Double.isNaN(bytes)) {
            bytes = number(f, h, "dataoffsetinbytes[1]", Double.NaN);
        }
        if (Double.isNaN(bytes)) {
            bytes = number(f, h, "datastartingblock", 0) * BLOCK;
        }
        if (!(bytes >= 0) || bytes != Math.rint(bytes) || bytes > Long.MAX_VALUE / 2) {
            throw new DopajException(f + ": data offset " + fmt(bytes) + " bytes is not a non-negative whole number");
        }
        return (long) bytes;
    }

    /** data rescale slope (or STIR's image scaling factor, or a bare scale factor); 1 when absent. */
    private static double slope(Path f, Map<String, String> h) {
        for (String k : new String[]{"datarescaleslope", "imagescalingfactor[1]", "imagescalingfactor", "scalefactor"}) {
            double s = number(f, h, k, Double.NaN);
            if (!Double.isNaN(s)) {
                if (s == 0 || !Double.isFinite(s)) {
                    throw new DopajException(f + ": rescale slope '" + h.get(k) + "' is zero or not finite");
                }
                return s;
            }
        }
        return 1;
    }

    private static ByteOrder byteOrder(Path f, Map<String, String> h) {
        String o = normalise(text(h, "imagedatabyteorder", "bigendian"));
        if (o.isEmpty() || o.equals("bigendian")) {
            return ByteOrder.BIG_ENDIAN; // the 3.3 default
        }
        if (o.equals("littleendian")) {
            return ByteOrder.LITTLE_ENDIAN;
        }
        throw new DopajException(f + ": unknown 'imagedata byte order' '" + h.get("imagedatabyteorder")
                + "' (expected BIGENDIAN or LITTLEENDIAN)");
    }

    /** How one stored voxel is decoded. */
    private enum Kind {
        UINT8("uint8", 1), INT8("int8", 1), UINT16("uint16", 2), INT16("int16", 2), UINT32("uint32", 4), INT32("int32", 4),
        FLOAT32("float32", 4), FLOAT64("float64", 8);

        final String name;
        final int bytes;

        Kind(String name, int bytes) {
            this.name = name;
            this.bytes = bytes;
        }
    }

    private static Kind kind(Path f, String fmt, int bpp) {
        boolean unsigned = fmt.equals("unsigned integer");
        boolean signed = fmt.equals("signed integer");
        boolean shortFloat = fmt.equals("short float") || fmt.equals("float");
        boolean longFloat = fmt.equals("long float");
        if (shortFloat && (bpp == 4 || bpp < 0 || bpp == 0)) {
            return Kind.FLOAT32;
        }
        if (longFloat && (bpp == 8 || bpp <= 0)) {
            return Kind.FLOAT64;
        }
        if (unsigned || signed) {
            switch (bpp) {
                case 1: return unsigned ? Kind.UINT8 : Kind.INT8;
                case 2: return unsigned ? Kind.UINT16 : Kind.INT16;
                case 4: return unsigned ? Kind.UINT32 : Kind.INT32;
                default: break;
            }
        }
        throw new DopajException(f + ": unsupported Interfile pixels: number format '" + fmt + "' with "
                + (bpp > 0 ? bpp + " bytes per pixel" : "no 'number of bytes per pixel'")
                + " (DopaJ reads unsigned/signed integer of 1, 2 or 4 bytes, short float of 4, long float of 8)");
    }

    // ---------------------------------------------------------------- the data file

    /**
     * The data file: relative names are resolved in the header's folder (".." allowed: the user chose where the pair
     * lives); Windows separators are accepted. An absolute path, usually the exporting workstation's own, is used when
     * it exists, else the same file name is looked for beside the header; a case-only difference in the name is
     * forgiven, as files copied from Windows often change case.
     */
    private static Path dataFile(Path header, Map<String, String> h) {
        String name = text(h, "nameofdatafile", "");
        if (name.length() >= 2 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("'") && name.endsWith("'"))) {
            name = name.substring(1, name.length() - 1).trim();
        }
        if (name.isEmpty()) {
            throw new DopajException(header + ": Interfile header without 'name of data file'");
        }
        String unix = name.replace('\\', '/');
        Path dir = header.toAbsolutePath().getParent();
        boolean drive = unix.matches("^[A-Za-z]:/.*");
        boolean absolute = unix.startsWith("/") || drive;
        Path beside = dir.resolve(unix.substring(unix.lastIndexOf('/') + 1));
        Path candidate;
        try {
            // a drive letter means nothing off Windows: only the name beside the header can be meant
            candidate = drive && java.io.File.separatorChar != '\\' ? beside : absolute ? Path.of(unix) : dir.resolve(unix).normalize();
        } catch (InvalidPathException e) {
            throw new DopajException(header + ": 'name of data file' '" + name + "' is not a valid path", e);
        }
        if (Files.isRegularFile(candidate)) {
            return candidate;
        }
        Path found = Files.isRegularFile(beside) ? beside : caseInsensitive(absolute ? beside : candidate);
        if (found != null) {
            return found;
        }
        throw new DopajException(header + ": Interfile data file '" + name + "' not found (looked for " + candidate
                + (absolute && !candidate.equals(beside) ? " and " + beside : "") + ")");
    }

    private static Path caseInsensitive(Path p) {
        Path dir = p.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return null;
        }
        String want = p.getFileName().toString();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(q -> q.getFileName().toString().equalsIgnoreCase(want) && Files.isRegularFile(q)).findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Whether the middle slice, read big-endian (3.3's default, used when the header has no byte order key), looks
     * byte-swapped: many exports write little-endian without saying so. A reconstruction is smooth along a row, and a
     * swapped read is not (neighbouring values differ by multiples of 256), and swapped floats are mostly denormal,
     * huge or NaN: the little-endian read is taken when its mean step between neighbours, relative to its mean value,
     * is under a quarter of the big-endian read's, or when most big-endian floats are implausible and almost no
     * little-endian ones. Values that all fit in the low byte swap into a mere ×256 and are left as they are.
     */
    private static boolean looksSwapped(Path header, Path data, long offset, Kind kind, int nx, int ny, int nz) {
        long plane = (long) nx * ny * kind.bytes;
        if (plane > Integer.MAX_VALUE - 8) {
            return false;
        }
        ByteBuffer buf = ByteBuffer.allocate((int) plane);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            ch.position(offset + (nz / 2) * plane);
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // fill the slice; the file size was checked
            }
        } catch (IOException e) {
            throw new DopajException(header + ": cannot read the Interfile data file " + data + " (" + e.getMessage() + ")", e);
        }
        if (kind == Kind.FLOAT32 || kind == Kind.FLOAT64) {
            // a swapped float mostly turns into a denormal, a huge number or NaN: no camera writes those
            double bigOdd = implausibleFloats(buf, kind, ByteOrder.BIG_ENDIAN);
            double littleOdd = implausibleFloats(buf, kind, ByteOrder.LITTLE_ENDIAN);
            if (bigOdd > 0.5 && littleOdd < 0.05) {
                return true;
            }
        }
        double big = roughness(buf, kind, ByteOrder.BIG_ENDIAN, nx);
        double little = roughness(buf, kind, ByteOrder.LITTLE_ENDIAN, nx);
        return little * 4 < big;
    }

    /** The fraction of non-zero values that are not finite or lie outside 1e-20..1e20 in magnitude. */
    private static double implausibleFloats(ByteBuffer raw, Kind kind, ByteOrder order) {
        ByteBuffer b = raw.duplicate().order(order);
        b.rewind();
        int n = b.remaining() / kind.bytes;
        int nonZero = 0;
        int odd = 0;
        for (int i = 0; i < n; i++) {
            double x = decode(b, kind);
            if (x != 0) {
                nonZero++;
                double a = Math.abs(x);
                odd += !Double.isFinite(x) || a < 1e-20 || a > 1e20 ? 1 : 0;
            }
        }
        return nonZero == 0 ? 0 : odd / (double) nonZero;
    }

    /** Mean |step| between row neighbours over mean |value| (infinite for non-finite values; 0 for an empty slice). */
    private static double roughness(ByteBuffer raw, Kind kind, ByteOrder order, int nx) {
        ByteBuffer b = raw.duplicate().order(order);
        b.rewind();
        int n = b.remaining() / kind.bytes;
        double steps = 0;
        double sum = 0;
        double prev = 0;
        for (int i = 0; i < n; i++) {
            double x = decode(b, kind);
            if (!Double.isFinite(x) || Math.abs(x) > 1e30) {
                return Double.POSITIVE_INFINITY;
            }
            sum += Math.abs(x);
            if (i % nx != 0) {
                steps += Math.abs(x - prev);
            }
            prev = x;
        }
        return sum == 0 ? 0 : steps / sum;
    }

    private static double decode(ByteBuffer buf, Kind kind) {
        switch (kind) {
            case UINT8: return buf.get() & 0xff;
            case INT8: return buf.get();
            case UINT16: return buf.getShort() & 0xffff;
            case INT16: return buf.getShort();
            case UINT32: return buf.getInt() & 0xffffffffL;
            case INT32: return buf.getInt();
            case FLOAT32: return buf.getFloat();
            default: return buf.getDouble();
        }
    }

    /** Decodes the slices plane by plane (x fastest, then y, then slices, as stored) into {@code v}. */
    private static void readPlanes(Path header, Path data, long offset, Kind kind, ByteOrder order, double slope, double inter, Volume v) {
        int n = v.nx() * v.ny();
        ByteBuffer buf = ByteBuffer.allocate(n * kind.bytes).order(order);
        try (FileChannel ch = FileChannel.open(data, StandardOpenOption.READ)) {
            ch.position(offset);
            for (int z = 0; z < v.nz(); z++) {
                buf.clear();
                while (buf.hasRemaining()) {
                    if (ch.read(buf) < 0) {
                        throw new DopajException(header + ": the Interfile data file " + data.getFileName()
                                + " ended inside slice " + (z + 1));
                    }
                }
                buf.flip();
                float[] out = v.plane(z);
                for (int i = 0; i < n; i++) {
                    out[i] = (float) (decode(buf, kind) * slope + inter);
                }
            }
        } catch (IOException e) {
            throw new DopajException(header + ": cannot read the Interfile data file " + data + " (" + e.getMessage() + ")", e);
        }
    }

    // ---------------------------------------------------------------- values

    private static String text(Map<String, String> h, String key, String dflt) {
        String v = h.get(key);
        return v == null || v.isEmpty() ? dflt : v;
    }

    /** A numeric value; {@code dflt} when the key is absent or empty; a clear error when it is not a number. */
    private static double number(Path f, Map<String, String> h, String key, double dflt) {
        String v = h.get(key);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new DopajException(f + ": Interfile key '" + key + "' has value '" + v + "', not a number");
        }
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v) : String.valueOf(v);
    }
}
