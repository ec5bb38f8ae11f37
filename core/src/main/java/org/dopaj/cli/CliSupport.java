package org.dopaj.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.dopaj.io.Nifti;

/**
 * What the {@code dopaj} sub-commands share: one Gson for the single JSON object a {@code --json} run prints,
 * the research-use notice of analysis results, output-file checks (no silent overwrite, never the input) and
 * file-kind sniffing.
 */
final class CliSupport {
    /** Nulls are kept (an undefined figure is {@code null}, not a missing key); no pretty printing. */
    static final Gson GSON = new GsonBuilder().serializeNulls().disableHtmlEscaping().create();

    /** The notice analysis results carry in their JSON (not {@code info}/{@code convert}: those are file facts). */
    static final String NOTICE = Version.NOTICE;

    private CliSupport() {
    }

    /** Prints {@code result} as exactly one JSON line on {@code out}. */
    static void printJson(PrintStream out, Map<String, ?> result) {
        out.println(GSON.toJson(result));
    }

    /** A double for JSON: itself when finite, null otherwise (JSON has no NaN or Infinity). */
    static Double num(double v) {
        return Double.isFinite(v) ? v : null;
    }

    /**
     * Refuses an output path that would overwrite something without {@code --force}, that is a folder, that is one
     * of the inputs, or whose folder does not exist. Called before any input is read, so a typo costs nothing.
     */
    static void checkOutput(Path out, boolean force, Path... inputs) {
        for (Path in : inputs) {
            if (in != null && sameFile(in, out)) {
                throw new DopajException(out + ": output is the input file; choose another output name");
            }
        }
        if (Files.isDirectory(out)) {
            throw new DopajException(out + ": is a directory; give an output file name");
        }
        if (Files.exists(out) && !force) {
            throw new DopajException(out + ": output file exists (add --force to overwrite it)");
        }
        Path dir = out.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new DopajException(out + ": output folder " + dir + " does not exist");
        }
        requireWritable(dir, out);
    }

    /**
     * Checks the files a command writes into an output folder ({@code -o DIR}, {@code --cam DIR}) before any input is
     * read: the folder is a folder (or can be created), each file is absent unless {@code --force}, none is an input,
     * and the folder (or the nearest existing folder above it) accepts a new file. Returns the files, in order.
     */
    static java.util.List<Path> checkOutputsIn(Path dir, String option, boolean force, java.util.List<String> names,
                                               Path... inputs) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DopajException(dir + ": " + option + " must name a folder, this is a file");
        }
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (String n : names) {
            Path f = dir.resolve(n);
            for (Path in : inputs) {
                if (in != null && sameFile(in, f)) {
                    throw new DopajException(f + ": output is the input file; choose another output folder");
                }
            }
            if (Files.isDirectory(f)) {
                throw new DopajException(f + ": is a directory, where an output file would go");
            }
            if (Files.exists(f) && !force) {
                throw new DopajException(f + ": output file exists (add --force to overwrite it)");
            }
            files.add(f);
        }
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null || !Files.isDirectory(existing)) {
            throw new DopajException(dir + ": cannot create the output folder (" + existing + " is not a folder)");
        }
        requireWritable(existing, dir);
        return files;
    }

    /**
     * Refuses a folder where no file can be created, by creating (and removing) an empty one: permission bits do not
     * say it for root, read-only mounts or /proc, and an unwritable output found after the work wastes the work.
     */
    static void requireWritable(Path dir, Path what) {
        try {
            Path probe = Files.createTempFile(dir, ".dopaj-write-check-", ".tmp");
            Files.deleteIfExists(probe);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new DopajException(what + ": cannot write in the output folder " + dir + " ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": "
                    + e.getMessage()) + ")");
        }
    }

    /** Widest field of view (mm, along any voxel axis) an analysis accepts: a whole-body scan is below 2 m. */
    static final double MAX_FOV_MM = 2000;
    /** Finest and coarsest voxel (mm) any analysis accepts; each command may be stricter (DaT-SPECT: 0.5–20 mm). */
    static final double MIN_VOXEL_MM = 0.01;
    static final double MAX_VOXEL_MM = 50;

    /**
     * What every analysis command (brain mask, DaT-SPECT, nigrosome) needs of an image, checked in one place before
     * any engine starts: a usable geometry (finite, non-degenerate affine; voxels of 0.01–50 mm; a field of view below
     * 2 m, since working grids are laid over the field of view and an absurd one — e.g. pixdim 1e30 in a file without
     * sform/qform — would be refused late or fill the memory) and some contrast (not empty, not constant).
     */
    static void requireAnalysable(org.dopaj.image.Volume v, Path file) {
        requireAnalysable(v, file, MAX_FOV_MM);
    }

    /** As {@link #requireAnalysable(org.dopaj.image.Volume, Path)} with a command's own field-of-view bound. */
    static void requireAnalysable(org.dopaj.image.Volume v, Path file, double maxFovMm) {
        org.dopaj.image.Grid g = v.grid();
        double[] vox = g.voxelMm();
        double[][] a = g.affine();
        boolean finite = true;
        for (double[] row : a) {
            for (double x : row) {
                finite &= Double.isFinite(x);
            }
        }
        double det = a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1]) - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
                + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0]);
        if (!finite || !(Math.abs(det) > 0) || !Double.isFinite(det)) {
            throw new DopajException(file + ": no usable geometry: the voxel-to-mm affine is not finite or is degenerate"
                    + " (check the file's sform/qform)");
        }
        int[] n = g.dims();
        for (int k = 0; k < 3; k++) {
            if (!(vox[k] >= MIN_VOXEL_MM && vox[k] <= MAX_VOXEL_MM)) {
                throw new DopajException(String.format(Locale.ROOT, "%s: no usable geometry: voxel size %.4g × %.4g ×"
                        + " %.4g mm is outside %.2f–%.0f mm (check the file's sform/qform or pixdim)", file, vox[0],
                        vox[1], vox[2], MIN_VOXEL_MM, MAX_VOXEL_MM));
            }
            if (n[k] * vox[k] > maxFovMm) {
                throw new DopajException(String.format(Locale.ROOT, "%s: no usable geometry: a field of view of %.0f mm"
                        + " along axis %d (%d voxels of %.4g mm) is wider than the %.0f mm this analysis accepts (check the voxel"
                        + " size)",
                        file, n[k] * vox[k], k, n[k], vox[k], maxFovMm));
            }
        }
        float lo = Float.POSITIVE_INFINITY;
        float hi = Float.NEGATIVE_INFINITY;
        for (float[] p : v.planes()) {
            for (float x : p) {
                if (Float.isFinite(x)) {
                    lo = Math.min(lo, x);
                    hi = Math.max(hi, x);
                }
            }
        }
        if (lo > hi) {
            throw new DopajException(file + ": no finite voxel (every voxel is NaN or infinite)");
        }
        if (lo == 0 && hi == 0) {
            throw new DopajException(file + ": empty image (every voxel is 0): nothing to analyse");
        }
        if (lo == hi) {
            throw new DopajException(file + ": constant image (every voxel is " + lo + "): nothing to analyse");
        }
    }

    /**
     * Refuses, from the header alone and before the voxels are read, a NIfTI file with more voxels than the command
     * can need (memory goes with the voxels read, as 4-byte floats, several times over). Other formats are checked
     * after reading, by the same bound.
     */
    static void requireAtMostVoxels(Path file, long max, String why) {
        if (Files.isDirectory(file) || !isNiftiInput(file)) {
            return;
        }
        org.dopaj.io.NiftiHeader h = Nifti.readHeader(file);
        long n = 1;
        for (long d : h.shape()) {
            n = n > max ? n : n * Math.max(1, d); // stop growing once over: no overflow
        }
        if (n > max) {
            throw new DopajException(String.format(Locale.ROOT, "%s: %,d voxels (%s) is more than %s has (at most"
                    + " %,d); not read", file, n, shapeText(h.shape()), why, max));
        }
    }

    static String shapeText(long[] shape) {
        StringBuilder s = new StringBuilder();
        for (long d : shape) {
            s.append(s.length() > 0 ? "×" : "").append(d);
        }
        return s.toString();
    }

    static boolean sameFile(Path a, Path b) {
        if (a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize())) {
            return true;
        }
        try {
            return Files.exists(a) && Files.exists(b) && Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** True for an output name DopaJ writes as NIfTI (.nii, .nii.gz). */
    static boolean isNiftiOutput(Path p) {
        String n = lowerName(p);
        return n.endsWith(".nii") || n.endsWith(".nii.gz");
    }

    /** True for an output name DopaJ writes as TIFF (.tif, .tiff). */
    static boolean isTiffOutput(Path p) {
        String n = lowerName(p);
        return n.endsWith(".tif") || n.endsWith(".tiff");
    }

    static String lowerName(Path p) {
        Path f = p.getFileName();
        return f == null ? "" : f.toString().toLowerCase(Locale.ROOT);
    }

    /**
     * True when a file is read as NIfTI, by the same rule as {@link org.dopaj.io.ImageFiles#load}: not DICOM ("DICM" at
     * byte 128), not Interfile ("!INTERFILE" header or its data file), and gzip content, a NIfTI sizeof_hdr (348 or 540,
     * either byte order) in its first 4 bytes, or a NIfTI file name.
     */
    static boolean isNiftiInput(Path file) {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(132);
        } catch (IOException e) {
            return Nifti.isNiftiName(file); // the reader that runs next names the problem
        }
        // "DICM" at 128 first, as ImageFiles does: a DICOM preamble is free bytes and may look like anything
        if (head.length >= 132 && head[128] == 'D' && head[129] == 'I' && head[130] == 'C' && head[131] == 'M') {
            return false;
        }
        if (org.dopaj.io.Interfile.isInterfile(file)) {
            return false; // an Interfile header is often named .hdr, its data .img: ImageFiles reads them
        }
        if (Nifti.isNiftiName(file)) {
            return true;
        }
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return true;
        }
        if (head.length < 4) {
            return false;
        }
        int le = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt();
        int be = ByteBuffer.wrap(head).order(ByteOrder.BIG_ENDIAN).getInt();
        return le == 348 || le == 540 || be == 348 || be == 540;
    }

    /** Refuses a missing input or a folder where a file is needed, naming it. */
    static void requireFile(Path file) {
        if (Files.isDirectory(file)) {
            throw new DopajException(file + ": is a directory, not an image file");
        }
        if (!Files.exists(file)) {
            throw new DopajException(file + ": file not found");
        }
    }

    /** A message that names {@code file} once, at its start. */
    static DopajException naming(Path file, DopajException e) {
        String m = e.getMessage();
        return m.startsWith(file.toString()) ? e : new DopajException(file + ": " + m, e);
    }

    /** Parses a long option (e.g. a seed), naming the option when the text is not an integer. */
    static long longOption(Args a, String name, long dflt) {
        String v = a.option(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new DopajException("option --" + name + " needs an integer, got '" + v + "'");
        }
    }

    /** Refuses extra positional arguments (a forgotten option name would otherwise pass silently). */
    static void maxPositionals(Args a, int n, String usage) {
        if (a.positionals().size() > n) {
            throw new DopajException("unexpected argument '" + a.positionals().get(n) + "' (usage: dopaj " + usage + ")");
        }
    }

    /**
     * Writes one run's output files in order ({@code writes}: file → what writes it; each write is atomic on its
     * own). When one fails, the files this run already wrote are removed and the failure is rethrown, so a run leaves
     * all its outputs or none. Returns the files written, in order.
     */
    static java.util.List<Path> writeAllOrNone(java.util.LinkedHashMap<Path, Runnable> writes) {
        java.util.List<Path> written = new java.util.ArrayList<>();
        try {
            for (Map.Entry<Path, Runnable> w : writes.entrySet()) {
                w.getValue().run();
                written.add(w.getKey());
            }
        } catch (RuntimeException e) {
            for (Path p : written) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // the original failure is what the user needs to see
                }
            }
            throw e;
        }
        return written;
    }
}
