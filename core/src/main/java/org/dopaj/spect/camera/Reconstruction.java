package org.dopaj.spect.camera;

/** Reconstruction algorithm of the camera workstation. */
public enum Reconstruction {
    /** Filtered backprojection, slice by slice: ramp filter × Butterworth window (the classic DaTscan protocol). */
    FBP,
    /** Ordered-subsets expectation maximisation (Hudson &amp; Larkin 1994) with the camera's own projector. */
    OSEM
}
