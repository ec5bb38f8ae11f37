package org.dopaj.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;
import org.dopaj.DopajException;
import org.dopaj.image.Memory;
import org.dopaj.image.Volume;

/**
 * Reads and writes NIfTI-1 and NIfTI-2 images: single files {@code .nii} / {@code .nii.gz} (gzip is detected
 * by content, not by name), and reads {@code .hdr}/{@code .img} pairs. Both byte orders are read; files are
 * written little-endian, atomically (a temporary file in the target folder, then moved), gzip-compressed when
 * the name ends in {@code .gz}. Every problem is a one-line {@link DopajException} naming the file.
 */
public final class Nifti {
    private static final int BUFFER = 1 << 16;

    private Nifti() {
    }

    /** True when the name ends in .nii, .nii.gz, .hdr, .hdr.gz, .img or .img.gz (case-insensitive). */
    public static boolean isNiftiName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".nii") || n.endsWith(".nii.gz") || n.endsWith(".hdr") || n.endsWith(".hdr.gz")
                || n.endsWith(".img") || n.endsWith(".img.gz");
    }

    /** Reads a NIfTI file into its header and raw voxel bytes (see {@link NiftiImage}). */
    public static NiftiImage read(Path file) {
        try {
            return readImpl(file);
        } catch (DopajException e) {
            String m = e.getMessage();
            throw new DopajException(m.startsWith(file.toString()) ? m : file + ": " + m, e.getCause());
        }
    }

    /** Reads a NIfTI file and returns its scaled float voxels and grid ({@link NiftiImage#toVolume()}). */
    public static Volume readVolume(Path file) {
        NiftiImage img = read(file);
        try {
            return img.toVolume();
        } catch (DopajException e) {
            throw new DopajException(file + ": " + e.getMessage(), e);
        }
    }

    /** Reads only the header (and extensions) of a NIfTI file, without the voxel data. */
    public static NiftiHeader readHeader(Path file) {
        try {
            Path hdr = pairHeader(file);
            checkReadable(hdr);
            try (Counting in = open(hdr)) {
                return readHeaderFrom(in, hdr, hdr != file || isPairName(file));
            }
        } catch (IOException e) {
            throw ioError(file, e);
        } catch (DopajException e) {
            String m = e.getMessage();
            throw new DopajException(m.startsWith(file.toString()) ? m : file + ": " + m, e.getCause());
        }
    }

    private static boolean isPairName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".hdr") || n.endsWith(".hdr.gz") || n.endsWith(".img") || n.endsWith(".img.gz");
    }

    /** For an .img(.gz) name, the .hdr(.gz) beside it; otherwise the file itself. */
    private static Path pairHeader(Path file) {
        String n = file.getFileName().toString();
        String l = n.toLowerCase(Locale.ROOT);
        if (l.endsWith(".img") || l.endsWith(".img.gz")) {
            int i = l.lastIndexOf(".img");
            for (String ext : new String[]{".hdr", ".HDR", ".hdr.gz"}) {
                Path h = file.resolveSibling(n.substring(0, i) + ext);
                if (Files.exists(h)) {
                    return h;
                }
            }
            throw new DopajException("no .hdr header found beside the .img file");
        }
        return file;
    }

    /** For a .hdr(.gz) name, the .img(.gz) beside it. */
    private static Path pairImage(Path hdr) {
        String n = hdr.getFileName().toString();
        String l = n.toLowerCase(Locale.ROOT);
        int i = l.lastIndexOf(".hdr");
        for (String ext : new String[]{".img", ".IMG", ".img.gz"}) {
            Path p = hdr.resolveSibling(n.substring(0, i) + ext);
            if (Files.exists(p)) {
                return p;
            }
        }
        throw new DopajException("no .img data file found beside the .hdr header");
    }

    private static void checkReadable(Path file) {
        if (Files.isDirectory(file)) {
            throw new DopajException(file + ": is a directory, not a NIfTI file");
        }
        if (!Files.exists(file)) {
            throw new DopajException(file + ": file not found");
        }
        if (!Files.isReadable(file)) {
            throw new DopajException(file + ": file is not readable (permission denied)");
        }
    }

    private static NiftiImage readImpl(Path file) {
        Path hdrFile = pairHeader(file);
        checkReadable(hdrFile);
        boolean pair = hdrFile != file || isPairName(file);
        try (Counting in = open(hdrFile)) {
            NiftiHeader h = readHeaderFrom(in, hdrFile, pair);
            NiftiDatatype type = validate(h);
            long nvox = NiftiImage.voxelCount(h);
            long bytes = nvox * type.bytes();
            if (bytes > Integer.MAX_VALUE - 8) {
                throw new DopajException("voxel data of " + Memory.human(bytes) + " is over the 2 GiB DopaJ reads from one NIfTI file");
            }
            if (pair) {
                Path img = pairImage(hdrFile);
                checkReadable(img);
                try (Counting din = open(img)) {
                    if (!din.gzip && Files.size(img) < h.voxOffset + bytes) {
                        throw new DopajException(img + ": ends after " + Files.size(img) + " bytes, header says "
                                + (h.voxOffset + bytes));
                    }
                    skipFully(din, h.voxOffset, h.voxOffset + bytes, img);
                    byte[] data = readData(din, bytes, h, type, img, h.voxOffset + bytes);
                    return new NiftiImage(h, data);
                }
            }
            long need = h.voxOffset + bytes;
            if (!in.gzip) {
                long size = Files.size(hdrFile);
                if (h.voxOffset > size) {
                    throw new DopajException("vox_offset " + h.voxOffset + " is beyond the end of the file (" + size + " bytes)");
                }
                if (size < need) {
                    throw new DopajException("ends after " + size + " bytes, header says " + need
                            + " (vox_offset " + h.voxOffset + " + " + bytes + " bytes of " + type.label() + " voxels)");
                }
            }
            byte[] data = readData(in, bytes, h, type, hdrFile, need);
            return new NiftiImage(h, data);
        } catch (IOException e) {
            throw ioError(file, e);
        }
    }

    private static DopajException ioError(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return new DopajException(file + ": file not found", e);
        }
        if (e instanceof AccessDeniedException) {
            return new DopajException(file + ": file is not readable (permission denied)", e);
        }
        if (e instanceof EOFException) {
            return new DopajException(file + ": gzip stream is truncated (the .gz file is incomplete)", e);
        }
        if (e instanceof ZipException) {
            return new DopajException(file + ": corrupt gzip data (" + e.getMessage() + ")", e);
        }
        return new DopajException(file + ": cannot read (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }

    /** Reads the header struct and, for a single file, the bytes up to vox_offset (extension block). */
    private static NiftiHeader readHeaderFrom(Counting in, Path file, boolean pair) throws IOException {
        byte[] first = in.readNBytes(348);
        if (first.length < 4) {
            throw new DopajException(file + ": not a NIfTI file (only " + first.length + " bytes)");
        }
        ByteOrder order = NiftiHeader.detectOrder(first);
        if (order == null) {
            int le = ByteBuffer.wrap(first, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            throw new DopajException(file + ": not a NIfTI file (sizeof_hdr is " + le + ", expected 348 or 540)");
        }
        int size = ByteBuffer.wrap(first, 0, 4).order(order).getInt();
        byte[] raw = first;
        if (size == 540 && first.length == 348) {
            byte[] rest = in.readNBytes(540 - 348);
            raw = new byte[348 + rest.length];
            System.arraycopy(first, 0, raw, 0, 348);
            System.arraycopy(rest, 0, raw, 348, rest.length);
        }
        if (raw.length < size) {
            throw new DopajException(file + ": ends after " + in.count + " bytes, inside the " + size + "-byte NIfTI header");
        }
        NiftiHeader h = NiftiHeader.parse(raw, order);
        checkMagic(h, file, pair);
        if (pair) {
            // the rest of the .hdr file: extension flag and extensions
            h.extensionBlock = in.readAllBytes();
            if (h.voxOffset < 0) {
                throw new DopajException(file + ": vox_offset " + h.voxOffset + " is negative");
            }
        } else {
            if (h.voxOffset < size) {
                throw new DopajException(file + ": vox_offset " + h.voxOffset + " lies inside the " + size + "-byte header");
            }
            long blockLen = h.voxOffset - size;
            if (blockLen > (1L << 30)) {
                throw new DopajException(file + ": vox_offset " + h.voxOffset + " is implausibly large (over 1 GiB of extensions)");
            }
            byte[] block = in.readNBytes((int) blockLen);
            if (block.length < blockLen) {
                throw new DopajException(file + ": vox_offset " + h.voxOffset + " is beyond the end of the file (it ends after "
                        + in.count + " bytes)");
            }
            h.extensionBlock = block;
        }
        return h;
    }

    private static void checkMagic(NiftiHeader h, Path file, boolean pair) {
        byte[] m = h.magic;
        boolean ok = m.length >= 4 && m[0] == 'n' && (m[1] == '+' || m[1] == 'i') && m[2] == ('0' + h.version) && m[3] == 0;
        if (!ok) {
            throw new DopajException(file + ": wrong NIfTI magic '" + printable(m) + "' (expected 'n+" + h.version
                    + "' or 'ni" + h.version + "'): not a NIfTI-" + h.version + " file (an old ANALYZE 7.5 file?)");
        }
        if (!pair && m[1] != '+') {
            throw new DopajException(file + ": magic 'ni" + h.version + "' marks a .hdr/.img pair, but this is a single file");
        }
    }

    private static String printable(byte[] m) {
        StringBuilder s = new StringBuilder();
        for (byte b : m) {
            if (b == 0) {
                break;
            }
            s.append(b >= 32 && b < 127 ? (char) b : '?');
        }
        return s.toString();
    }

    /** Checks datatype, bitpix and dims; returns the datatype. */
    private static NiftiDatatype validate(NiftiHeader h) {
        NiftiDatatype type = NiftiDatatype.of(h.datatype);
        if (h.bitpix != type.bitpix()) {
            throw new DopajException("bitpix " + h.bitpix + " does not match datatype " + h.datatype + " (" + type.label()
                    + " has " + type.bitpix() + " bits)");
        }
        NiftiImage.voxelCount(h);
        return type;
    }

    private static void skipFully(Counting in, long n, long total, Path file) throws IOException {
        long left = n;
        while (left > 0) {
            long s = in.skip(left);
            if (s <= 0) {
                if (in.read() < 0) {
                    throw new DopajException(file + ": ends after " + in.count + " bytes, header says " + total);
                }
                s = 1;
            }
            left -= s;
        }
    }

    private static byte[] readData(Counting in, long bytes, NiftiHeader h, NiftiDatatype type, Path file, long total)
            throws IOException {
        Memory.require(bytes, "the voxel data of " + file.getFileName() + " (" + Memory.human(bytes) + ")");
        byte[] data = new byte[(int) bytes];
        int got = in.readNBytes(data, 0, data.length);
        if (got < data.length) {
            throw new DopajException(file + ": ends after " + in.count + " bytes, header says " + total);
        }
        if (in.gzip) {
            // read to the end so that the gzip CRC and length are checked
            byte[] sink = new byte[BUFFER];
            while (in.read(sink) >= 0) {
                // trailing bytes after the voxels are allowed and ignored
            }
        }
        if (h.byteOrder == ByteOrder.BIG_ENDIAN) {
            swap(data, type.swapUnit());
        }
        return data;
    }

    /** Reverses the bytes of each {@code unit}-byte number in place. */
    static void swap(byte[] d, int unit) {
        if (unit == 1) {
            return;
        }
        for (int i = 0; i + unit <= d.length; i += unit) {
            for (int a = i, b = i + unit - 1; a < b; a++, b--) {
                byte t = d[a];
                d[a] = d[b];
                d[b] = t;
            }
        }
    }

    /** An input stream counting the decompressed bytes it delivered (for "ends after N bytes" messages). */
    private static final class Counting extends java.io.FilterInputStream {
        long count;
        final boolean gzip;

        Counting(InputStream in, boolean gzip) {
            super(in);
            this.gzip = gzip;
        }

        @Override
        public int read() throws IOException {
            int r = super.read();
            if (r >= 0) {
                count++;
            }
            return r;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = super.read(b, off, len);
            if (r > 0) {
                count += r;
            }
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            long r = super.skip(n);
            if (r > 0) {
                count += r;
            }
            return r;
        }
    }

    /** Opens a file, through gzip when its first two bytes are the gzip magic (1f 8b). */
    private static Counting open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new Counting(new GZIPInputStream(raw, BUFFER), true);
            }
            return new Counting(raw, false);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes a NIfTI image as a single file (.nii, or .nii.gz when the name ends in .gz), keeping every header
     * field, the extensions and the voxel bytes (the version is the header's: use
     * {@link NiftiImage#withVersion(int)} to change it). The magic is set to the single-file one and vox_offset
     * to the header size plus the extension block. Atomic: a temporary file in the target folder is moved
     * into place; nothing is left behind on failure.
     */
    public static void write(NiftiImage img, Path file) {
        try {
            writeImpl(img, file);
        } catch (DopajException e) {
            String m = e.getMessage();
            throw new DopajException(m.startsWith(file.toString()) ? m : file + ": " + m, e.getCause());
        }
    }

    private static void writeImpl(NiftiImage img, Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (!(n.endsWith(".nii") || n.endsWith(".nii.gz"))) {
            throw new DopajException(file + ": NIfTI output must be named .nii or .nii.gz");
        }
        NiftiHeader h = img.header().copy();
        h.magic = NiftiHeader.singleFileMagic(h.version);
        byte[] block = littleEndianBlock(h);
        if (block.length == 0) {
            block = new byte[4]; // extension flag: none
        }
        int hsize = NiftiHeader.headerSize(h.version);
        h.voxOffset = hsize + block.length;
        h.byteOrder = ByteOrder.LITTLE_ENDIAN;
        byte[] head = h.toBytes();
        byte[] data = img.data();
        final byte[] blk = block;
        AtomicFiles.write(file, n.endsWith(".gz"), out -> {
            out.write(head);
            out.write(blk);
            out.write(data);
        });
    }

    /**
     * The extension block in little-endian order: verbatim for a little-endian source, rebuilt from the parsed
     * extensions (esize/ecode swapped, payload and trailing padding kept) for a big-endian one.
     */
    private static byte[] littleEndianBlock(NiftiHeader h) {
        byte[] block = h.extensionBlock;
        if (h.byteOrder == ByteOrder.LITTLE_ENDIAN || block.length < 4 || block[0] == 0) {
            return block;
        }
        byte[] out = block.clone();
        ByteBuffer src = ByteBuffer.wrap(block).order(ByteOrder.BIG_ENDIAN);
        ByteBuffer dst = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 4;
        while (pos + 8 <= block.length) {
            int esize = src.getInt(pos);
            if (esize < 8 || pos + esize > block.length) {
                break;
            }
            dst.putInt(pos, esize);
            dst.putInt(pos + 4, src.getInt(pos + 4));
            pos += esize;
        }
        return out;
    }

    /** Writes a float volume as float32 NIfTI; see {@link #write(Volume, Path, NiftiHeader, NiftiDatatype)}. */
    public static void write(Volume vol, Path file, NiftiHeader template) {
        write(vol, file, template, NiftiDatatype.FLOAT32);
    }

    /**
     * Writes a float volume in the given datatype (float32 when null; integer types are rounded and refused
     * when a value does not fit), with the geometry of its grid: see
     * {@link NiftiImage#fromVolume(Volume, NiftiHeader, NiftiDatatype)}. Refuses volumes over 4D.
     */
    public static void write(Volume vol, Path file, NiftiHeader template, NiftiDatatype type) {
        NiftiImage img;
        try {
            img = NiftiImage.fromVolume(vol, template, type);
        } catch (DopajException e) {
            throw new DopajException(file + ": " + e.getMessage(), e);
        }
        write(img, file);
    }

    /**
     * Writes {@code vol} in the datatype and scaling of {@code original} when every value survives that bit-exactly
     * ({@link NiftiImage#fromVolumeExact}: e.g. a masked copy of an int16 scan), else as float32 with
     * {@code original} as the header template. A masked image then keeps its input's datatype, as FSL's BET does,
     * and a 1 mm uint8/int16 head is written in a quarter/half of the float32 bytes. {@code original} may be null.
     */
    public static void writeLike(Volume vol, Path file, NiftiHeader original) {
        NiftiImage exact = original == null ? null : NiftiImage.fromVolumeExact(vol, original);
        if (exact != null) {
            write(exact, file);
        } else {
            write(vol, file, original, NiftiDatatype.FLOAT32);
        }
    }

    /** System property: the gzip level of .nii.gz outputs (1 fastest … 9 smallest; default 6, gzip's own). */
    public static final String GZIP_LEVEL_PROPERTY = "dopaj.gzip.level";

    /**
     * A gzip stream with a large buffer, at the level of {@link #GZIP_LEVEL_PROPERTY} (a batch sets 1 with
     * {@code --compress fast}: about 3× faster to write, files about 10 % larger), deflated on every core
     * ({@link ParallelGzipOutputStream}).
     */
    static OutputStream gzip(OutputStream out) throws IOException {
        int level = Integer.getInteger(GZIP_LEVEL_PROPERTY, 6);
        int l = Math.max(1, Math.min(9, level));
        return new ParallelGzipOutputStream(out, l);
    }
}
