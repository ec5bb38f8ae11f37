package org.dopaj.msa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dopaj.Version;
import org.dopaj.image.Volume;

/**
 * One MSA-vs-PD classification: label ("PD" or the task's MSA group), MSA probability, task, modalities used, the
 * class-activation map of the MSA logit on the MNI 2 mm grid (0…1), the model and its training data, warnings.
 */
public record MsaResult(String label, double probabilityMsa, MsaTask task, MsaModality modality, Volume cam,
                        String modelId, String trainingData, List<String> warnings, double millis) {
    /** What every result says. */
    public static final String NOTICE = "trained on synthetic phantoms only; research use only, not for diagnosis";

    /** JSON-ready fields. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("probability_msa", probabilityMsa);
        m.put("task", task.id());
        m.put("classes", List.of("PD", task.msaLabel()));
        m.put("modalities", modality.channels());
        m.put("model", modelId);
        m.put("training_data", trainingData);
        m.put("warnings", warnings);
        m.put("milliseconds", Math.round(millis * 10) / 10.0);
        m.put("notice", NOTICE + "; " + Version.NOTICE);
        return m;
    }
}
