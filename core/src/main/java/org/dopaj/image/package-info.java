/**
 * Volumes on a voxel grid with its affine (mm), the bridge to imglib2, and the resampling every capability shares.
 * Knows nothing of ImageJ, files (see {@code io}, which also holds the {@code ImagePlus} bridge) or menus (see
 * {@code commands}).
 *
 * <p>The image convention (planes shared with imglib2's {@code PlanarImg} through {@link org.dopaj.image.Volume#img()}
 * and {@link org.dopaj.image.Imglib2}, the grid beside the image) is written down once, in docs/scripting.md.
 */
package org.dopaj.image;

