package org.dopaj.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.google.gson.GsonBuilder;
import org.dopaj.DopajException;
import org.dopaj.Version;
import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.brainmask.BrainMaskResult;
import org.dopaj.brainmask.BrainMasker;
import org.dopaj.brainmask.PseudoColour;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.LoadedImage;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;

/**
 * {@code dopaj brain-mask FILE -o DIR [--convention brain|intracranial] [--frame N] [--closing MM] [--border MM]
 * [--pseudocolour] [--intervals N] [--model ID|DIR] [--device auto|cpu|gpu] [--force] [--json]}: brain extraction
 * ({@link BrainMasker}) in the brain-surface (default, BET-like) or intracranial convention; writes {@code DIR/<name>_brainmask.nii.gz}
 * (uint8 0/1) and {@code DIR/<name>_brain.nii.gz} (zero outside the mask; in the input NIfTI's datatype and scaling when that holds every value exactly, else float32) on the input's grid and affine
 * (a NIfTI input's header is the template), and with {@code --pseudocolour} {@code DIR/<name>_pseudocolour.nii.gz}
 * (uint8 interval index 0..N, 0 outside the mask). Every result is computed before the first file is written;
 * files are written atomically, and a failed write removes the files of this run already written. An output file
 * that exists is refused before the input is read unless {@code --force} is given. The JSON names the convention and
 * lists under {@code warnings} every side where the brain is cut by the field of view.
 */
public final class BrainMaskCli implements CliCommand {

    @Override
    public String name() {
        return "brain-mask";
    }

    @Override
    public String usage() {
        return "brain-mask FILE -o DIR [--convention brain|intracranial] [--frame N] [--closing MM] [--border MM] "
                + "[--pseudocolour] [--intervals N] [--model ID|DIR] [--device auto|cpu|gpu] [--force] [--json]";
    }

    /** Widest field of view (mm) the brain mask accepts: it works on a 2 mm grid laid over the whole field of view. */
    static final double MAX_FOV_MM = 600;

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse(argv, DeclaredOptions.valued(name(), "o", "closing", "border", "model", "device"),
                DeclaredOptions.flags(name(), "json", "pseudocolour", "force"));
        Path in = Path.of(a.positional(0, "input FILE"));
        if (a.positionals().size() > 1) {
            throw new DopajException("one input FILE expected, got " + a.positionals());
        }
        String o = a.option("o");
        if (o == null) {
            throw new DopajException("option -o DIR (output folder) is required");
        }
        Path dir = Path.of(o);
        // every option value and output is checked before the image is read and the engine starts
        int intervals = a.integer("intervals", 49);
        if (intervals < 2 || intervals > PseudoColour.MAX_INTERVALS) {
            throw new DopajException("option --intervals must be 2.." + PseudoColour.MAX_INTERVALS + ", got " + intervals);
        }
        double closing = a.number("closing", 0);
        if (!(closing >= 0) || !Double.isFinite(closing)) {
            throw new DopajException("option --closing must be a finite number of mm >= 0, got " + a.option("closing"));
        }
        double border = a.number("border", 0);
        if (!(Math.abs(border) <= BrainMasker.MAX_BORDER_MM)) {
            throw new DopajException("option --border must lie within ±" + (int) BrainMasker.MAX_BORDER_MM + " mm, got "
                    + a.option("border"));
        }
        BrainMaskModel.Convention convention = BrainMaskModel.Convention.parse(a.option("convention", "brain"));
        int frame = a.integer("frame", 0);
        ComputeDevice device = ComputeDevice.parse(a.option("device", System.getProperty(ComputeDevice.PROPERTY)));
        CliSupport.requireFile(in);
        String base = baseName(in);
        List<String> names = new ArrayList<>(List.of(base + "_brainmask.nii.gz", base + "_brain.nii.gz"));
        if (a.flag("pseudocolour")) {
            names.add(base + "_pseudocolour.nii.gz");
        }
        List<Path> outs = CliSupport.checkOutputsIn(dir, "-o", a.flag("force"), names, in);
        Path model = ModelRegistry.find(a.option("model", BrainMaskModel.ID));
        LoadedImage img;
        try {
            img = ImageFiles.load(in);
        } catch (DopajException e) {
            throw CliSupport.naming(in, e);
        }
        Volume v = img.volume();
        if (v.nt() > 1) {
            if (frame < 1 || frame > v.nt()) {
                throw new DopajException(in + ": 4D image with " + v.nt() + " frames: choose one with --frame N (1.."
                        + v.nt() + ")");
            }
            v = v.frame(frame - 1);
        } else if (frame > 1) {
            throw new DopajException(in + ": --frame " + frame + " given but the image has one frame");
        }
        if (!img.calibrated()) {
            // a 2 mm working grid over 1 mm voxels that were only assumed would mask the wrong anatomy silently
            throw new DopajException(in + ": no voxel size in mm (" + img.format() + " without calibration; 1 mm was only"
                    + " assumed): set the voxel size (Fiji: Image › Properties) and save as NIfTI or TIFF first");
        }
        CliSupport.requireAnalysable(v, in, MAX_FOV_MM);
        try {
            BrainMasker.check(v); // before the engine starts
        } catch (DopajException e) {
            throw new DopajException(in + ": " + e.getMessage(), e);
        }
        BrainMaskResult r;
        ComputeDevice used;
        try (BrainMasker m = BrainMasker.open(model, device)) {
            used = m.device();
            TaskProgress progress = new TaskProgress(err, "dopaj brain-mask");
            try {
                r = m.run(v, closing, border, convention, progress);
            } catch (DopajException e) {
                throw new DopajException(in + ": " + e.getMessage(), e);
            } finally {
                progress.done();
            }
        }
        if (r.voxels() == 0) {
            throw new DopajException(in + ": no brain found in the image (the mask is empty); nothing written");
        }
        PseudoColour pc = a.flag("pseudocolour") ? PseudoColour.of(r.brain(), r.mask(), intervals) : null;

        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new DopajException(dir + ": cannot create the output folder: " + e.getMessage());
        }
        NiftiHeader template = img.nifti() != null && img.nifti().nt() == 1 ? img.nifti().header() : null;
        Path maskFile = outs.get(0);
        Path brainFile = outs.get(1);
        Path pcFile = pc != null ? outs.get(2) : null;
        java.util.LinkedHashMap<Path, Runnable> writes = new java.util.LinkedHashMap<>();
        writes.put(maskFile, () -> Nifti.write(r.mask(), maskFile, template, NiftiDatatype.UINT8));
        writes.put(brainFile, () -> Nifti.writeLike(r.brain(), brainFile, template));
        if (pc != null) {
            writes.put(pcFile, () -> Nifti.write(pc.classes(), pcFile, template, NiftiDatatype.UINT8));
        }
        List<Path> written = CliSupport.writeAllOrNone(writes);

        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("input", in.toString());
        rep.put("convention", convention.key());
        rep.put("volume_ml", Math.round(r.volumeMl() * 1000) / 1000.0);
        rep.put("voxels", r.voxels());
        rep.put("brain_confidence", Math.round(r.brainConfidence() * 1000) / 1000.0);
        rep.put("mask", maskFile.toString());
        rep.put("brain", brainFile.toString());
        if (pc != null) {
            rep.put("pseudocolour", pcFile.toString());
            rep.put("intervals", intervals);
            rep.put("interval_low", pc.low());
            rep.put("interval_high", pc.high());
        }
        rep.put("frame", v == img.volume() ? null : frame);
        rep.put("model", model.getFileName().toString());
        rep.put("device", used.toString());
        rep.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        rep.put("notes", r.notes());
        rep.put("warnings", r.fieldOfViewWarnings());
        rep.put("notice", Version.NOTICE);
        if (a.flag("json")) {
            out.println(new GsonBuilder().serializeNulls().create().toJson(rep));
        } else {
            out.printf(Locale.ROOT, "%s mask %.1f mL (%d voxels) in %.2f s on %s%n", convention.key(), r.volumeMl(),
                    r.voxels(), r.seconds(), used);
            for (Path p : written) {
                out.println("wrote " + p);
            }
            for (String n : r.notes()) {
                out.println((r.fieldOfViewWarnings().contains(n) ? "warning: " : "note: ") + n);
            }
            out.println(Version.NOTICE);
        }
        return 0;
    }

    /** File name without .nii.gz / .nii / .tif / .tiff / .dcm. */
    static String baseName(Path p) {
        String n = p.getFileName().toString();
        for (String ext : new String[] {".nii.gz", ".nii", ".tiff", ".tif", ".dcm"}) {
            if (n.toLowerCase(Locale.ROOT).endsWith(ext)) {
                return n.substring(0, n.length() - ext.length());
            }
        }
        return n;
    }
}
