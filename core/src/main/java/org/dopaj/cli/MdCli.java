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
import java.util.Set;

import org.dopaj.DopajException;
import org.dopaj.Version;
import org.dopaj.diffusion.DtiMaps;
import org.dopaj.diffusion.GradientTable;
import org.dopaj.diffusion.TensorFit;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.msa.MniTemplates;

/**
 * {@code dopaj md DWI --bval F --bvec F -o DIR [--native] [--mask auto|otsu|all] [--templates DIR] [--force] [--json]}:
 * diffusion tensor by weighted least squares ({@link TensorFit}); writes {@code DIR/<name>_md.nii.gz} (mm²/s),
 * {@code _fa.nii.gz} and {@code _mask.nii.gz} on the MNI152 2 mm grid ({@link DtiMaps}), and the same three in the DWI's
 * space as {@code _md_native.nii.gz}, …; with {@code --native} only the native maps (a DWI whose field of view is
 * smaller than a head cannot be normalised: it needs {@code --native}). Everything is computed before the first file
 * is written; existing outputs need {@code --force}.
 */
final class MdCli implements CliCommand {
    @Override
    public String name() {
        return "md";
    }

    @Override
    public String usage() {
        return "md DWI --bval F --bvec F -o DIR [--native] [--mask auto|otsu|all] [--templates DIR] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse(argv, Set.of("bval", "bvec", "o", "mask", "templates"), Set.of("native", "force", "json"));
        Path dwiFile = Path.of(a.positional(0, "DWI (4D diffusion-weighted series)"));
        CliSupport.maxPositionals(a, 1, usage());
        if (!a.has("bval") || !a.has("bvec")) {
            throw new DopajException("--bval F and --bvec F are required (FSL-style gradient files of the DWI)");
        }
        if (!a.has("o")) {
            throw new DopajException("option -o DIR (output folder) is required");
        }
        TensorFit.MaskMode mode = switch (a.option("mask", "auto")) {
            case "auto" -> TensorFit.MaskMode.AUTO;
            case "otsu" -> TensorFit.MaskMode.OTSU;
            case "all" -> TensorFit.MaskMode.ALL;
            default -> throw new DopajException("--mask must be auto, otsu or all, got " + a.option("mask"));
        };
        boolean nativeOnly = a.flag("native");
        Path dir = Path.of(a.option("o"));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DopajException(dir + ": exists and is not a folder");
        }
        String base = BrainMaskCli.baseName(dwiFile);
        List<Path> outs = new ArrayList<>();
        for (String s : nativeOnly ? new String[] {"md_native", "fa_native", "mask_native"}
                : new String[] {"md", "fa", "mask", "md_native", "fa_native", "mask_native"}) {
            Path p = dir.resolve(base + "_" + s + ".nii.gz");
            if (Files.exists(p) && !a.flag("force")) {
                throw new DopajException(p + ": output file exists (add --force to overwrite it)");
            }
            outs.add(p);
        }
        CliSupport.requireFile(dwiFile);
        Volume dwi;
        try {
            dwi = ImageFiles.read(dwiFile);
        } catch (DopajException e) {
            throw CliSupport.naming(dwiFile, e);
        }
        if (!dwi.is4D()) {
            throw new DopajException(dwiFile + ": a DWI series is 4D (one volume per gradient), got a 3D image");
        }
        GradientTable g = GradientTable.read(Path.of(a.option("bval")), Path.of(a.option("bvec")), dwi.nt());
        Volume template = nativeOnly ? null : MniTemplates.find(a.has("templates") ? Path.of(a.option("templates"))
                : null).t1Brain();
        DtiMaps.Result r;
        try {
            r = DtiMaps.run(dwi, g, mode, template);
        } catch (DopajException e) {
            throw CliSupport.naming(dwiFile, e);
        }
        Files.createDirectories(dir);
        List<Volume> vols = new ArrayList<>();
        if (!nativeOnly) {
            vols.add(r.mdMni());
            vols.add(r.faMni());
            vols.add(r.maskMni());
        }
        vols.add(r.nativeMaps().md());
        vols.add(r.nativeMaps().fa());
        vols.add(r.nativeMaps().mask());
        java.util.LinkedHashMap<Path, Runnable> writes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < vols.size(); i++) {
            Path o = outs.get(i);
            Volume vol = vols.get(i);
            boolean mask = o.getFileName().toString().contains("_mask");
            writes.put(o, () -> Nifti.write(vol, o, null, mask ? NiftiDatatype.UINT8 : NiftiDatatype.FLOAT32));
        }
        List<Path> written = CliSupport.writeAllOrNone(writes);
        double med = medianInMask(r.nativeMaps().md(), r.nativeMaps().mask());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", dwiFile.toString());
        m.put("volumes", g.size());
        m.put("b0_volumes", g.b0Count());
        m.put("directions", g.directionCount());
        m.put("fitted_voxels", r.nativeMaps().fittedVoxels());
        m.put("md_median_mm2_s", med);
        m.put("normalised", !nativeOnly);
        m.put("registration_ncc", r.registration() == null ? null : CliSupport.num(r.registration().ncc()));
        m.put("outputs", written.stream().map(Path::toString).toList());
        m.put("notes", r.notes());
        m.put("notice", Version.NOTICE);
        if (a.flag("json")) {
            CliSupport.printJson(out, m);
        } else {
            out.printf(Locale.ROOT, "MD median %.4g mm²/s over %d voxels%n", med, r.nativeMaps().fittedVoxels());
            for (Path p : written) {
                out.println("wrote " + p);
            }
            for (String n : r.notes()) {
                out.println("note: " + n);
            }
        }
        return 0;
    }

    static double medianInMask(Volume v, Volume mask) {
        List<Float> x = new ArrayList<>();
        for (int z = 0; z < v.nz(); z++) {
            float[] p = v.plane(z);
            float[] k = mask.plane(z);
            for (int i = 0; i < p.length; i++) {
                if (k[i] > 0.5f) {
                    x.add(p[i]);
                }
            }
        }
        if (x.isEmpty()) {
            return Double.NaN;
        }
        x.sort(null);
        return x.get(x.size() / 2);
    }
}
