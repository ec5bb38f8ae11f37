package org.dopaj.spect.camera;

/** How the reconstruction corrects for photon attenuation in the head. */
public enum AttenuationCorrection {
    /** None: the image keeps the attenuation "cupping" (centre too low). */
    NONE,
    /**
     * Chang's first-order correction (Chang 1978): each voxel is multiplied by the inverse of its attenuation factor
     * exp(−μ·L) averaged over the projection angles, with a uniform μ inside an outline of the head; for FBP and,
     * as a post-correction, for OSEM.
     */
    CHANG,
    /** Attenuation modelled in the OSEM projector with the true μ map (as with a CT μ map); OSEM only. */
    MODELLED
}
