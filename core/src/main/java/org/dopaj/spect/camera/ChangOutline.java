package org.dopaj.spect.camera;

/** Where the head outline of Chang's correction comes from. */
public enum ChangOutline {
    /**
     * A threshold of the uncorrected reconstruction (a fraction of its maximum, rows and columns of each slice filled
     * between their first and last voxel above it), as workstations do automatically. With the low uptake of the
     * scalp this outline is usually smaller than the head, so the correction is a little too weak, as in clinics.
     */
    EMISSION,
    /** The true body outline (μ map above 0.01 /cm), as a carefully drawn ellipse or a CT outline would give. */
    MU_MAP
}
