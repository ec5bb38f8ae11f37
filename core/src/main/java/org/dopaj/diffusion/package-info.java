/**
 * Diffusion MRI: gradient tables (FSL bval/bvec files), the diffusion tensor fitted by weighted least squares, mean
 * diffusivity (MD) and fractional anisotropy (FA) maps with a brain mask, and their spatial normalisation to the MNI152
 * 2 mm grid, for the MSA-vs-PD classifier ({@link org.dopaj.msa}). No ImageJ UI here.
 */
package org.dopaj.diffusion;
