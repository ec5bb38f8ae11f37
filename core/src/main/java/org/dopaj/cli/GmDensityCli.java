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
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.msa.GmDensity;
import org.dopaj.msa.MniTemplates;

/**
 * {@code dopaj gm-density T1 -o DIR [--templates DIR] [--force] [--json]}: grey-matter density by the VBM-style recipe
 * of {@link GmDensity} (registration to MNI152 with the non-linear DCT warp, EM segmentation with template priors,
 * Jacobian modulation, 8 mm smoothing); writes {@code DIR/<name>_gd.nii.gz} (MNI 2 mm, the classifier's input),
 * {@code _gm_mni.nii.gz} (modulated, unsmoothed) and {@code _gm_native.nii.gz} (GM posterior in the T1's space).
 */
final class GmDensityCli implements CliCommand {
    @Override
    public String name() {
        return "gm-density";
    }

    @Override
    public String usage() {
        return "gm-density T1 -o DIR [--templates DIR] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args a = Args.parse(argv, Set.of("o", "templates"), Set.of("force", "json"));
        Path t1File = Path.of(a.positional(0, "T1 (a T1-weighted head)"));
        CliSupport.maxPositionals(a, 1, usage());
        if (!a.has("o")) {
            throw new DopajException("option -o DIR (output folder) is required");
        }
        Path dir = Path.of(a.option("o"));
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new DopajException(dir + ": exists and is not a folder");
        }
        String base = BrainMaskCli.baseName(t1File);
        List<Path> outs = new ArrayList<>();
        for (String s : new String[] {"gd", "gm_mni", "gm_native"}) {
            Path p = dir.resolve(base + "_" + s + ".nii.gz");
            if (Files.exists(p) && !a.flag("force")) {
                throw new DopajException(p + ": output file exists (add --force to overwrite it)");
            }
            outs.add(p);
        }
        CliSupport.requireFile(t1File);
        Volume t1;
        try {
            t1 = ImageFiles.read(t1File);
        } catch (DopajException e) {
            throw CliSupport.naming(t1File, e);
        }
        MniTemplates t = MniTemplates.find(a.has("templates") ? Path.of(a.option("templates")) : null);
        GmDensity.Result r;
        long t0 = System.nanoTime();
        try {
            r = GmDensity.run(t1, t);
        } catch (DopajException e) {
            throw CliSupport.naming(t1File, e);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Files.createDirectories(dir);
        Volume[] vols = {r.gd(), r.gmModulated(), r.gmNative()};
        java.util.LinkedHashMap<Path, Runnable> writes = new java.util.LinkedHashMap<>();
        for (int i = 0; i < vols.length; i++) {
            Volume vol = vols[i];
            Path o = outs.get(i);
            writes.put(o, () -> Nifti.write(vol, o, null, NiftiDatatype.FLOAT32));
        }
        List<Path> written = CliSupport.writeAllOrNone(writes);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("input", t1File.toString());
        m.put("gd", outs.get(0).toString());
        m.put("gm_mni", outs.get(1).toString());
        m.put("gm_native", outs.get(2).toString());
        m.put("gm_ml", Math.round(r.gmMl() * 10) / 10.0);
        m.put("wm_ml", Math.round(r.wmMl() * 10) / 10.0);
        m.put("csf_ml", Math.round(r.csfMl() * 10) / 10.0);
        m.put("registration_ncc", CliSupport.num(r.registration().ncc()));
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        m.put("notes", r.notes());
        m.put("notice", Version.NOTICE);
        if (a.flag("json")) {
            CliSupport.printJson(out, m);
        } else {
            out.printf(Locale.ROOT, "GM %.0f mL, WM %.0f mL, CSF %.0f mL (%.1f s)%n", r.gmMl(), r.wmMl(), r.csfMl(),
                    seconds);
            for (Path p : written) {
                out.println("wrote " + p);
            }
        }
        return 0;
    }
}
