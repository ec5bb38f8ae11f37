package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.LoadedImage;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;
import org.dopaj.io.NiftiImage;

/**
 * {@code dopaj convert IN OUT [--datatype NAME] [--nifti1|--nifti2] [--force] [--json]}: any image DopaJ reads
 * (NIfTI, TIFF, DICOM file or series folder) to NIfTI ({@code .nii}, {@code .nii.gz}: gzip by the output name)
 * or TIFF ({@code .tif}, 32-bit float with mm calibration).
 *
 * <p>NIfTI→NIfTI without a datatype change is bit-exact: the loaded {@link NiftiImage} (header fields,
 * scaling, extensions, stored voxel bytes) is written as it is, keeping the input's NIfTI version unless
 * {@code --nifti1}/{@code --nifti2} asks otherwise. New headers (other inputs, or a datatype change) are
 * NIfTI-1 unless {@code --nifti2}. Without {@code --datatype} a non-NIfTI input keeps its stored datatype
 * when every value fits it exactly, else float32. Integer outputs round to the nearest integer and refuse
 * values out of range and NaN/Inf voxels (naming the first); float outputs keep NaN/Inf.
 *
 * <p>Refuses: OUT equal to IN, an existing OUT without {@code --force}, an output name that is neither NIfTI
 * nor TIFF. The output is written atomically (complete or absent).
 */
final class ConvertCli implements CliCommand {
    @Override
    public String name() {
        return "convert";
    }

    @Override
    public String usage() {
        return "convert IN OUT [--datatype NAME] [--nifti1|--nifti2] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of("datatype"), Set.of("force", "nifti1", "nifti2", "json"));
        Path in = Path.of(a.positional(0, "IN (the image to convert)"));
        Path dst = Path.of(a.positional(1, "OUT (the output file: .nii, .nii.gz, .tif or .tiff)"));
        CliSupport.maxPositionals(a, 2, usage());
        if (a.flag("nifti1") && a.flag("nifti2")) {
            throw new DopajException("give --nifti1 or --nifti2, not both");
        }
        NiftiDatatype requested = a.has("datatype") ? NiftiDatatype.byName(a.option("datatype")) : null;
        if (Files.isDirectory(dst)) {
            throw new DopajException(dst + ": is a directory; give an output file name");
        }
        boolean toNifti = CliSupport.isNiftiOutput(dst);
        if (!toNifti && !CliSupport.isTiffOutput(dst)) {
            throw new DopajException(dst + ": cannot write this format: name the output .nii, .nii.gz, .tif or .tiff");
        }
        if (!toNifti && (a.flag("nifti1") || a.flag("nifti2"))) {
            throw new DopajException(dst + ": --nifti1/--nifti2 apply to NIfTI outputs, not TIFF");
        }
        if (!toNifti && requested != null && requested != NiftiDatatype.FLOAT32) {
            throw new DopajException(dst + ": TIFF output is written as float32; --datatype " + requested.label()
                    + " applies to NIfTI outputs only");
        }
        if (!Files.exists(in)) {
            throw new DopajException(in + ": file not found");
        }
        CliSupport.checkOutput(dst, a.flag("force"), in);
        Integer version = a.flag("nifti2") ? Integer.valueOf(2) : a.flag("nifti1") ? Integer.valueOf(1) : null;

        Written w;
        if (!Files.isDirectory(in) && CliSupport.isNiftiInput(in)) {
            w = fromNifti(in, dst, toNifti, requested, version);
        } else {
            LoadedImage li = ImageFiles.load(in);
            w = fromVolume(li.volume(), li.datatype(), li.format(), in, dst, toNifti, requested, version);
            // after the write: a refused conversion prints its one error line, not a warning before it
            if (li.warning() != null) {
                err.println("dopaj convert: warning: " + in + ": " + li.warning());
            }
        }
        if (a.flag("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("input", in.toString());
            m.put("output", dst.toString());
            m.put("format", w.format);
            m.put("dims", w.dims);
            m.put("datatype", w.datatype);
            CliSupport.printJson(out, m);
        } else {
            out.println("wrote " + dst + " (" + w.format + ", " + dimsText(w.dims) + ", " + w.datatype + ")");
        }
        return 0;
    }

    /** What was written, for the report. */
    private record Written(String format, List<Long> dims, String datatype) {
    }

    private static Written fromNifti(Path in, Path dst, boolean toNifti, NiftiDatatype requested, Integer version) {
        NiftiImage img = Nifti.read(in);
        if (toNifti && (requested == null || requested == img.datatype())) {
            // bit-exact path: the header and the stored voxel bytes as they were read
            NiftiImage o = version == null || version == img.header().version ? img : img.withVersion(version);
            Nifti.write(o, dst);
            return new Written("nifti" + o.header().version, shape(o.header()), o.datatypeName());
        }
        Volume v;
        try {
            v = img.toVolume();
        } catch (DopajException e) {
            throw CliSupport.naming(in, e);
        }
        int ver = version != null ? version : img.header().version;
        return fromVolume(v, img.datatypeName(), "nifti" + img.header().version, in, dst, toNifti, requested, ver,
                img.header());
    }

    private static Written fromVolume(Volume v, String storedType, String inFormat, Path in, Path dst, boolean toNifti,
                                      NiftiDatatype requested, Integer version) {
        NiftiHeader template = new NiftiHeader();
        // DICOM geometry is the scanner's; other sources are aligned to something we do not know
        int code = inFormat.startsWith("dicom") ? NiftiHeader.XFORM_SCANNER : NiftiHeader.XFORM_ALIGNED;
        template.sformCode = code;
        template.qformCode = code;
        return fromVolume(v, storedType, inFormat, in, dst, toNifti, requested, version == null ? 1 : version, template);
    }

    private static Written fromVolume(Volume v, String storedType, String inFormat, Path in, Path dst, boolean toNifti,
                                      NiftiDatatype requested, int version, NiftiHeader template) {
        List<Long> dims = new ArrayList<>(List.of((long) v.nx(), (long) v.ny(), (long) v.nz()));
        if (v.nt() > 1) {
            dims.add((long) v.nt());
        }
        if (!toNifti) {
            ImageFiles.write(v, dst);
            return new Written("tiff", dims, "float32");
        }
        NiftiDatatype type = requested != null ? requested : naturalType(storedType, v);
        if (type == NiftiDatatype.RGB24) {
            throw new DopajException(dst + ": cannot write rgb24 from " + in + " (" + storedType + "): choose a numeric datatype");
        }
        if (type.isInteger()) {
            String bad = v.firstNonFinite();
            if (bad != null) {
                throw new DopajException(in + ": has non-finite voxels (first: " + bad + "), which " + type.label()
                        + " cannot store: convert to float32 or float64, or fix the image first");
            }
        }
        NiftiHeader t = template.copy();
        t.version = version;
        Nifti.write(v, dst, t, type);
        return new Written("nifti" + version, dims, type.label());
    }

    /** The stored datatype when every value is exactly storable in it (integers in range), else float32. */
    static NiftiDatatype naturalType(String stored, Volume v) {
        NiftiDatatype t;
        try {
            t = NiftiDatatype.byName(stored == null ? "" : stored);
        } catch (DopajException e) {
            return NiftiDatatype.FLOAT32;
        }
        if (t == NiftiDatatype.RGB24) {
            return NiftiDatatype.FLOAT32;
        }
        if (!t.isInteger()) {
            return t;
        }
        for (float[] p : v.planes()) {
            for (float x : p) {
                if (!(x == Math.rint(x) && x >= t.min() && x <= t.max())) {
                    return NiftiDatatype.FLOAT32;
                }
            }
        }
        return t;
    }

    private static List<Long> shape(NiftiHeader h) {
        List<Long> r = new ArrayList<>();
        for (long d : h.shape()) {
            r.add(d);
        }
        return r;
    }

    private static String dimsText(List<Long> d) {
        StringBuilder s = new StringBuilder();
        for (Long x : d) {
            s.append(s.length() > 0 ? "×" : "").append(x);
        }
        return s.toString();
    }
}
