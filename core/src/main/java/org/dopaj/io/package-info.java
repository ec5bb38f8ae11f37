/**
 * Image file input and output, without any UI.
 *
 * <ul>
 *   <li>{@link org.dopaj.io.Nifti}: NIfTI-1 and NIfTI-2 ({@code .nii}, {@code .nii.gz}, {@code .hdr/.img} read),
 *   both byte orders read, little-endian atomic writes. {@link org.dopaj.io.NiftiImage} keeps the header and the
 *   voxel bytes in the file's datatype, so NIfTI→NIfTI conversion is bit-exact; {@code toVolume()} gives scaled
 *   floats and {@code affine()} the orientation as nibabel computes it.</li>
 *   <li>{@link org.dopaj.io.ImageFiles}: one entry point for NIfTI, TIFF and DICOM (through ImageJ 1's readers)
 *   and, when Fiji provides it at run time, Bio-Formats; returns a {@link org.dopaj.io.LoadedImage}. DICOM headers
 *   (with their sequences nested, which ImageJ's header text loses) are read by {@code DicomHeader}, and the
 *   voxel → RAS affine of single slices, series, NM/SPECT, enhanced and RT Dose multi-frame objects is built by
 *   {@code DicomGeometry}; ImageJ decodes the pixels.</li>
 *   <li>{@link org.dopaj.io.AtomicFiles}: complete-or-absent output files.</li>
 * </ul>
 * The ImageJ side (ImagePlus ⇄ Volume / NIfTI) is {@link org.dopaj.io.ImagePlusBridge}.
 */
package org.dopaj.io;
