/**
 * Volumes on a voxel grid with its affine (mm), the bridge to imglib2, and the resampling every capability shares.
 * Knows nothing of ImageJ, files (see {@code io}, which also holds the {@code ImagePlus} bridge) or menus (see
 * {@code commands}).
 *
 * <p><b>The image convention</b> (the one place it is written down): a {@link org.dopaj.image.Volume} is float voxels,
 * one {@code float[]} per plane (z, then frame t), x fastest — the layout of an ImageJ 32-bit stack and of an imglib2
 * {@code PlanarImg<FloatType>}, so the three share arrays without copying: {@link org.dopaj.image.Volume#img()} is the
 * volume as an imglib2 image (dims x, y, z[, t]; a write through it is a write into the volume),
 * {@link org.dopaj.image.Imglib2#asVolume} takes a float {@code PlanarImg} (what ImageJ's float stacks and
 * {@code img()} are) as a volume without copying and copies anything else, and {@code io.ImagePlusBridge} wraps an
 * ImagePlus's float stack the same way. imglib2 core has no calibration, so the {@link org.dopaj.image.Grid} (size,
 * voxel size, voxel-to-mm affine) travels beside the image: every capability's API takes (image, grid), e.g.
 * {@code org.dopaj.api.DopaJ.brainMask(img, grid)}. Capabilities never write into their input.
 */
package org.dopaj.image;

