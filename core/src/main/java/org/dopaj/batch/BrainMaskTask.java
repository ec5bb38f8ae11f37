package org.dopaj.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
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
import org.dopaj.report.Pictures;

/**
 * {@code brain-mask} in a batch: options {@code convention}, {@code model}, {@code device}, {@code closing}, {@code border},
 * {@code pseudocolour}, {@code intervals}, {@code frame}; per-case column {@code frame}. Writes
 * {@code <case>/<case>_brainmask.nii.gz} (uint8 0/1) and {@code <case>/<case>_brain.nii.gz} (the input NIfTI's datatype when exact, else float32) on the input's
 * grid and affine (a NIfTI input's header is the template), as {@code dopaj brain-mask} does.
 */
final class BrainMaskTask implements BatchTask {
    private final Map<String, String> options;
    private final BrainMaskModel.Convention convention;

    BrainMaskTask(Map<String, String> options) {
        Options.allow(options, Set.of("model", "device", "closing", "border", "pseudocolour", "intervals", "frame",
                "convention"));
        this.convention = BrainMaskModel.Convention.parse(options.getOrDefault("convention", "brain"));
        this.options = options;
        Options.number(options, "closing", 0, 0, 20);
        Options.number(options, "border", 0, -BrainMasker.MAX_BORDER_MM, BrainMasker.MAX_BORDER_MM);
        if (options.containsKey("intervals")) {
            Options.integer(options, "intervals", 2, PseudoColour.MAX_INTERVALS);
        }
    }

    @Override
    public String capability() {
        return "brain-mask";
    }

    @Override
    public Set<String> columns() {
        return Set.of("frame");
    }

    @Override
    public Map<String, String> options() {
        return options;
    }

    @Override
    public Worker open() {
        ComputeDevice device = ComputeDevice.parse(options.getOrDefault("device", System.getProperty(ComputeDevice.PROPERTY)));
        Path model = ModelRegistry.find(options.getOrDefault("model", BrainMaskModel.ID));
        BrainMasker m = BrainMasker.open(model, device);
        String id = model.getFileName().toString();
        return new Worker() {
            @Override
            public String model() {
                return id;
            }

            @Override
            public String trainingData() {
                return "synthetic contrasts from public templates (see the model card)";
            }

            @Override
            public CaseResult process(BatchCase c, CaseFolder out, boolean figures) {
                Path in = CaseInputs.file(c);
                LoadedImage img = ImageFiles.load(in);
                Volume v = img.volume();
                CaseInputs.Framed framed = CaseInputs.frame(v, c, options);
                v = framed.volume();
                Integer frame = framed.frame();
                BrainMasker.check(v);
                BrainMaskResult r = m.run(v, Options.number(options, "closing", 0, 0, 20),
                        Options.number(options, "border", 0, -BrainMasker.MAX_BORDER_MM, BrainMasker.MAX_BORDER_MM),
                        convention);
                if (r.voxels() == 0) {
                    throw new DopajException("no brain found in the image (the mask is empty); nothing written");
                }
                NiftiHeader template = img.nifti() != null && img.nifti().nt() == 1 ? img.nifti().header() : null;
                String base = c.id();
                Map<String, Object> rep = new LinkedHashMap<>();
                rep.put("convention", convention.key());
                rep.put("volume_ml", Math.round(r.volumeMl() * 1000) / 1000.0);
                rep.put("voxels", r.voxels());
                rep.put("brain_confidence", Math.round(r.brainConfidence() * 1000) / 1000.0);
                Nifti.write(r.mask(), out.file(out.nifti(base + "_brainmask")), template, NiftiDatatype.UINT8);
                rep.put("mask", out.recorded(out.nifti(base + "_brainmask")));
                Nifti.writeLike(r.brain(), out.file(out.nifti(base + "_brain")), template);
                rep.put("brain", out.recorded(out.nifti(base + "_brain")));
                if (options.containsKey("pseudocolour")) {
                    int intervals = options.containsKey("intervals")
                            ? Options.integer(options, "intervals", 2, PseudoColour.MAX_INTERVALS) : 49;
                    PseudoColour pc = PseudoColour.of(r.brain(), r.mask(), intervals);
                    Nifti.write(pc.classes(), out.file(out.nifti(base + "_pseudocolour")), template, NiftiDatatype.UINT8);
                    rep.put("pseudocolour", out.recorded(out.nifti(base + "_pseudocolour")));
                }
                rep.put("frame", frame);
                rep.put("device", m.device().toString());
                rep.put("seconds_network", Math.round(r.seconds() * 1000) / 1000.0);
                rep.put("notes", r.notes());
                rep.put("warnings", new ArrayList<>(r.fieldOfViewWarnings()));
                List<Figure> figs = new ArrayList<>();
                if (figures) {
                    figs.add(new Figure("Brain mask outline (yellow) on axial slices", Pictures.overlayMontage(v, null,
                            null, 0, r.mask(), null, Pictures.Modality.MRI)));
                }
                return new CaseResult(rep, figs);
            }

            @Override
            public void close() {
                m.close();
            }
        };
    }
}
