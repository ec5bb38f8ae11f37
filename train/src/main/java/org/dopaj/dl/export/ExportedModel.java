package org.dopaj.dl.export;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.dopaj.dl.graph.Task;

/**
 * What {@link ModelExporter} wrote: a TensorFlow SavedModel folder with one signature. The model
 * package writer (org.dopaj.dl.model) turns this into a {@code models/<id>/} package with rdf.yaml.
 *
 * @param folder           the SavedModel folder ({@code saved_model.pb}, {@code variables/})
 * @param tags             SavedModel tags ("serve")
 * @param signatureKey     "serving_default"
 * @param inputName        signature input key ("input")
 * @param inputShape       [-1, spatial..., channels], -1 = any batch size
 * @param outputs          signature output keys → shapes (-1 = batch), in signature order:
 *                         the prediction first, then "cam" for classifiers and regressors
 * @param camOutput        "cam", or null when the model has no CAM (segmentation)
 * @param task             what the model predicts (classes, CAM target)
 * @param parameterCount   network weights, batch-norm statistics included
 * @param tensorflowVersion version of the TensorFlow runtime that wrote it
 */
public record ExportedModel(Path folder, String tags, String signatureKey, String inputName, long[] inputShape,
        Map<String, long[]> outputs, String camOutput, Task task, long parameterCount, String tensorflowVersion) {

    public ExportedModel {
        inputShape = inputShape.clone();
        Map<String, long[]> copy = new LinkedHashMap<>();
        outputs.forEach((k, v) -> copy.put(k, v.clone()));
        outputs = Collections.unmodifiableMap(copy);
    }

    @Override
    public long[] inputShape() {
        return inputShape.clone();
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        outputs.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append(Arrays.toString(v)));
        return "ExportedModel[" + folder + ", " + signatureKey + ": " + inputName + Arrays.toString(inputShape) + " -> "
                + out + ", " + parameterCount + " parameters, TensorFlow " + tensorflowVersion + "]";
    }
}
