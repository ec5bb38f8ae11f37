package org.dopaj.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.LoadedImage;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;

/**
 * {@code dopaj info FILE [--json]}: what an image file holds — dimensions, voxel size, datatype, orientation
 * code and affine, and for NIfTI where that affine came from (sform, qform or nibabel's base affine), the
 * scaling and units. For NIfTI the geometry comes from the header alone; the voxel data is read in full only
 * for float datatypes (to count NaN/Inf voxels), and otherwise only streamed to check that it is all there,
 * so a truncated file is never reported as fine. Other formats (TIFF, DICOM file or series folder) go through {@link ImageFiles#load}.
 *
 * <p>JSON fields: file, format, dims, voxel_mm, datatype, orientation, affine (4 rows), affine_source,
 * sform_code, qform_code, scl_slope, scl_inter, units, time_unit, byte_order, extensions, descrip,
 * non_finite_voxels. NIfTI-1 numbers are printed at float32 precision (as stored). No research notice: these
 * are file facts, not results.
 */
final class InfoCli implements CliCommand {
    @Override
    public String name() {
        return "info";
    }

    @Override
    public String usage() {
        return "info FILE [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, DeclaredOptions.valued(name()), DeclaredOptions.flags(name(), "json"));
        Path file = Path.of(a.positional(0, "FILE (the image to describe)"));
        CliSupport.maxPositionals(a, 1, usage());
        Map<String, Object> info;
        try {
            info = describe(file, err);
        } catch (DopajException e) {
            throw CliSupport.naming(file, e);
        }
        long bad = ((Number) info.get("non_finite_voxels")).longValue();
        if (bad > 0) {
            err.println("dopaj info: warning: " + file + " has " + bad + " non-finite (NaN or infinite) voxels");
        }
        if (a.flag("json")) {
            CliSupport.printJson(out, info);
        } else {
            printListing(out, info);
        }
        return 0;
    }

    /** The facts of one file as an ordered map (the JSON object). Warnings go to {@code err}. */
    static Map<String, Object> describe(Path file, PrintStream err) {
        if (!Files.isDirectory(file) && !Files.exists(file)) {
            throw new DopajException(file + ": file not found");
        }
        // a folder is read as a DICOM series by ImageFiles (and refused there when it holds none)
        if (!Files.isDirectory(file) && CliSupport.isNiftiInput(file)) {
            return describeNifti(file, err);
        }
        return describeOther(file, err);
    }

    private static Map<String, Object> describeNifti(Path file, PrintStream err) {
        NiftiHeader h = Nifti.readHeader(file);
        NiftiDatatype type = NiftiDatatype.of(h.datatype);
        if (h.bitpix != type.bitpix()) {
            throw new DopajException("bitpix " + h.bitpix + " does not match datatype " + type.label() + " ("
                    + type.bitpix() + " bits)");
        }
        long nvox = voxelCount(h);
        long nonFinite = 0;
        if (type == NiftiDatatype.FLOAT32 || type == NiftiDatatype.FLOAT64) {
            nonFinite = Nifti.read(file).countNonFinite();
        } else {
            checkDataComplete(file, h, nvox * type.bytes());
        }
        boolean f32 = h.version == 1;
        double[][] affine = h.bestAffine();
        long[] shape = h.shape();
        Grid grid = new Grid(toInt(shape, 0), toInt(shape, 1), toInt(shape, 2), voxelSize(h, affine), affine);
        if (h.affineSource().equals("base")) {
            err.println("dopaj info: warning: " + file + " has no sform or qform: orientation assumed (LAS, centred) as nibabel does");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("format", "nifti" + h.version);
        List<Long> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d);
        }
        while (dims.size() < 3) {
            dims.add(1L);
        }
        m.put("dims", dims);
        m.put("voxel_mm", numbers(grid.voxelMm(), f32));
        m.put("datatype", type.label());
        m.put("orientation", grid.orientation());
        m.put("affine", rows(affine, f32));
        m.put("affine_source", h.affineSource());
        m.put("sform_code", NiftiHeader.xformName(h.sformCode));
        m.put("qform_code", NiftiHeader.xformName(h.qformCode));
        m.put("scl_slope", value(h.sclSlope, f32));
        m.put("scl_inter", value(h.sclInter, f32));
        m.put("units", h.spatialUnit());
        m.put("time_unit", timeUnit(h.xyztUnits));
        m.put("byte_order", h.byteOrder == java.nio.ByteOrder.BIG_ENDIAN ? "big" : "little");
        m.put("extensions", h.extensions().size());
        m.put("descrip", h.descrip());
        m.put("non_finite_voxels", nonFinite);
        return m;
    }

    private static Map<String, Object> describeOther(Path file, PrintStream err) {
        LoadedImage img = ImageFiles.load(file);
        if (img.warning() != null) {
            err.println("dopaj info: warning: " + file + ": " + img.warning());
        }
        Volume v = img.volume();
        Grid g = v.grid();
        long bad = 0;
        for (float[] p : v.planes()) {
            for (float x : p) {
                if (!Float.isFinite(x)) {
                    bad++;
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.toString());
        m.put("format", img.format());
        List<Integer> dims = new ArrayList<>(List.of(g.nx(), g.ny(), g.nz()));
        if (v.nt() > 1) {
            dims.add(v.nt());
        }
        m.put("dims", dims);
        m.put("voxel_mm", numbers(g.voxelMm(), false));
        m.put("datatype", img.datatype());
        m.put("orientation", g.orientation());
        m.put("affine", rows(g.affine(), false));
        // where the geometry came from: the file's own tags/calibration, or 1 mm voxels assumed
        m.put("affine_source", !img.calibrated() ? "assumed" : img.format().startsWith("dicom") ? "dicom" : "calibration");
        m.put("scl_slope", null);
        m.put("scl_inter", null);
        m.put("units", "mm");
        m.put("non_finite_voxels", bad);
        return m;
    }

    /** product(dim[1..dim[0]]), refusing sizes that are not a NIfTI image. */
    private static long voxelCount(NiftiHeader h) {
        if (h.ndim() < 1 || h.ndim() > 7) {
            throw new DopajException("dim[0] = " + h.ndim() + " is not a number of dimensions (1..7)");
        }
        long n = 1;
        for (int i = 1; i <= h.ndim(); i++) {
            if (h.dim[i] <= 0) {
                throw new DopajException("dim[" + i + "] = " + h.dim[i] + " is not a positive size");
            }
            try {
                n = Math.multiplyExact(n, h.dim[i]);
            } catch (ArithmeticException e) {
                throw new DopajException("dims overflow: their product does not fit in 64 bits");
            }
        }
        return n;
    }

    /**
     * Checks that all {@code bytes} voxel bytes follow the header, without keeping them: the file size for an
     * uncompressed file, a streamed decompression (which also checks the gzip CRC) for a .gz file.
     * A .hdr/.img pair is read by {@link Nifti#read}, which checks both files.
     */
    private static void checkDataComplete(Path file, NiftiHeader h, long bytes) {
        String n = CliSupport.lowerName(file);
        if (n.endsWith(".hdr") || n.endsWith(".hdr.gz") || n.endsWith(".img") || n.endsWith(".img.gz")) {
            Nifti.read(file);
            return;
        }
        long need = h.voxOffset + bytes;
        try (InputStream raw = Files.newInputStream(file)) {
            byte[] magic = raw.readNBytes(2);
            if (!(magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b)) {
                long size = Files.size(file);
                if (size < need) {
                    throw new DopajException("ends after " + size + " bytes, header says " + need + " (vox_offset "
                            + h.voxOffset + " + " + bytes + " bytes of voxels)");
                }
                return;
            }
        } catch (IOException e) {
            throw new DopajException("cannot read (" + e.getMessage() + ")", e);
        }
        long got = 0;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            byte[] buf = new byte[1 << 16];
            int r;
            while ((r = in.read(buf)) >= 0) {
                got += r;
            }
        } catch (EOFException e) {
            throw new DopajException("gzip stream is truncated (the .gz file is incomplete)", e);
        } catch (ZipException e) {
            throw new DopajException("corrupt gzip data (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new DopajException("cannot read (" + e.getMessage() + ")", e);
        }
        if (got < need) {
            throw new DopajException("ends after " + got + " bytes, header says " + need);
        }
    }

    /** |pixdim[1..3]|, or the affine's column norm where pixdim is 0, not finite or beyond dim[0] (as NiftiImage.grid). */
    private static double[] voxelSize(NiftiHeader h, double[][] a) {
        double[] vox = new double[3];
        for (int c = 0; c < 3; c++) {
            double p = Math.abs(h.pixdim[c + 1]);
            if (!(p > 0) || !Double.isFinite(p) || c >= h.ndim()) {
                p = Math.sqrt(a[0][c] * a[0][c] + a[1][c] * a[1][c] + a[2][c] * a[2][c]);
            }
            vox[c] = p > 0 && Double.isFinite(p) ? p : 1;
        }
        return vox;
    }

    private static int toInt(long[] shape, int i) {
        long v = i < shape.length ? shape[i] : 1;
        if (v > Integer.MAX_VALUE) {
            throw new DopajException("dimension " + v + " is too large for DopaJ");
        }
        return (int) v;
    }

    private static String timeUnit(int xyzt) {
        switch (xyzt & 0x38) {
            case 8: return "s";
            case 16: return "ms";
            case 24: return "us";
            default: return "unknown";
        }
    }

    /** A header number for JSON: null when not finite; at float32 precision for NIfTI-1 (what the file stores). */
    private static Double value(double v, boolean float32) {
        if (!Double.isFinite(v)) {
            return null;
        }
        return float32 ? Double.valueOf(Float.toString((float) v)) : v;
    }

    private static List<Double> numbers(double[] v, boolean float32) {
        List<Double> r = new ArrayList<>();
        for (double x : v) {
            r.add(value(x, float32));
        }
        return r;
    }

    private static List<List<Double>> rows(double[][] a, boolean float32) {
        List<List<Double>> r = new ArrayList<>();
        for (double[] row : a) {
            r.add(numbers(row, float32));
        }
        return r;
    }

    /** "key : value" lines with the keys padded to one width; the affine as four rows. */
    static void printListing(PrintStream out, Map<String, Object> info) {
        int w = 0;
        for (String k : info.keySet()) {
            w = Math.max(w, k.length());
        }
        for (Map.Entry<String, Object> e : info.entrySet()) {
            String key = String.format("%-" + w + "s : ", e.getKey());
            Object v = e.getValue();
            if (e.getKey().equals("affine")) {
                @SuppressWarnings("unchecked")
                List<List<Double>> rows = (List<List<Double>>) v;
                String pad = " ".repeat(key.length());
                for (int r = 0; r < rows.size(); r++) {
                    StringBuilder s = new StringBuilder(r == 0 ? key : pad);
                    for (Double x : rows.get(r)) {
                        s.append(String.format("%12s", format(x)));
                    }
                    out.println(s);
                }
                continue;
            }
            out.println(key + text(v));
        }
    }

    private static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof List<?> l) {
            StringBuilder s = new StringBuilder();
            for (Object o : l) {
                if (s.length() > 0) {
                    s.append(" × ");
                }
                s.append(text(o));
            }
            return s.toString();
        }
        if (v instanceof Double d) {
            return format(d);
        }
        return v.toString();
    }

    private static String format(Double d) {
        if (d == null) {
            return "NaN";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        return String.format(java.util.Locale.ROOT, "%.6g", d).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replaceAll("\\.(e|$)", "$1");
    }
}
