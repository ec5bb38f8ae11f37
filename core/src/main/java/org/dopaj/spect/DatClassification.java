package org.dopaj.spect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.dopaj.image.Volume;

/**
 * Result of {@link SpectClassifier}: the label ({@code normal} or {@code parkinsonian}), the probability of the
 * parkinsonian class, and the Grad-CAM map (0…1, relative within the image; evidence for "parkinsonian") on the
 * input image's grid. Research use only.
 *
 * @param resampled     whether the image was resampled onto the MNI 2 mm grid for the network (and the CAM back)
 * @param normalisation how the image reached MNI space (registered to the template or taken as it was)
 */
public record DatClassification(String label, double probabilityParkinsonian, Volume cam, String modelId,
                                boolean resampled, DatNormaliser.Normalised normalisation, List<String> warnings) {
    /** The research-use notice that goes with every result. */
    public static final String NOTICE = "research use only: trained on synthetic phantoms, not validated for diagnosis";

    public DatClassification {
        warnings = List.copyOf(warnings);
    }

    /** JSON fields (without the CAM voxels). */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("probability_parkinsonian", probabilityParkinsonian);
        m.put("model", modelId);
        m.put("resampled", resampled);
        if (normalisation != null) {
            m.putAll(normalisation.toMap());
        }
        m.put("warnings", warnings);
        m.put("notice", NOTICE);
        return m;
    }
}
