package org.dopaj.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dopaj.DopajException;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.msa.MsaClassifier;
import org.dopaj.msa.MsaInputs;
import org.dopaj.msa.MsaModality;
import org.dopaj.msa.MsaResult;
import org.dopaj.msa.MsaTask;
import org.dopaj.msa.MsaZScores;
import org.dopaj.report.Pictures;

/**
 * {@code msa-pd} in a batch: per-case columns {@code gd} and/or {@code md} (maps on the MNI152 2 mm grid, paths
 * relative to the manifest; a row with one map runs the monomodal model, as {@code dopaj msa-pd} does); options
 * {@code task} (msa, msa-p, msa-c), {@code model}, {@code device}, {@code cam}, {@code normal-db} (z-score summaries
 * in the row). Each modality's model loads once, on its first case.
 */
final class MsaPdTask implements BatchTask {
    private final Map<String, String> options;
    private final MsaTask task;

    MsaPdTask(Map<String, String> options) {
        Options.allow(options, Set.of("task", "model", "device", "cam", "normal-db"));
        this.options = options;
        this.task = MsaTask.parse(options.getOrDefault("task", "msa"));
    }

    @Override
    public String capability() {
        return "msa-pd";
    }

    @Override
    public Set<String> columns() {
        return Set.of("gd", "md");
    }

    @Override
    public Set<String> pathColumns() {
        return Set.of("gd", "md");
    }

    @Override
    public boolean needsInput() {
        return false;
    }

    @Override
    public Map<String, String> options() {
        return options;
    }

    @Override
    public Worker open() {
        ComputeDevice device = ComputeDevice.parse(options.getOrDefault("device", System.getProperty(ComputeDevice.PROPERTY)));
        Map<String, MsaZScores.Entry> db = options.containsKey("normal-db")
                ? MsaZScores.read(Path.of(options.get("normal-db"))) : null;
        Map<MsaModality, MsaClassifier> loaded = new ConcurrentHashMap<>();
        return new Worker() {
            @Override
            public String model() {
                return options.containsKey("model") ? Path.of(options.get("model")).getFileName().toString()
                        : "msa-pd (" + task.name().toLowerCase(java.util.Locale.ROOT) + ")";
            }

            @Override
            public String trainingData() {
                return "phantoms (synthetic GD and MD maps; see the model card)";
            }

            @Override
            public CaseResult process(BatchCase c, CaseFolder out, boolean figures) {
                Path gdFile = c.option("gd") == null ? null : Path.of(c.option("gd"));
                Path mdFile = c.option("md") == null ? null : Path.of(c.option("md"));
                if (gdFile == null && mdFile == null) {
                    throw new DopajException("neither a 'gd' nor an 'md' map in this row");
                }
                MsaModality modality = MsaModality.of(gdFile != null, mdFile != null);
                List<String> warnings = new ArrayList<>();
                Volume gdRaw = gdFile == null ? null : read(gdFile);
                Volume mdRaw = mdFile == null ? null : read(mdFile);
                if (gdRaw != null && mdRaw != null) {
                    MsaInputs.sameGrid(gdRaw, mdRaw);
                }
                Volume gd = null;
                Volume md = null;
                if (gdRaw != null) {
                    MsaInputs.Checked k = MsaInputs.gd(gdRaw, gdFile.toString());
                    gd = k.map();
                    warnings.addAll(k.warnings());
                }
                if (mdRaw != null) {
                    MsaInputs.Checked k = MsaInputs.md(mdRaw, mdFile.toString());
                    md = k.map();
                    warnings.addAll(k.warnings());
                }
                MsaClassifier cl = loaded.computeIfAbsent(modality, m -> MsaClassifier.load(options.containsKey("model")
                        ? Path.of(options.get("model")) : MsaClassifier.bundledModel(task, m), task, m, device));
                MsaResult r = cl.classify(gd, md, warnings);
                Map<String, Object> m = new LinkedHashMap<>(r.toMap());
                m.remove("notice");
                m.put("gd", gdFile == null ? null : gdFile.toString());
                m.put("md", mdFile == null ? null : mdFile.toString());
                if (db != null) {
                    Map<String, Object> z = new LinkedHashMap<>();
                    if (gd != null && db.containsKey("gd")) {
                        z.put("gd", MsaZScores.zmap(db.get("gd"), MsaZScores.prepare("gd", gd)).toMap());
                    }
                    if (md != null && db.containsKey("md")) {
                        z.put("md", MsaZScores.zmap(db.get("md"), MsaZScores.prepare("md", md)).toMap());
                    }
                    m.put("z_scores", z);
                }
                if (options.containsKey("cam") && r.cam() != null) {
                    ImageFiles.write(r.cam(), out.file(out.nifti("cam")));
                    m.put("cam", out.recorded(out.nifti("cam")));
                }
                List<Figure> figs = new ArrayList<>();
                if (figures && r.cam() != null) {
                    figs.add(new Figure("Class-activation map over the " + (gd != null ? "grey-matter density" : "mean"
                            + " diffusivity") + " map", Pictures.overlayMontage(gd != null ? gd : md, r.cam(),
                            ColorMap.of("jet"), 0.45, null, "CAM (0-1)", Pictures.Modality.MRI)));
                }
                return new CaseResult(m, figs);
            }

            private Volume read(Path p) {
                if (!Files.exists(p)) {
                    throw new DopajException(p + ": file not found");
                }
                return ImageFiles.read(p);
            }

            @Override
            public void close() {
                loaded.values().forEach(MsaClassifier::close);
            }
        };
    }
}
