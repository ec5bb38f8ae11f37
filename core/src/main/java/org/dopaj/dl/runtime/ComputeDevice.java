package org.dopaj.dl.runtime;

import java.util.Locale;
import org.dopaj.DopajException;

/**
 * Where a model runs, as the user asks for it: {@code auto} (GPU when a CUDA build of TensorFlow is on the
 * classpath and an NVIDIA GPU is visible, else CPU), {@code cpu}, or {@code gpu} (refused with the reason
 * when impossible). The CLI {@code --device}, the Fiji {@code use_gpu} switch and the system property
 * {@code dopaj.device} all map onto this.
 */
public enum ComputeDevice {
    AUTO, CPU, GPU;

    /** System property that sets the default device ({@code auto|cpu|gpu}). */
    public static final String PROPERTY = "dopaj.device";

    /** Parses {@code auto|cpu|gpu} (any case); {@code null} or blank means {@link #AUTO}. */
    public static ComputeDevice parse(String text) {
        if (text == null || text.isBlank()) {
            return AUTO;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "auto":
                return AUTO;
            case "cpu":
                return CPU;
            case "gpu":
            case "cuda":
                return GPU;
            default:
                throw new DopajException("device must be auto, cpu or gpu, got '" + text + "'");
        }
    }

    /** The device named by {@code -Ddopaj.device=...}, or {@link #AUTO}. */
    public static ComputeDevice fromSystemProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    /** Maps the Fiji {@code use_gpu} checkbox: ticked means GPU (refused if impossible), else CPU. */
    public static ComputeDevice fromUseGpu(boolean useGpu) {
        return useGpu ? GPU : CPU;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
