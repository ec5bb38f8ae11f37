package org.dopaj.api;

import java.nio.file.Path;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.dopaj.brainmask.BrainMaskResult;
import org.dopaj.brainmask.BrainMasker;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Grid;
import org.dopaj.image.Imglib2;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.spect.DatClassification;
import org.dopaj.spect.DatNormaliser;
import org.dopaj.spect.SbrQuantifier;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.SpectClassifier;

/**
 * DopaJ for scripts that hold imglib2 images (a Fiji Groovy/Jython script, an ImageJ2 {@code Dataset}'s
 * {@code getImgPlus()}): each capability takes the image with its {@link Grid} — imglib2 core carries no affine, so
 * the voxel-to-mm geometry travels beside it — and returns the same result record the CLI and the Fiji commands
 * serialise. Conventions (one place: docs/scripting.md): dimensions x, y, z[, t] in that order, x fastest; the grid's
 * affine maps voxel indices to RAS+ mm as NIfTI's sform does; float planar images are used without a copy and never
 * written to. Models load per call here; for many images use the capability classes directly (load once) or
 * {@code dopaj batch}.
 */
public final class DopaJ {
    private DopaJ() {
    }

    /** A grid of {@code dims} voxels of {@code voxelMm} with its first voxel's centre at {@code originMm}, axes RAS. */
    public static Grid grid(long[] dims, double[] voxelMm, double[] originMm) {
        double[][] a = {{voxelMm[0], 0, 0, originMm[0]}, {0, voxelMm[1], 0, originMm[1]}, {0, 0, voxelMm[2], originMm[2]},
            {0, 0, 0, 1}};
        return Grid.fromAffine((int) dims[0], (int) dims[1], (int) dims[2], a);
    }

    /** The grid of an image file (NIfTI, DICOM, TIFF), for an image read by other means from the same file. */
    public static Grid gridOf(Path file) {
        return ImageFiles.read(file).grid();
    }

    /** The image as a DopaJ volume (no copy for float planar images). */
    public static Volume volume(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid) {
        return Imglib2.asVolume(img, grid);
    }

    /** DaT-SPECT SBRs with DopaJ's VOIs, after spatial normalisation when the image is not in MNI space. */
    public static SbrResult quantifySbr(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid) {
        Volume v = volume(img, grid);
        SbrQuantifier.check(v);
        return SbrQuantifier.defaults().quantify(DatNormaliser.normalise(v, true, null).mni());
    }

    /** DaT-SPECT classification with the bundled CNN (model loaded and closed in this call). */
    public static DatClassification classifyDat(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid) {
        Volume v = volume(img, grid);
        SpectClassifier.checkImage(v);
        try (SpectClassifier c = SpectClassifier.load(SpectClassifier.bundledModel(), ComputeDevice.fromSystemProperty())) {
            return c.classify(v);
        }
    }

    /** Brain mask of a head MRI with the bundled model (loaded and closed in this call). */
    public static BrainMaskResult brainMask(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid) {
        Volume v = volume(img, grid);
        BrainMasker.check(v);
        try (BrainMasker m = BrainMasker.bundled(ComputeDevice.fromSystemProperty())) {
            return m.run(v);
        }
    }
}
