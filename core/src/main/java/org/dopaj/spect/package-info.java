/**
 * DaT-SPECT: spatial normalisation to DopaJ's template, SBR quantification in VOIs or atlas labels (hottest voxels,
 * asymmetry, P/C ratio, z-scores against a normal database), the CNN classifier with its calibration and
 * applicability check, and the phantom families and evaluations it is trained and validated on.
 */
package org.dopaj.spect;
