package org.dopaj.dl.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Published models DopaJ recognises by the tree hash of their SavedModel files ({@link ModelPackage#treeHash}), so
 * that installing the bare weights needs no YAML from the user: what to do before and after the network, its licence,
 * citation, training data and side come from here. Adding a model = adding an entry (and a test with its weights).
 */
public final class KnownModels {
    private KnownModels() {
    }

    /**
     * One published model.
     *
     * @param treeHash    SHA-256 tree hash of the SavedModel's files
     * @param id          package id DopaJ installs it as
     * @param name        package name
     * @param description what it does, who made it
     * @param authors     author names
     * @param license     SPDX id (kept with the model, never merged into DopaJ's own licence)
     * @param source      where it was published
     * @param cite        citation text
     * @param tfVersion   TensorFlow version it was saved with
     * @param inputId     signature input name
     * @param outputId    signature output name
     * @param config      config.dopaj entries (task, side, preprocessing, output scale, training data, ...)
     * @param card        model card (README.md) text
     */
    public record Known(String treeHash, String id, String name, String description, List<String> authors,
                        String license, String source, String cite, String tfVersion, String inputId, String outputId,
                        Map<String, Object> config, String card) {
    }

    private static final String MRI_DAT = "https://github.com/awjibon/mri_dat";
    private static final String MRI_DAT_CITE = "awjibon/mri_dat (GitHub): nigral SMWI → striatal DaT-SPECT SBR 3D VGG"
            + " regressors, the method of Bae et al., Neuroradiology 2023 (SBR regression from nigrosome SMWI patches).";

    /** Every known model. */
    public static List<Known> all() {
        return List.of(mriDat("left", "a7da26835a224885212412fed33b14c7b03e5d6eb6c7f639215f5d6095a195d0"),
                mriDat("right", "9dc399d5e8c3d0c514c076fcbb451e411527f7a7f9102de284194ead23cf56c5"));
    }

    /** The entry whose weights have this tree hash, or {@code null}. */
    public static Known byTreeHash(String hash) {
        for (Known k : all()) {
            if (k.treeHash().equals(hash)) {
                return k;
            }
        }
        return null;
    }

    private static Known mriDat(String side, String hash) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("task", "regression");
        c.put("capability", "nigrosome-sbr");
        c.put("side", side);
        c.put("output_scale", 6.84);
        c.put("outputs", new LinkedHashMap<>(Map.of("prediction", "dense")));
        // the authors' smwi_dat.py: patch / mean(patch); right patch np.flip(axis=2) of [1,50,50,20,1] = patch axis y
        c.put("preprocessing", new LinkedHashMap<>(Map.of("input_1", side.equals("left") ? List.of("divide_by_mean")
                : List.of("divide_by_mean", new LinkedHashMap<>(Map.of("flip_axis", "y"))))));
        c.put("voxel_size_mm", List.of(0.5, 0.5, 1.0));
        Map<String, Object> crop = new LinkedHashMap<>();
        crop.put("size", List.of(50, 50, 20));
        crop.put("centroid_index", List.of(25, 25, 10));
        c.put("crop", crop);
        c.put("training_data", ModelPackage.TRAINING_REAL);
        c.put("version", "mri_dat net_vgg_" + side + " (tree sha256 " + hash.substring(0, 12) + ")");
        Map<String, Object> app = new LinkedHashMap<>();
        // output = SBR / 6.84 (the authors' gt_max): targets were at most 6.84; no input statistics are published
        app.put("target_range", List.of(0.0, 6.84));
        app.put("calibration", new LinkedHashMap<>(Map.of("source", "target range from the authors' output scale"
                + " (gt_max = 6.84); their training images are not public, so no input-statistics bounds")));
        c.put("applicability", app);
        c.put("cite", MRI_DAT_CITE);
        String card = "# Nigral SMWI → striatal DaT SBR, 3D VGG regressor (" + side + ") — third-party model\n\n"
                + "**Research use only. Not for diagnosis.**\n\n"
                + "Installed by `dopaj models install`, recognised by the SHA-256 tree hash of its weights (" + hash
                + ").\n\n"
                + "- Source: " + MRI_DAT + " (`net_vgg_" + side + "/`), TensorFlow 2.9 Keras SavedModel.\n"
                + "- Licence: **GPL-3.0** — the licence travels with these weights (`LICENSE` in this folder when the"
                + " source had one); it does not extend to DopaJ (MIT), which only loads the model at run time.\n"
                + "- Cite: " + MRI_DAT_CITE + "\n"
                + "- Training data: the authors' patients (3 T SMWI and DaT-SPECT); not published.\n"
                + "- Preprocessing (from the authors' `smwi_dat.py`): patch / patch mean"
                + (side.equals("right") ? "; the right patch mirrored along its second (y) axis" : "")
                + "; output × 6.84 = SBR.\n"
                + "- Applicability: a prediction outside 0–6.84 is flagged; the input statistics cannot be checked (the"
                + " training images are not public).\n";
        return new Known(hash, "mri-dat-nigral-vgg-" + side, "Nigral SMWI → striatal DaT SBR, 3D VGG regressor (" + side
                + "), mri_dat", "Published 3D VGG regressor predicting the " + side + " striatal DaT-SPECT SBR from a"
                + " 50×50×20 SMWI patch centred on the " + side + " nigrosome-1 (awjibon/mri_dat), trained on patients."
                + " Research use only.", List.of("awjibon (GitHub awjibon/mri_dat)"), "GPL-3.0", MRI_DAT + "/tree/main/"
                + "net_vgg_" + side, MRI_DAT_CITE, "2.9.0", "input_1", "dense", c, card);
    }
}
