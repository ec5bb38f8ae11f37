/**
 * Volumes on a voxel grid with its affine (mm), the bridge to ImageJ's {@code ImagePlus} and to imglib2, and the
 * resampling every capability shares. Knows nothing of files (see {@code io}) or of menus (see {@code commands}).
 */
package org.dopaj.image;
