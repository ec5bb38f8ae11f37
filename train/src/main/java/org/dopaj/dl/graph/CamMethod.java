package org.dopaj.dl.graph;

/**
 * How the exported class-activation map weights the feature map a network marked with
 * {@link NetBuilder#markCamLayer(org.tensorflow.Operand, CamMethod)} (computed by
 * {@code org.dopaj.dl.export.GradCam}).
 */
public enum CamMethod {
    /** Grad-CAM (Selvaraju et al.): one weight per channel, the spatial mean of the gradient; for global-pooling heads. */
    GRAD_CAM,
    /** HiResCAM (Draelos &amp; Carin): the gradient itself, position by position; for flatten + dense heads. */
    HI_RES_CAM
}
