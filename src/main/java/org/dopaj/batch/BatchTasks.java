package org.dopaj.batch;

import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;

/** The capabilities a batch can run, by their command-line names. */
public final class BatchTasks {
    /** In the order help lists them. */
    public static final List<String> CAPABILITIES = List.of("spect-sbr", "spect-classify", "brain-mask", "nigrosome-sbr");

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
            default -> throw new DopajException("unknown capability '" + capability + "' (one of: "
                    + String.join(", ", CAPABILITIES) + ")");
        };
    }
}
