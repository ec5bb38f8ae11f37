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

import org.dopaj.DopajException;
import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.LoadedImage;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;
import org.dopaj.wmh.WmhModel;
import org.dopaj.wmh.WmhResult;
import org.dopaj.wmh.WmhSegmenter;

/**
 * {@code dopaj wmh T1 -o DIR [--method network|threshold] [--frame N] [--model ID|DIR] [--brain-model ID|DIR]
 * [--device auto|cpu|gpu] [--json] [--force]}: white-matter hypointensities ({@link WmhSegmenter}). Writes
 * {@code DIR/<stem>_wmh.nii.gz} (uint8 0/1) and {@code DIR/<stem>_wmh_prob.nii.gz} (float32 0…1) on the input's grid
 * (a NIfTI input's header is the template). Both outputs are checked before the input is read; every result is
 * computed before the first file is written; files are written atomically and a failed write removes this run's
 * files. The JSON is {@link WmhResult#toMap()} plus the input, the files, the device and the notice.
 */
public final class WmhCli implements CliCommand {

    @Override
    public String name() {
        return "wmh";
    }

    @Override
    public String usage() {
        return "wmh T1 -o DIR [--method network|threshold] [--frame N] [--model ID|DIR] [--brain-model ID|DIR] "
                + "[--device auto|cpu|gpu] [--json] [--force]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse(argv, DeclaredOptions.valued(name(), "o", "model", "brain-model", "device"),
                DeclaredOptions.flags(name(), "json", "force"));
        Path in = Path.of(a.positional(0, "input T1"));
        CliSupport.maxPositionals(a, 1, usage());
        String o = a.option("o");
        if (o == null) {
            throw new DopajException("option -o DIR (output folder) is required");
        }
        WmhSegmenter.Method method = WmhSegmenter.Method.parse(a.option("method", "network"));
        ComputeDevice device = ComputeDevice.parse(a.option("device", System.getProperty(ComputeDevice.PROPERTY)));
        Path dir = Path.of(o);
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DopajException(dir + ": is a file, not an output folder");
        }
        CliSupport.requireFile(in);
        String stem = BrainMaskCli.baseName(in);
        Path maskFile = dir.resolve(stem + "_wmh.nii.gz");
        Path probFile = dir.resolve(stem + "_wmh_prob.nii.gz");
        boolean force = a.flag("force");
        if (Files.isDirectory(dir)) {
            CliSupport.checkOutput(maskFile, force, in);
            CliSupport.checkOutput(probFile, force, in);
        }
        LoadedImage img;
        try {
            img = ImageFiles.load(in);
        } catch (DopajException e) {
            throw CliSupport.naming(in, e);
        }
        if (!img.calibrated()) {
            throw new DopajException(in + ": no usable geometry (voxel size unknown): give a NIfTI or DICOM with its "
                    + "voxel size and orientation");
        }
        Volume v = img.volume();
        int frame = a.integer("frame", 0);
        if (v.nt() > 1) {
            if (frame < 1 || frame > v.nt()) {
                throw new DopajException(in + ": 4D image with " + v.nt() + " frames: choose one with --frame N (1.."
                        + v.nt() + ")");
            }
            v = v.frame(frame - 1);
        } else if (frame > 1) {
            throw new DopajException(in + ": --frame " + frame + " given but the image has one frame");
        }
        try {
            WmhSegmenter.check(v); // before any model loads
        } catch (DopajException e) {
            throw CliSupport.naming(in, e);
        }
        Path model = method == WmhSegmenter.Method.NETWORK ? ModelRegistry.find(a.option("model", WmhModel.ID)) : null;
        Path brainModel = ModelRegistry.find(a.option("brain-model", BrainMaskModel.ID));
        WmhResult r;
        TaskProgress progress = new TaskProgress(err, "dopaj wmh");
        try (WmhSegmenter seg = WmhSegmenter.open(method, model, brainModel, device)) {
            r = seg.run(v, progress);
        } catch (DopajException e) {
            throw CliSupport.naming(in, e);
        } finally {
            progress.done();
        }
        Files.createDirectories(dir);
        NiftiHeader template = img.nifti() != null && img.nifti().nt() == 1 ? img.nifti().header() : null;
        java.util.LinkedHashMap<Path, Runnable> writes = new java.util.LinkedHashMap<>();
        writes.put(maskFile, () -> Nifti.write(r.mask(), maskFile, template, NiftiDatatype.UINT8));
        writes.put(probFile, () -> Nifti.write(r.probability(), probFile, template, NiftiDatatype.FLOAT32));
        List<Path> written = CliSupport.writeAllOrNone(writes);
        Map<String, Object> rep = new LinkedHashMap<>();
        rep.put("input", in.toString());
        rep.putAll(r.toMap());
        rep.put("mask", maskFile.toString());
        rep.put("probability", probFile.toString());
        rep.put("frame", v == img.volume() ? null : frame);
        rep.put("device", device.toString());
        rep.put("notice", CliSupport.NOTICE);
        if (a.flag("json")) {
            CliSupport.printJson(out, rep);
        } else {
            out.printf(Locale.ROOT, "WMH %.2f mL (partial-volume weighted %.2f mL): periventricular %.2f, deep %.2f, "
                    + "juxtacortical %.2f mL; %d lesions; grade %d (%s) in %.1f s [%s]%n", r.wmhMl(), r.wmhPvMl(),
                    r.periventricularMl(), r.deepMl(), r.juxtacorticalMl(), r.lesions(), r.grade(),
                    WmhSegmenter.GRADE_RULE, r.seconds(), r.model());
            for (Path p : written) {
                out.println("wrote " + p);
            }
            for (String n : r.notes()) {
                out.println("note: " + n);
            }
            out.println(CliSupport.NOTICE);
        }
        return 0;
    }
}
