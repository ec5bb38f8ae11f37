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
     * True when a file is read as NIfTI, by the same rule as {@link org.dopaj.io.ImageFiles#load}: gzip content,
     * a NIfTI sizeof_hdr (348 or 540, either byte order) in its first 4 bytes, or a NIfTI file name.
     */
    static boolean isNiftiInput(Path file) {
        if (Nifti.isNiftiName(file)) {
            return true;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(4);
        } catch (IOException e) {
            return false; // the reader that runs next names the problem
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
}
