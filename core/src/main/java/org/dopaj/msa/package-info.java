/**
 * Multiple system atrophy (MSA) versus Parkinson's disease (PD) from grey-matter density (GD) and mean diffusivity
 * (MD) maps on the MNI152 2 mm grid, after Mattia et al. (Movement Disorders 2025): the map makers (grey-matter density
 * by a VBM-style recipe, {@link org.dopaj.msa.GmDensity}; MD by {@link org.dopaj.diffusion}), synthetic subjects of
 * both diseases in two differently built generator families ({@link org.dopaj.msa.MsaPhantom}), the 3D CNN with one or
 * two input channels and Grad-CAM ({@link org.dopaj.msa.MsaCnn}), its training and evaluation, the classifier used by
 * the CLI and Fiji ({@link org.dopaj.msa.MsaClassifier}), and z-score maps against a normal database with abnormal
 * clusters ({@link org.dopaj.msa.MsaZScores}). No ImageJ UI here. Research use only.
 */
package org.dopaj.msa;
