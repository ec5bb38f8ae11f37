package org.dopaj.spect;

import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.image.Grid;
import org.dopaj.image.Resample;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;

/**
 * VOIs from a label atlas in place of {@link SpectVois}: the user names which atlas labels make each region,
 * e.g. {@code caudate_l=71,caudate_r=72,putamen_l=73,putamen_r=74,reference=43+44+45+46} for AAL. The atlas is
 * resampled nearest-neighbour onto the image grid (so no label is invented) and must already be in the image's
 * space (for a spatially normalised SPECT: an MNI atlas).
 */
public final class AtlasVois {
    /** The spec for the AAL atlas (Tzourio-Mazoyer 2002): caudate 71/72, putamen 73/74, occipital 43–54. */
    public static final String AAL_SPEC =
            "caudate_l=71,caudate_r=72,putamen_l=73,putamen_r=74,reference=43+44+45+46+47+48+49+50+51+52+53+54";

    private AtlasVois() {
    }

    /**
     * Parses {@code region=label[+label…]} pairs separated by commas (spaces allowed). Region names are those of
     * {@link VoiSet#NAMES}; each may appear once.
     */
    public static Map<String, int[]> parseSpec(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new DopajException("atlas_labels is empty: expected e.g. " + AAL_SPEC);
        }
        Map<String, int[]> m = new LinkedHashMap<>();
        for (String item : spec.split(",")) {
            String it = item.trim();
            if (it.isEmpty()) {
                continue;
            }
            int eq = it.indexOf('=');
            if (eq <= 0 || eq == it.length() - 1) {
                throw new DopajException("atlas_labels: '" + it + "' is not region=label[+label...]");
            }
            String name = it.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (!VoiSet.NAMES.contains(name)) {
                throw new DopajException("atlas_labels: unknown region '" + name + "', expected one of " + VoiSet.NAMES);
            }
            if (m.containsKey(name)) {
                throw new DopajException("atlas_labels: region '" + name + "' is given twice");
            }
            String[] parts = it.substring(eq + 1).split("\\+");
            int[] labels = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    labels[i] = Integer.parseInt(parts[i].trim());
                } catch (NumberFormatException e) {
                    throw new DopajException("atlas_labels: '" + parts[i].trim() + "' in '" + it + "' is not an integer label");
                }
                if (labels[i] <= 0) {
                    throw new DopajException("atlas_labels: label " + labels[i] + " in '" + it + "' must be positive (0 is background)");
                }
            }
            m.put(name, labels);
        }
        for (String r : VoiSet.REQUIRED) {
            if (!m.containsKey(r)) {
                throw new DopajException("atlas_labels: region '" + r + "' is missing; required are " + VoiSet.REQUIRED);
            }
        }
        return m;
    }

    /** The atlas VOIs on the MNI 2 mm grid (where {@link SbrQuantifier} measures by default). */
    public static VoiSet fromLabels(Volume atlas, Map<String, int[]> labels) {
        return fromLabels(atlas, labels, HeadPhantom.mni2mm());
    }

    /**
     * The atlas VOIs resampled (nearest neighbour) onto {@code imageGrid}. Every label named must exist in the
     * atlas, else a {@link DopajException} names it; a label that exists in the atlas but vanishes on the image
     * grid is reported by the quantifier as an empty region.
     */
    public static VoiSet fromLabels(Volume atlas, Map<String, int[]> labels, Grid imageGrid) {
        if (atlas == null) {
            throw new DopajException("atlas volume is missing");
        }
        if (atlas.is4D()) {
            throw new DopajException("atlas must be a 3D label volume, it has " + atlas.nt() + " frames");
        }
        Set<Integer> present = new HashSet<>();
        for (float[] p : atlas.planes()) {
            for (float v : p) {
                if (Float.isFinite(v)) {
                    present.add(Math.round(v));
                }
            }
        }
        for (Map.Entry<String, int[]> e : labels.entrySet()) {
            for (int l : e.getValue()) {
                if (!present.contains(l)) {
                    throw new DopajException("atlas_labels: label " + l + " (region " + e.getKey()
                            + ") does not occur in the atlas");
                }
            }
        }
        Volume onGrid = atlas.grid().sameAs(imageGrid, 1e-6) ? atlas
                : Resample.toGrid(atlas, imageGrid, Resample.Interpolation.NEAREST, 0f);
        return new VoiSet(onGrid, labels, "atlas " + describe(labels));
    }

    private static String describe(Map<String, int[]> labels) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, int[]> e : labels.entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey()).append('=');
            b.append(String.join("+", Arrays.stream(e.getValue()).mapToObj(Integer::toString).toList()));
        }
        return b.toString();
    }
}
