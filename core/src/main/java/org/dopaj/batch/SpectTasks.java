package org.dopaj.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.dopaj.DopajException;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.model.ModelPackage;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.report.Pictures;
import org.dopaj.spect.AtlasVois;
import org.dopaj.spect.DatClassification;
import org.dopaj.spect.DatNormaliser;
import org.dopaj.spect.DatQcPicture;
import org.dopaj.spect.DatTemplate;
import org.dopaj.spect.NormalDatabase;
import org.dopaj.spect.SbrQuantifier;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.SpectClassifier;
import org.dopaj.spect.VoiSet;

/**
 * The two DaT-SPECT capabilities in a batch: {@code spect-sbr} (options {@code atlas}, {@code labels},
 * {@code hottest}, {@code normals}, {@code no-normalise}, {@code qc}; per-case column {@code age}) and
 * {@code spect-classify} (options {@code model}, {@code device}, {@code cam}, {@code no-normalise}, {@code qc}).
 * Each case reads, normalises and analyses exactly as one {@code dopaj spect-sbr}/{@code spect-classify} call does,
 * and its fields are the result's own serialisation, so a batch row and a single call agree.
 */
final class SpectTasks {
    private SpectTasks() {
    }

    /** Reads and normalises one case (the same checks and steps as the single-file commands). */
    static DatNormaliser.Normalised normalised(Volume image, Map<String, String> o) {
        SbrQuantifier.check(image);
        return DatNormaliser.normalise(image, !o.containsKey("no-normalise"), null);
    }

    static Volume read(BatchCase c) {
        return ImageFiles.read(CaseInputs.file(c));
    }

    static void qc(Map<String, String> o, DatNormaliser.Normalised n, BatchCase c, BatchTask.CaseFolder out,
            Map<String, Object> fields) {
        if (o.containsKey("qc")) {
            DatQcPicture.write(n.mni(), DatTemplate.load(), DatQcPicture.caption(c.id(), n.ncc(), n.normalised()),
                    out.file("qc.png"));
            fields.put("qc", out.recorded("qc.png"));
        }
    }

    static final class Sbr implements BatchTask {
        private final Map<String, String> options;

        Sbr(Map<String, String> options) {
            Options.allow(options, Set.of("atlas", "labels", "hottest", "normals", "no-normalise", "qc"));
            this.options = options;
        }

        @Override
        public String capability() {
            return "spect-sbr";
        }

        @Override
        public Set<String> columns() {
            return Set.of("age");
        }

        @Override
        public Map<String, String> options() {
            return options;
        }

        @Override
        public Worker open() {
            SbrQuantifier q = SbrQuantifier.defaults();
            if (options.containsKey("hottest")) {
                q = q.withHottestVoxels(Options.integer(options, "hottest", 1, 100_000));
            }
            NormalDatabase db = null;
            if (options.containsKey("normals")) {
                db = NormalDatabase.read(Options.file(options, "normals"));
                q = q.withNormals(db);
            }
            Volume atlas = null;
            Map<String, int[]> spec = null;
            if (options.containsKey("atlas")) {
                atlas = ImageFiles.read(Options.file(options, "atlas"));
                spec = AtlasVois.parseSpec(options.getOrDefault("labels", AtlasVois.AAL_SPEC));
            } else if (options.containsKey("labels")) {
                throw new DopajException("option --labels needs --atlas FILE");
            }
            return new SbrWorker(q, db, atlas, spec, options);
        }
    }

    private static final class SbrWorker implements BatchTask.Worker {
        private final SbrQuantifier quantifier;
        private final NormalDatabase normals;
        private final Volume atlas;
        private final Map<String, int[]> spec;
        private final Map<String, String> options;
        /** Atlas VOIs per image grid: in a batch of normalised scans they are all on one grid, made once. */
        private final Map<Grid, VoiSet> vois = new ConcurrentHashMap<>();

        SbrWorker(SbrQuantifier q, NormalDatabase normals, Volume atlas, Map<String, int[]> spec, Map<String, String> o) {
            this.quantifier = q;
            this.normals = normals;
            this.atlas = atlas;
            this.spec = spec;
            this.options = o;
        }

        @Override
        public String model() {
            return atlas == null ? "DopaJ SBR VOIs" : "atlas " + options.get("atlas");
        }

        @Override
        public String trainingData() {
            return "no trained model (VOI quantification)";
        }

        @Override
        public BatchTask.CaseResult process(BatchCase c, BatchTask.CaseFolder out, boolean figures) {
            SbrQuantifier q = quantifier;
            String age = c.option("age");
            if (age != null) {
                if (normals == null) {
                    throw new DopajException("an age is given but no normal database (--normals CSV)");
                }
                q = q.withAge(Options.age(age));
            }
            Volume image = read(c);
            DatNormaliser.Normalised n = normalised(image, options);
            Volume mni = n.mni();
            SbrResult r;
            if (atlas == null) {
                r = q.quantify(mni);
            } else {
                VoiSet v = vois.computeIfAbsent(mni.grid(), g -> AtlasVois.fromLabels(atlas, spec, g));
                r = q.quantify(mni, v);
            }
            Map<String, Object> m = r.toMap(n);
            qc(options, n, c, out, m);
            List<BatchTask.Figure> figs = new ArrayList<>();
            if (figures) {
                figs.add(new BatchTask.Figure("Spatially normalised scan with DopaJ's striatal VOIs (cyan) and the"
                        + " template's brain outline (yellow)", DatQcPicture.render(mni, DatTemplate.load(),
                        DatQcPicture.caption(c.id(), n.ncc(), n.normalised()))));
                if (normals != null && r.age() != null) {
                    figs.add(new BatchTask.Figure("Striatal SBR against age over the normal database (mean ± 2 SD)",
                            Pictures.sbrAgePlot(r, normals)));
                }
            }
            return new BatchTask.CaseResult(m, figs);
        }

        @Override
        public void close() {
        }
    }

    static final class Classify implements BatchTask {
        private final Map<String, String> options;

        Classify(Map<String, String> options) {
            Options.allow(options, Set.of("model", "device", "cam", "no-normalise", "qc"));
            this.options = options;
        }

        @Override
        public String capability() {
            return "spect-classify";
        }

        @Override
        public Set<String> columns() {
            return Set.of();
        }

        @Override
        public Map<String, String> options() {
            return options;
        }

        @Override
        public Worker open() {
            ComputeDevice device = ComputeDevice.parse(options.getOrDefault("device",
                    System.getProperty(ComputeDevice.PROPERTY)));
            Path dir = options.containsKey("model") ? ModelRegistry.find(options.get("model"))
                    : SpectClassifier.bundledModel();
            SpectClassifier cl = SpectClassifier.load(dir, device);
            return new ClassifyWorker(cl, options);
        }
    }

    private static final class ClassifyWorker implements BatchTask.Worker {
        private final SpectClassifier classifier;
        private final Map<String, String> options;

        ClassifyWorker(SpectClassifier classifier, Map<String, String> options) {
            this.classifier = classifier;
            this.options = options;
        }

        @Override
        public String model() {
            ModelPackage p = classifier.model().modelPackage();
            return "unversioned".equals(p.version()) || p.version() == null ? p.id() : p.id() + " " + p.version();
        }

        @Override
        public String trainingData() {
            return classifier.model().modelPackage().trainingDataText();
        }

        @Override
        public BatchTask.CaseResult process(BatchCase c, BatchTask.CaseFolder out, boolean figures) {
            Volume image = read(c);
            DatNormaliser.Normalised n = normalised(image, options);
            DatClassification r = classifier.classify(image, n);
            Map<String, Object> m = new LinkedHashMap<>(r.toMap());
            m.remove("notice"); // a batch states it once, in its record and reports
            if (options.containsKey("cam")) {
                ImageFiles.write(r.cam(), out.file(out.nifti("cam")));
                m.put("cam", out.recorded(out.nifti("cam")));
            }
            qc(options, n, c, out, m);
            List<BatchTask.Figure> figs = new ArrayList<>();
            if (figures) {
                figs.add(new BatchTask.Figure("Class-activation map (where the network looked), over the scan",
                        Pictures.overlayMontage(image, r.cam(), ColorMap.of("jet"), 0.45, null,
                                "CAM (0 = none, 1 = strongest)", Pictures.Modality.SPECT)));
                figs.add(new BatchTask.Figure("Spatially normalised scan with DopaJ's striatal VOIs (cyan)",
                        DatQcPicture.render(n.mni(), DatTemplate.load(), DatQcPicture.caption(c.id(), n.ncc(),
                                n.normalised()))));
            }
            return new BatchTask.CaseResult(m, figs);
        }

        @Override
        public void close() {
            classifier.close();
        }
    }
}
