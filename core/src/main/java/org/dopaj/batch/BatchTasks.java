package org.dopaj.batch;

import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;

/** The capabilities a batch can run, by their command-line names. */
public final class BatchTasks {
    /** In the order help lists them. */
    public static final List<String> CAPABILITIES = List.of("spect-sbr", "spect-classify", "brain-mask", "nigrosome-sbr",
            "msa-pd", "wmh");

    /** Capability options that take a value, spelt as the single-file commands spell them. */
    public static final java.util.Set<String> VALUED_OPTIONS = java.util.Set.of("atlas", "labels", "hottest", "normals",
            "model", "model-left", "model-right", "device", "closing", "border", "intervals", "frame", "convention",
            "task", "normal-db", "method", "brain-model");
    /** Capability options that are flags. */
    public static final java.util.Set<String> FLAG_OPTIONS = java.util.Set.of("no-normalise", "qc", "cam", "pseudocolour");

    private BatchTasks() {
    }

    /**
     * The task for {@code capability} with its batch-wide {@code options} (option name without dashes → value;
     * flags map to {@code ""}); unknown capabilities and options are refused here, before anything loads.
     */
    public static BatchTask create(String capability, Map<String, String> options) {
        return switch (capability) {
            case "spect-sbr" -> new SpectTasks.Sbr(options);
            case "spect-classify" -> new SpectTasks.Classify(options);
            case "brain-mask" -> new BrainMaskTask(options);
            case "nigrosome-sbr" -> new NigrosomeTask(options);
            case "msa-pd" -> new MsaPdTask(options);
            case "wmh" -> new WmhTask(options);
            default -> throw new DopajException("unknown capability '" + capability + "' (one of: "
                    + String.join(", ", CAPABILITIES) + ")");
        };
    }
}
