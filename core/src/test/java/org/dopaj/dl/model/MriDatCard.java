package org.dopaj.dl.model;

/** The model card (README.md) text of the mri_dat packages written by {@link MriDatPackageMaker}. */
final class MriDatCard {
    private MriDatCard() {
    }

    static String text(String side) {
        String other = side.equals("left") ? "right" : "left";
        return """
                # Nigral SMWI → striatal DaT SBR, 3D VGG regressor (%1$s) — third-party model

                **Research use only. Not for diagnosis.**

                ## Source and licence
                - Published by the authors of GitHub repository **awjibon/mri_dat**
                  (https://github.com/awjibon/mri_dat, folder `net_vgg_%1$s/`): a TensorFlow 2.9 Keras SavedModel,
                  signature `serving_default`, input `input_1` `[-1,50,50,20,1]` float32, output `dense` `[-1,1]`.
                - Licence: **GPL-3.0** (`LICENSE-GPL-3.0.txt` beside the weights).
                - **The weights are NOT in this repository.** DopaJ reads them from
                  `../shared/data/thirdparty-models/mri_dat/net_vgg_%1$s` through
                  `config.dopaj.external_source: ${dopaj.shared}/data/thirdparty-models/mri_dat/net_vgg_%1$s`
                  (`${dopaj.shared}` = `-Ddopaj.shared=DIR`, else `DOPAJ_SHARED`, else `../shared` from the working
                  directory). Every weight file is pinned by SHA-256 in `config.dopaj.files`; a changed file is refused.
                - This folder holds only `rdf.yaml`, this card and the `.npy` test tensors (the test output was
                  computed by running the published weights, so treat it as GPL-3.0 too).

                ## What DopaJ does before and after the model (from the authors' `smwi_dat.py`)
                ```python
                right_patch = np.reshape(right_patch, [1, 50, 50, 20, 1])
                left_patch  = np.reshape(left_patch,  [1, 50, 50, 20, 1])
                right_patch /= np.mean(right_patch)
                left_patch  /= np.mean(left_patch)
                right_patch = np.flip(right_patch, axis=2)
                ...
                return right_sbr * 6.84, left_sbr * 6.84      # gt_max = 6.84
                ```
                - Each patch is divided by its own mean (`divide_by_mean`).
                - The RIGHT patch only is flipped, with `np.flip(axis=2)` on the batched `[1,50,50,20,1]` tensor.
                  Axis 2 of that tensor is the **second axis (index 1) of the 50×50×20 patch**, i.e. the second
                  50-long in-plane axis. `shared/data/README.md` calls it the "third axis": that is the same axis counted
                  on the 5-D batched tensor (batch, 50, **50**, 20, channel), not the 20-long through-plane axis.
                  The `right` package declares `flip_axis: y`; the `left` package declares no flip.
                - The output is multiplied by 6.84 (`output_scale`), giving the striatal SBR.

                ## Axis mapping
                The authors' example reads the patches from a MATLAB `.mat` file as 50×50×20 arrays and does not say
                which anatomical direction each axis is. DopaJ maps patch axes 0,1,2 to Volume x,y,z (ImageJ x,y,z =
                NIfTI i,j,k, the order MATLAB's `niftiread` keeps), tensor `[batch, x, y, z, channel]` in C order, with
                the nigrosome-1 centroid at 0-based crop index (25,25,10) (DopaJ's crop convention). The %2$s-side model
                is the separate package `mri-dat-nigral-vgg-%2$s`.

                ## Training data, metrics, validation
                - Training data: the authors' clinical SMWI/DaT-SPECT cohort; not published with the weights. DopaJ did
                  not train, fine-tune or clinically validate this model.
                - Metrics: none measured by DopaJ on real data (no redistributable midbrain SMWI exists in reach).
                - What DopaJ checks (`mvn -o -B -q test -Dtest=MriDatModelTest`): on a deterministic synthetic
                  50×50×20 patch, DopaJ's prediction (DJL, TensorFlow 2.16.1) equals TF Java's own `SavedModelBundle`
                  result with the same preprocessing applied by hand, to 1e-5.

                ## Intended use and limits
                - Research on MRI-based surrogates of DaT-SPECT in Parkinsonism; **not** a diagnostic device.
                - Input must be an SMWI patch of the same kind as the authors' (field strength, sequence, resolution
                  and orientation not documented here); results on other contrasts are meaningless.
                - A wrong centroid, a wrong side or a transposed patch gives a plausible-looking but wrong number.

                ## Regenerate this package
                ```
                mvn -o -B -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt
                java -cp "$(./dopaj --classpath)" org.dopaj.dl.model.MriDatPackageMaker ../shared models
                ```
                """.formatted(side, other);
    }
}
