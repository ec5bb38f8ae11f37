package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.msa.MsaClassifier;
import org.dopaj.msa.MsaInputs;
import org.dopaj.msa.MsaModality;
import org.dopaj.msa.MsaResult;
import org.dopaj.msa.MsaTask;
import org.dopaj.msa.MsaZScores;

/**
 * {@code dopaj msa-pd [--gd GD.nii.gz] [--md MD.nii.gz] [--task msa|msa-p|msa-c] [--cam OUT.nii.gz] [--normal-db DIR]
 * [--zmap-gd OUT.nii.gz] [--zmap-md OUT.nii.gz] [--model DIR] [--device auto|cpu|gpu] [--force] [--json]}: MSA vs PD
 * ({@link MsaClassifier}) from grey-matter density and/or mean diffusivity maps on the MNI152 2 mm grid; one map alone
 * runs the monomodal model. Every input is checked ({@link MsaInputs}) and every output path before the model loads;
 * outputs are written atomically after the result is complete.
 */
final class MsaPdCli implements CliCommand {
    @Override
    public String name() {
        return "msa-pd";
    }

    @Override
    public String usage() {
        return "msa-pd [--gd GD.nii.gz] [--md MD.nii.gz] [--task msa|msa-p|msa-c] [--cam OUT.nii.gz] [--normal-db DIR]"
                + " [--zmap-gd OUT.nii.gz] [--zmap-md OUT.nii.gz] [--model DIR] [--device auto|cpu|gpu] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, DeclaredOptions.valued(name(), "cam", "zmap-gd", "zmap-md", "device"),
                DeclaredOptions.flags(name(), "json", "force"));
        CliSupport.maxPositionals(a, 0, usage());
        Path gdFile = a.has("gd") ? Path.of(a.option("gd")) : null;
        Path mdFile = a.has("md") ? Path.of(a.option("md")) : null;
        MsaModality modality = MsaModality.of(gdFile != null, mdFile != null);
        MsaTask task = MsaTask.parse(a.option("task", "msa"));
        boolean force = a.flag("force");
        List<Path> outs = new ArrayList<>();
        Path camPath = output(a, "cam", force, outs, gdFile, mdFile);
        Path zGd = output(a, "zmap-gd", force, outs, gdFile, mdFile);
        Path zMd = output(a, "zmap-md", force, outs, gdFile, mdFile);
        for (int i = 0; i < outs.size(); i++) {
            for (int j = i + 1; j < outs.size(); j++) {
                if (CliSupport.sameFile(outs.get(i), outs.get(j))) {
                    throw new DopajException("two outputs name the same file " + outs.get(i));
                }
            }
        }
        Path dbDir = a.has("normal-db") ? Path.of(a.option("normal-db")) : null;
        if ((zGd != null || zMd != null) && dbDir == null) {
            throw new DopajException("--zmap-gd/--zmap-md need --normal-db DIR");
        }
        if (zGd != null && gdFile == null || zMd != null && mdFile == null) {
            throw new DopajException("a z-map needs its map: --zmap-gd needs --gd, --zmap-md needs --md");
        }
        List<String> warnings = new ArrayList<>();
        Volume gd = null;
        Volume md = null;
        Volume gdRaw = null;
        Volume mdRaw = null;
        if (gdFile != null) {
            CliSupport.requireFile(gdFile);
            gdRaw = read(gdFile);
        }
        if (mdFile != null) {
            CliSupport.requireFile(mdFile);
            mdRaw = read(mdFile);
        }
        if (gdRaw != null && mdRaw != null) {
            MsaInputs.sameGrid(gdRaw, mdRaw);
        }
        if (gdRaw != null) {
            MsaInputs.Checked c = MsaInputs.gd(gdRaw, gdFile.toString());
            gd = c.map();
            warnings.addAll(c.warnings());
        }
        if (mdRaw != null) {
            MsaInputs.Checked c = MsaInputs.md(mdRaw, mdFile.toString());
            md = c.map();
            warnings.addAll(c.warnings());
        }
        Map<String, MsaZScores.Entry> db = dbDir == null ? null : MsaZScores.read(dbDir);
        if (db != null && (gd != null && !db.containsKey("gd") && zGd != null || md != null && !db.containsKey("md")
                && zMd != null)) {
            throw new DopajException(dbDir + ": the normal database has no row for a requested z-map");
        }
        ComputeDevice device = ComputeDevice.parse(a.option("device", System.getProperty(ComputeDevice.PROPERTY)));
        Path modelDir = a.has("model") ? Path.of(a.option("model")) : MsaClassifier.bundledModel(task, modality);
        MsaResult r;
        try (MsaClassifier c = MsaClassifier.load(modelDir, task, modality, device)) {
            r = c.classify(gd, md, warnings);
        }
        Map<String, Object> m = new LinkedHashMap<>(r.toMap());
        Map<String, Object> z = new LinkedHashMap<>();
        MsaZScores.ZMap zg = null;
        MsaZScores.ZMap zm = null;
        if (db != null) {
            if (gd != null && db.containsKey("gd")) {
                zg = MsaZScores.zmap(db.get("gd"), MsaZScores.prepare("gd", gd));
                z.put("gd", zg.toMap());
            }
            if (md != null && db.containsKey("md")) {
                zm = MsaZScores.zmap(db.get("md"), MsaZScores.prepare("md", md));
                z.put("md", zm.toMap());
            }
        }
        java.util.LinkedHashMap<Path, Runnable> writes = new java.util.LinkedHashMap<>();
        if (camPath != null) {
            writes.put(camPath, () -> ImageFiles.write(r.cam(), camPath));
        }
        if (zGd != null) {
            Volume zgVolume = zg.z();
            writes.put(zGd, () -> ImageFiles.write(zgVolume, zGd));
        }
        if (zMd != null) {
            Volume zmVolume = zm.z();
            writes.put(zMd, () -> ImageFiles.write(zmVolume, zMd));
        }
        CliSupport.writeAllOrNone(writes);
        m.put("gd", gdFile == null ? null : gdFile.toString());
        m.put("md", mdFile == null ? null : mdFile.toString());
        m.put("cam", camPath == null ? null : camPath.toString());
        m.put("normal_db", dbDir == null ? null : dbDir.toString());
        m.put("z_scores", db == null ? null : z);
        for (String w : r.warnings()) {
            err.println("dopaj msa-pd: warning: " + w);
        }
        if (a.flag("json")) {
            CliSupport.printJson(out, m);
        } else {
            out.printf(Locale.ROOT, "%s (probability %s %.3f; task PD vs %s; %s; model %s)%n", r.label(),
                    task.msaLabel(), r.probabilityMsa(), task.msaLabel(), modality.channels(), r.modelId());
            if (zg != null) {
                out.println("  " + MsaZScores.summary(zg));
            }
            if (zm != null) {
                out.println("  " + MsaZScores.summary(zm));
            }
            out.println("  " + MsaResult.NOTICE);
        }
        return 0;
    }

    private static Volume read(Path f) {
        try {
            return ImageFiles.read(f);
        } catch (DopajException e) {
            throw CliSupport.naming(f, e);
        }
    }

    private static Path output(Args a, String key, boolean force, List<Path> outs, Path... inputs) {
        if (!a.has(key)) {
            return null;
        }
        Path p = Path.of(a.option(key));
        if (!CliSupport.isNiftiOutput(p)) {
            throw new DopajException(p + ": --" + key + " output must be named .nii or .nii.gz");
        }
        CliSupport.checkOutput(p, force, inputs);
        outs.add(p);
        return p;
    }
}
