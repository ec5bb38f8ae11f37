package org.dopaj.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
import org.dopaj.report.Pictures;
import org.dopaj.wmh.WmhModel;
import org.dopaj.wmh.WmhResult;
import org.dopaj.wmh.WmhSegmenter;

/**
 * {@code wmh} in a batch: options {@code method} (network|threshold), {@code model}, {@code brain-model},
 * {@code device}, {@code frame}; per-case column {@code frame}. Writes {@code <case>/<case>_wmh.nii.gz} (uint8 0/1)
 * and {@code <case>/<case>_wmh_prob.nii.gz} (float32) on the input's grid, and returns {@link WmhResult#toMap()},
 * as {@code dopaj wmh} does.
 */
final class WmhTask implements BatchTask {
    private final Map<String, String> options;

    WmhTask(Map<String, String> options) {
        Options.allow(options, Set.of("method", "model", "brain-model", "device", "frame"));
        WmhSegmenter.Method.parse(options.getOrDefault("method", "network"));
        this.options = options;
    }

    @Override
    public String capability() {
        return "wmh";
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
        WmhSegmenter.Method method = WmhSegmenter.Method.parse(options.getOrDefault("method", "network"));
        Path model = method == WmhSegmenter.Method.NETWORK ? ModelRegistry.find(options.getOrDefault("model", WmhModel.ID))
                : null;
        Path brain = ModelRegistry.find(options.getOrDefault("brain-model", BrainMaskModel.ID));
        WmhSegmenter seg = WmhSegmenter.open(method, model, brain, device);
        String id = model == null ? "wm-threshold-baseline" : model.getFileName().toString();
        return new Worker() {
            @Override
            public String model() {
                return id;
            }

            @Override
            public String trainingData() {
                return method == WmhSegmenter.Method.NETWORK
                        ? "synthetic lesions in real lesion-free T1 heads (see the model card)"
                        : "none (classical threshold baseline)";
            }

            @Override
            public CaseResult process(BatchCase c, CaseFolder out, boolean figures) {
                Path in = CaseInputs.file(c);
                LoadedImage img = ImageFiles.load(in);
                if (!img.calibrated()) {
                    throw new DopajException("no usable geometry (voxel size unknown)");
                }
                Volume v = img.volume();
                CaseInputs.Framed framed = CaseInputs.frame(v, c, options);
                v = framed.volume();
                Integer frame = framed.frame();
                WmhSegmenter.check(v);
                WmhResult r = seg.run(v, null);
                NiftiHeader template = img.nifti() != null && img.nifti().nt() == 1 ? img.nifti().header() : null;
                String base = c.id();
                Map<String, Object> rep = new LinkedHashMap<>(r.toMap());
                Nifti.write(r.mask(), out.file(out.nifti(base + "_wmh")), template, NiftiDatatype.UINT8);
                rep.put("mask", out.recorded(out.nifti(base + "_wmh")));
                Nifti.write(r.probability(), out.file(out.nifti(base + "_wmh_prob")), template, NiftiDatatype.FLOAT32);
                rep.put("probability", out.recorded(out.nifti(base + "_wmh_prob")));
                rep.put("frame", frame);
                rep.put("device", device.toString());
                rep.put("warnings", new ArrayList<>(r.notes()));
                List<Figure> figs = new ArrayList<>();
                if (figures) {
                    figs.add(new Figure("WMH mask outline (yellow) on axial slices", Pictures.overlayMontage(v, null,
                            null, 0, r.mask(), null, Pictures.Modality.MRI)));
                }
                return new CaseResult(rep, figs);
            }

            @Override
            public void close() {
                seg.close();
            }
        };
    }
}
