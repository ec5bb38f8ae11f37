package org.dopaj.io;

import org.dopaj.image.Volume;

/**
 * What {@link ImageFiles#load} read: the float volume with its grid, the file format ("nifti1", "nifti2",
 * "tiff", "dicom", "dicom-series", "interfile", "bioformats"), the stored datatype ("int16", "uint8", "float32", ...),
 * the NIfTI image itself when the file was NIfTI (null otherwise: keep it to write NIfTI back bit-exactly),
 * whether the geometry is known in mm ({@code calibrated}; false means 1 mm voxels were assumed), and a
 * one-line warning for the user or null.
 */
public record LoadedImage(Volume volume, String format, String datatype, NiftiImage nifti, boolean calibrated, String warning) {
}
