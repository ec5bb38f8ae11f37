package org.dopaj.batch;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.cam.ColorMap;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.io.LoadedImage;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiHeader;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.SbrRegressor;
import org.dopaj.nigrosome.SmwiInput;
import org.dopaj.nigrosome.Units;
import org.dopaj.report.Pictures;

/**
 * {@code nigrosome-sbr} in a batch: options {@code model} (or {@code model-left} + {@code model-right}),
 * {@code device}, {@code cam}; per-case columns {@code left} and {@code right} (centroids {@code x,y,z}, 0-based
 * voxels), {@code mm} ({@code 1}/{@code true}: the centroids are scanner mm), {@code voxel_size} ({@code X,Y,Z} mm,
 * for an image without calibration). The model pair is chosen once, as {@code dopaj nigrosome-sbr} chooses it.
 */
final class NigrosomeTask implements BatchTask {
    private final Map<String, String> options;

    NigrosomeTask(Map<String, String> options) {
        Options.allow(options, Set.of("model", "model-left", "model-right", "device", "cam"));
        if (options.containsKey("model-left") != options.containsKey("model-right")
                || (options.containsKey("model-left") && options.containsKey("model"))) {
            throw new DopajException("give both --model-left and --model-right (and no --model), or --model alone");
        }
        this.options = options;
    }

    @Override
    public String capability() {
        return "nigrosome-sbr";
    }

    @Override
    public Set<String> columns() {
        return Set.of("left", "right", "mm", "voxel_size");
    }

    @Override
    public Set<String> requiredColumns() {
        return Set.of("left", "right");
    }

    @Override
    public Map<String, String> options() {
        return options;
    }

    @Override
    public Worker open() {
        ComputeDevice dev = ComputeDevice.parse(options.getOrDefault("device", System.getProperty(ComputeDevice.PROPERTY)));
        Path[] pair;
        String choice = null;
        if (options.containsKey("model-left")) {
            pair = new Path[]{ModelRegistry.find(options.get("model-left")), ModelRegistry.find(options.get("model-right"))};
        } else if (options.containsKey("model")) {
            pair = SbrRegressor.resolvePair(options.get("model"));
        } else {
            SbrRegressor.Choice c = SbrRegressor.defaultChoice();
            pair = c.pair();
            choice = c.reason();
        }
        SbrRegressor reg = SbrRegressor.load(pair[0], pair[1], dev);
        String modelChoice = choice;
        String models = pair[0].getFileName() + " / " + pair[1].getFileName();
        return new Worker() {
            private volatile String training = "";

            @Override
            public String model() {
                return models;
            }

            @Override
            public String trainingData() {
                return training;
            }

            @Override
            public CaseResult process(BatchCase c, CaseFolder out, boolean figures) {
                Path file = CaseInputs.file(c);
                LoadedImage img = ImageFiles.load(file);
                Volume v = SmwiInput.require3d(img.volume(), file.toString());
                if (c.option("voxel_size") != null) {
                    v = SmwiInput.withVoxelSize(v, SmwiInput.parseVoxelSize(c.option("voxel_size")), file.toString());
                } else if (!img.calibrated()) {
                    throw new DopajException("no voxel size in mm (" + img.format() + " without calibration): give a"
                            + " voxel_size column (X,Y,Z mm); a batch never guesses it");
                }
                if (c.option("left") == null || c.option("right") == null) {
                    throw new DopajException("empty 'left' or 'right' centroid (x,y,z)");
                }
                boolean mm = c.option("mm") != null && List.of("1", "true", "yes", "mm").contains(c.option("mm")
                        .toLowerCase(java.util.Locale.ROOT));
                Centroids cen = Centroids.parse("left=" + c.option("left") + " right=" + c.option("right"),
                        mm ? Units.MM : Units.VOXEL, v.grid());
                SbrRegressor.Result r = reg.predict(v, cen);
                Map<String, Object> m = new LinkedHashMap<>(r.toMap());
                training = r.trainingData();
                if (modelChoice != null) {
                    m.put("model_choice", modelChoice);
                }
                m.put("units", mm ? "mm" : "voxel");
                m.put("centroids", cen.toMap());
                List<Figure> figs = new ArrayList<>();
                for (SbrRegressor.SideResult s : List.of(r.left(), r.right())) {
                    String side = s.side().label();
                    if (options.containsKey("cam")) {
                        NiftiHeader h = new NiftiHeader();
                        h.setDescrip("DopaJ nigrosome-1 crop " + side);
                        Nifti.write(s.crop().volume(), out.file(out.nifti("crop_" + side)), h);
                        if (s.cam() != null) {
                            NiftiHeader hc = new NiftiHeader();
                            hc.setDescrip("DopaJ Grad-CAM " + side + " " + s.model());
                            Nifti.write(s.cam(), out.file(out.nifti("cam_" + side)), hc);
                        }
                    }
                    if (figures) {
                        figs.add(new Figure(side + " nigrosome-1 crop" + (s.cam() == null ? "" : " with Grad-CAM")
                                + String.format(java.util.Locale.ROOT, " (predicted SBR %.2f)", s.sbr()),
                                Pictures.overlayMontage(s.crop().volume(), s.cam(), ColorMap.of("jet"), 0.4, null,
                                        s.cam() == null ? null : "Grad-CAM (0-1)", Pictures.Modality.MRI)));
                    }
                }
                if (options.containsKey("cam")) {
                    m.put("cam_dir", c.id());
                }
                return new CaseResult(m, figs);
            }

            @Override
            public void close() {
                reg.close();
            }
        };
    }
}
