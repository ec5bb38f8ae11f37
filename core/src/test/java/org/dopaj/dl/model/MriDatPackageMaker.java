package org.dopaj.dl.model;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code models/mri-dat-nigral-vgg-left/} and {@code -right/}: packages for the published nigral-SMWI → DaT
 * SBR regressors (GitHub awjibon/mri_dat, GPL-3.0) whose weights stay in {@code ../shared} and are only referenced
 * through {@code external_source}. Re-run from the project root to regenerate (the test tensors are computed by
 * running the models):
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.dl.model.MriDatPackageMaker ../shared models
 * </pre>
 */
public final class MriDatPackageMaker {
    private MriDatPackageMaker() {
    }

    /** A deterministic, asymmetric, positive 50×50×20 patch laid out [1, x, y, z, 1] (C order). */
    public static Tensor syntheticPatch(int seed) {
        float[] d = new float[50 * 50 * 20];
        int i = 0;
        long h = 0x9E3779B97F4A7C15L * (seed + 1);
        for (int x = 0; x < 50; x++) {
            for (int y = 0; y < 50; y++) {
                for (int z = 0; z < 20; z++) {
                    // dark nigral stripe oblique in x-y, brighter towards +y, slow z trend, small hashed texture
                    double stripe = Math.exp(-Math.pow((x - 25) - 0.4 * (y - 25), 2) / 40.0);
                    h ^= h << 13;
                    h ^= h >>> 7;
                    h ^= h << 17;
                    double noise = ((h >>> 11) % 1000) / 1000.0 - 0.5;
                    d[i++] = (float) (200 + 1.5 * y - 80 * stripe + 3 * z + 10 * noise);
                }
            }
        }
        return Tensor.of(d, 1, 50, 50, 20, 1);
    }

    public static void main(String[] args) throws Exception {
        Path shared = Paths.get(args.length > 0 ? args[0] : "../shared").toAbsolutePath().normalize();
        Path models = Paths.get(args.length > 1 ? args[1] : "models");
        System.setProperty("dopaj.shared", shared.toString());
        for (String side : List.of("left", "right")) {
            write(shared, models, side);
        }
    }

    static ModelPackage write(Path shared, Path models, String side) throws Exception {
        String id = "mri-dat-nigral-vgg-" + side;
        Path weights = shared.resolve("data/thirdparty-models/mri_dat/net_vgg_" + side);
        List<Object> pre = new ArrayList<>();
        pre.add("divide_by_mean");
        if (side.equals("right")) {
            // smwi_dat.py: right_patch = np.flip(right_patch, axis=2) on the [1,50,50,20,1] tensor → axis y
            pre.add(new LinkedHashMap<>(Map.of("flip_axis", "y")));
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("task", "regression");
        config.put("signature", "serving_default");
        config.put("output_scale", 6.84);
        config.put("outputs", new LinkedHashMap<>(Map.of("prediction", "dense")));
        config.put("preprocessing", new LinkedHashMap<>(Map.of("input_1", pre)));
        config.put("side", side);
        config.put("crop", new LinkedHashMap<>(Map.of("size", List.of(50, 50, 20), "centroid_index", List.of(25, 25, 10))));
        String card = MriDatCard.text(side);
        return new ModelPackageWriter(models.resolve(id)).overwrite(true)
                .id(id)
                .name("Nigral SMWI → striatal DaT SBR, 3D VGG regressor (" + side + ")")
                .description("Published 3D VGG regressor predicting the " + side + " striatal DaT-SPECT specific binding "
                        + "ratio from a 50×50×20 SMWI patch centred on the " + side + " nigrosome-1 (awjibon/mri_dat). "
                        + "Research use only.")
                .author("awjibon (GitHub awjibon/mri_dat)")
                .license("GPL-3.0")
                .tags(List.of("smwi", "nigrosome", "dat-spect", "sbr", "regression", "third-party"))
                .tensorflowVersion("2.9.0")
                .modelCard(card)
                .externalSource("${dopaj.shared}/data/thirdparty-models/mri_dat/net_vgg_" + side, weights,
                        "https://github.com/awjibon/mri_dat/tree/main/net_vgg_" + side)
                .input(TensorSpec.of("input_1", "SMWI nigral patch, raw intensities (DopaJ divides it by its mean"
                                + (side.equals("right") ? " and flips y" : "") + ")",
                        AxisSpec.batch(), AxisSpec.space("x", 50), AxisSpec.space("y", 50), AxisSpec.space("z", 20),
                        AxisSpec.channel("smwi")), syntheticPatch(side.equals("left") ? 1 : 2))
                .output(TensorSpec.of("dense", "striatal DaT SBR (model output × 6.84)", AxisSpec.batch(),
                        AxisSpec.channel("sbr")), null)
                .config(config)
                .write();
    }
}
