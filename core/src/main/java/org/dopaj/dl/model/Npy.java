package org.dopaj.dl.model;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.dopaj.DopajException;

/**
 * NumPy {@code .npy} for float32 tensors: little-endian {@code <f4}, C order — the format of BioImage Model Zoo
 * test tensors ({@code numpy.load} reads what this writes and vice versa). Other dtypes and Fortran order are
 * refused with the reason.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Writes {@code t} to {@code file} atomically (temp file in the same folder, then move). */
    public static void write(Path file, Tensor t) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    write(out, t);
                }
                readableByAll(tmp);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new DopajException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Temp files are created owner-only; a written result should have ordinary rw-r--r-- permissions. */
    static void readableByAll(Path p) {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(
                    Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: keep its defaults
        }
    }

    /** Writes the version 1.0 header and the data. */
    public static void write(OutputStream out, Tensor t) throws IOException {
        StringBuilder shape = new StringBuilder("(");
        long[] s = t.shape();
        for (int i = 0; i < s.length; i++) {
            shape.append(s[i]);
            if (s.length == 1 || i < s.length - 1) {
                shape.append(',');
            }
            if (i < s.length - 1) {
                shape.append(' ');
            }
        }
        shape.append(')');
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
        // Header (magic 6 + version 2 + length 2 + dict + '\n') padded with spaces to a multiple of 64.
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        out.write(MAGIC);
        out.write(1);
        out.write(0);
        out.write(header.length() & 0xff);
        out.write((header.length() >> 8) & 0xff);
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        float[] d = t.data();
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : d) {
            if (!buf.hasRemaining()) {
                out.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            buf.putFloat(v);
        }
        out.write(buf.array(), 0, buf.position());
    }

    /** Reads a float32 C-order {@code .npy}; names the file in every refusal. */
    public static Tensor read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new DopajException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static Tensor read(InputStream in, String what) throws IOException {
        byte[] magic = in.readNBytes(6);
        if (magic.length < 6 || !java.util.Arrays.equals(magic, MAGIC)) {
            throw new DopajException(what + " is not a .npy file (bad magic)");
        }
        int major = in.read();
        in.read();
        int headerLen;
        if (major == 1) {
            byte[] b = in.readNBytes(2);
            headerLen = (b[0] & 0xff) | (b[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] b = in.readNBytes(4);
            headerLen = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } else {
            throw new DopajException(what + ": unsupported .npy version " + major);
        }
        String header = new String(in.readNBytes(headerLen), StandardCharsets.ISO_8859_1);
        Matcher m = DESCR.matcher(header);
        if (!m.find()) {
            throw new DopajException(what + ": .npy header has no descr");
        }
        String descr = m.group(1);
        if (!descr.equals("<f4")) {
            throw new DopajException(what + ": dtype " + descr + " not supported (need little-endian float32 '<f4')");
        }
        m = FORTRAN.matcher(header);
        if (m.find() && m.group(1).equals("True")) {
            throw new DopajException(what + ": Fortran-order .npy not supported (save with C order)");
        }
        m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new DopajException(what + ": .npy header has no shape");
        }
        List<Long> dims = new ArrayList<>();
        for (String part : m.group(1).split(",")) {
            if (!part.isBlank()) {
                dims.add(Long.parseLong(part.trim()));
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        if (n > Integer.MAX_VALUE - 8) {
            throw new DopajException(what + ": tensor too large (" + n + " values)");
        }
        byte[] raw = in.readNBytes((int) n * 4);
        if (raw.length != n * 4) {
            throw new DopajException(what + ": truncated, expected " + n * 4 + " data bytes, got " + raw.length);
        }
        float[] data = new float[(int) n];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return Tensor.of(data, shape);
    }

    /** The bytes {@link #write(OutputStream, Tensor)} would produce (for checksums in memory). */
    static byte[] bytes(Tensor t) {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try {
            write(bo, t);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bo.toByteArray();
    }
}
