/**
 * Nigrosome-1 on SWI/SMWI: centroids, 50×50×20 crops, the SBR regressor pair (DopaJ's own or the published
 * mri_dat models), applicability checks, SMWI phantoms and the regressor's training and evaluation.
 */
package org.dopaj.nigrosome;
