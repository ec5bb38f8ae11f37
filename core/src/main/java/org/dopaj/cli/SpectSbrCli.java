package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.spect.AtlasVois;
import org.dopaj.spect.DatNormaliser;
import org.dopaj.spect.DatQcPicture;
import org.dopaj.spect.DatTemplate;
import org.dopaj.spect.SbrQuantifier;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.VoiSet;

/**
 * {@code dopaj spect-sbr FILE [--atlas FILE --labels SPEC] [--hottest N] [--normals CSV [--age Y]] [--no-normalise] [--qc FILE.png] [--force]
 * [--json]}: specific binding ratios of a DaT-SPECT volume ({@link SbrQuantifier}), in DopaJ's own VOIs or in the
 * labels of an atlas in MNI space (default label spec: AAL, {@link AtlasVois#AAL_SPEC}). An image not in MNI space
 * (a camera's reconstruction in scanner space) is first spatially normalised to DopaJ's DaT-SPECT template
 * ({@link DatNormaliser}); {@code --no-normalise} takes it as already normalised. {@code --qc} writes the
 * normalisation's quality-control picture.
 */
final class SpectSbrCli implements CliCommand {
    /** The six main regions of the {@code sbr} and {@code hottest_voxel_sbr} objects. */
    static final List<String> MAIN = SbrResult.MAIN;

    @Override
    public String name() {
        return "spect-sbr";
    }

    @Override
    public String usage() {
        return "spect-sbr FILE [--atlas FILE [--labels caudate_l=71,...]] [--hottest N] [--normals CSV [--age Y]]"
                + " [--no-normalise]"
                + " [--qc FILE.png] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, DeclaredOptions.valued(name(), "labels", "hottest", "qc"),
                DeclaredOptions.flags(name(), "json", "force"));
        Path file = Path.of(a.positional(0, "FILE (the spatially normalised DaT-SPECT volume)"));
        CliSupport.maxPositionals(a, 1, usage());
        if (a.has("labels") && !a.has("atlas")) {
            throw new DopajException("option --labels needs --atlas FILE");
        }
        SbrQuantifier q = SbrQuantifier.defaults();
        if (a.has("hottest")) {
            q = q.withHottestVoxels(a.integer("hottest", 125));
        }
        if (a.has("age") && !a.has("normals")) {
            throw new DopajException("option --age needs --normals CSV (the normal database the z-scores compare with)");
        }
        if (a.has("normals")) {
            Path db = Path.of(a.option("normals"));
            CliSupport.requireFile(db);
            q = q.withNormals(org.dopaj.spect.NormalDatabase.read(db));
            if (a.has("age")) {
                double age = a.number("age", Double.NaN);
                if (!(age >= 0 && age <= 130)) {
                    throw new DopajException("option --age needs an age in years (0..130), got '" + a.option("age") + "'");
                }
                q = q.withAge(age);
            }
        }
        CliSupport.requireFile(file);
        Path qc = qcOutput(a, file);
        Volume image = readSpect(file);
        DatNormaliser.Normalised norm = normalise(image, a, file, err, name());
        image = norm.mni();
        SbrResult r;
        if (a.has("atlas")) {
            Path atlasFile = Path.of(a.option("atlas"));
            CliSupport.requireFile(atlasFile);
            Map<String, int[]> spec = AtlasVois.parseSpec(a.option("labels", AtlasVois.AAL_SPEC));
            Volume atlas;
            try {
                atlas = ImageFiles.read(atlasFile);
            } catch (DopajException e) {
                throw CliSupport.naming(atlasFile, e);
            }
            VoiSet vois;
            try {
                vois = AtlasVois.fromLabels(atlas, spec, image.grid());
            } catch (DopajException e) {
                throw new DopajException("--atlas " + atlasFile + ": " + e.getMessage(), e);
            }
            r = quantify(q, image, vois, file);
        } else {
            r = quantify(q, image, null, file);
        }
        writeQc(norm, qc, file);
        for (String w : norm.warnings()) {
            err.println("dopaj spect-sbr: warning: " + w);
        }
        for (String w : r.warnings()) {
            err.println("dopaj spect-sbr: warning: " + w);
        }
        Map<String, Object> m = r.toMap(norm);
        m.put("qc", qc == null ? null : qc.toString());
        m.put("notice", CliSupport.NOTICE);
        if (a.flag("json")) {
            CliSupport.printJson(out, m);
        } else {
            out.println(file + " (" + r.voiSource() + (r.resampled() ? ", resampled onto the VOI grid" : "") + ")");
            for (String k : MAIN) {
                out.printf(Locale.ROOT, "  %-11s SBR %7.3f   hottest %7.3f%n", k, r.sbr().get(k), r.hottestSbr().get(k));
            }
            out.printf(Locale.ROOT, "  putamen asymmetry %s %%, putamen/caudate L %s R %s%n",
                    fmt(r.putamenAsymmetryPct()), fmt(r.putamenCaudateRatioL()), fmt(r.putamenCaudateRatioR()));
            out.println("  " + CliSupport.NOTICE);
        }
        return 0;
    }

    /**
     * Most voxels a DaT-SPECT input may have: cameras reconstruct 64³–256³. Memory goes with the voxels read (as
     * floats, several copies during normalisation), so a larger file — an MRI given by mistake, a 0.5 mm grid — is
     * refused from its header before its voxels are read, not after gigabytes.
     */
    static final long MAX_SPECT_VOXELS = 256L * 256 * 256;

    /**
     * Reads a DaT-SPECT input for {@code spect-sbr}/{@code spect-classify}: not larger than {@link #MAX_SPECT_VOXELS},
     * and with a real voxel size. An uncalibrated image (TIFF without calibration, DICOM without pixel spacing) is
     * refused naming that cause: its assumed 1 mm voxels would make every VOI in mm miss.
     */
    static Volume readSpect(Path file) {
        org.dopaj.io.LoadedImage li;
        try {
            CliSupport.requireAtMostVoxels(file, MAX_SPECT_VOXELS, "a DaT-SPECT reconstruction");
            li = ImageFiles.load(file);
        } catch (DopajException e) {
            throw CliSupport.naming(file, e);
        }
        if (!li.calibrated()) {
            throw new DopajException(file + ": no voxel size in mm (" + li.format() + " without calibration; 1 mm was only"
                    + " assumed): DaT-SPECT VOIs are placed in mm, so give the image its voxel size (Fiji: Image ›"
                    + " Properties, then save as NIfTI; or convert the scanner's DICOM/NIfTI export)");
        }
        Volume v = li.volume();
        if (v.grid().voxelCount() * v.nt() > MAX_SPECT_VOXELS) {
            throw new DopajException(String.format(Locale.ROOT, "%s: %,d voxels is more than a DaT-SPECT reconstruction"
                    + " has (at most %,d)", file, v.grid().voxelCount() * v.nt(), MAX_SPECT_VOXELS));
        }
        return v;
    }

    /** The {@code --qc} output, checked before any work: a .png, not existing unless {@code --force}. */
    static Path qcOutput(Args a, Path input) {
        if (!a.has("qc")) {
            return null;
        }
        Path qc = Path.of(a.option("qc"));
        if (!CliSupport.lowerName(qc).endsWith(".png")) {
            throw new DopajException(qc + ": --qc output must be named .png");
        }
        CliSupport.checkOutput(qc, a.flag("force"), input);
        return qc;
    }

    /** Spatial normalisation of {@code image} unless {@code --no-normalise}; errors name the file. */
    static DatNormaliser.Normalised normalise(Volume image, Args a, Path file, PrintStream err, String command) {
        TaskProgress progress = new TaskProgress(err, "dopaj " + command);
        try {
            SbrQuantifier.check(image);
            return DatNormaliser.normalise(image, !a.flag("no-normalise"), progress);
        } catch (DopajException e) {
            throw CliSupport.naming(file, e);
        } finally {
            progress.done();
        }
    }

    /** The QC picture of the normalisation, when asked for. */
    static void writeQc(DatNormaliser.Normalised norm, Path qc, Path file) {
        if (qc != null) {
            DatQcPicture.write(norm.mni(), DatTemplate.load(),
                    DatQcPicture.caption(file.getFileName().toString(), norm.ncc(), norm.normalised()), qc);
        }
    }

    private static SbrResult quantify(SbrQuantifier q, Volume image, VoiSet vois, Path file) {
        try {
            return vois == null ? q.quantify(image) : q.quantify(image, vois);
        } catch (DopajException e) {
            throw CliSupport.naming(file, e);
        }
    }

    private static String fmt(Double v) {
        return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }

}
