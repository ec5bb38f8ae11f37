package org.dopaj.dl.model;

import java.util.List;
import java.util.Locale;

/**
 * One axis of a model input or output, BioImage Model Zoo 0.5 style: {@code {type: batch}},
 * {@code {type: space, id: x, size: 50}} (or {@code size: {min: 16, step: 8}}), {@code {type: channel,
 * channel_names: [t1]}}, {@code {type: index, id: class, size: 2}}. A space axis named {@code x}, {@code y} or
 * {@code z} is the {@link org.dopaj.image.Volume} axis of that name (ImageJ x,y,z = NIfTI i,j,k).
 */
public record AxisSpec(String type, String id, Integer size, Integer sizeMin, Integer sizeStep, List<String> channelNames) {

    public static AxisSpec batch() {
        return new AxisSpec("batch", "batch", null, null, null, null);
    }

    public static AxisSpec space(String id, int size) {
        return new AxisSpec("space", id, size, null, null, null);
    }

    public static AxisSpec spaceParametrized(String id, int min, int step) {
        return new AxisSpec("space", id, null, min, step, null);
    }

    public static AxisSpec channel(String... names) {
        return new AxisSpec("channel", "channel", names.length, null, null, List.of(names));
    }

    public static AxisSpec index(String id, int size) {
        return new AxisSpec("index", id, size, null, null, null);
    }

    public boolean isBatch() {
        return type.equals("batch");
    }

    /** {@code null} when {@code n} fits this axis, else the reason. */
    String check(long n) {
        if (isBatch()) {
            return n >= 1 && (size == null || n == size) ? null : "batch must be " + (size == null ? "≥1" : size);
        }
        if (size != null) {
            return n == size ? null : id + " must be " + size;
        }
        if (sizeMin != null) {
            int step = sizeStep == null || sizeStep == 0 ? 1 : sizeStep;
            return n >= sizeMin && (n - sizeMin) % step == 0 ? null
                    : id + " must be " + sizeMin + "+" + step + "·k";
        }
        return n >= 1 ? null : id + " must be ≥1";
    }

    /** {@code x=50}, {@code batch}, {@code z=16+8k}, {@code channel=1}. */
    public String describe() {
        if (isBatch()) {
            return size == null ? "batch" : "batch=" + size;
        }
        if (size != null) {
            return id + "=" + size;
        }
        if (sizeMin != null) {
            return id + "=" + sizeMin + "+" + (sizeStep == null ? 1 : sizeStep) + "k";
        }
        return id + "=?";
    }

    /** The axis written back as rdf.yaml would hold it. */
    java.util.Map<String, Object> toYaml() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("type", type);
        if (!isBatch() && !type.equals("channel")) {
            m.put("id", id);
        }
        if (type.equals("channel")) {
            m.put("channel_names", channelNames);
        } else if (size != null) {
            m.put("size", size);
        } else if (sizeMin != null) {
            java.util.Map<String, Object> size = new java.util.LinkedHashMap<>(); // min before step in every JVM
            size.put("min", sizeMin);
            size.put("step", sizeStep == null ? 1 : sizeStep);
            m.put("size", size);
        }
        return m;
    }

    static String normType(String t) {
        return t == null ? null : t.toLowerCase(Locale.ROOT);
    }
}
