package org.dopaj.api;

import java.nio.file.Path;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import org.dopaj.brainmask.BrainMaskResult;
import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.brainmask.BrainMasker;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Grid;
import org.dopaj.image.Imglib2;
import org.dopaj.image.Volume;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.io.ImageFiles;
import org.dopaj.msa.MsaClassifier;
import org.dopaj.msa.MsaInputs;
import org.dopaj.msa.MsaModality;
import org.dopaj.msa.MsaResult;
import org.dopaj.msa.MsaTask;
import org.dopaj.progress.ProgressListener;
import org.dopaj.spect.DatClassification;
import org.dopaj.spect.DatNormaliser;
import org.dopaj.spect.SbrQuantifier;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.SpectClassifier;
import org.dopaj.wmh.WmhModel;
import org.dopaj.wmh.WmhResult;
import org.dopaj.wmh.WmhSegmenter;
import org.scijava.app.StatusService;

/**
 * DopaJ for scripts that hold imglib2 images — DaT-SPECT SBR and classification, brain mask, white-matter
 * hypointensities, MSA vs PD — (a Fiji Groovy/Jython script, an ImageJ2 {@code Dataset}'s
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
        return quantifySbr(img, grid, ProgressListener.NONE);
    }

    /** {@link #quantifySbr(RandomAccessibleInterval, Grid)} reporting the normalisation's progress (and cancel). */
    public static SbrResult quantifySbr(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid,
            ProgressListener progress) {
        Volume v = volume(img, grid);
        SbrQuantifier.check(v);
        return SbrQuantifier.defaults().quantify(DatNormaliser.normalise(v, true, progress).mni());
    }

    /** DaT-SPECT classification with the bundled CNN (model loaded and closed in this call). */
    public static DatClassification classifyDat(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid) {
        return classifyDat(img, grid, ProgressListener.NONE);
    }

    /** {@link #classifyDat(RandomAccessibleInterval, Grid)} reporting progress (and cancel). */
    public static DatClassification classifyDat(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid,
            ProgressListener progress) {
        Volume v = volume(img, grid);
        SpectClassifier.checkImage(v);
        try (SpectClassifier c = SpectClassifier.load(SpectClassifier.bundledModel(), ComputeDevice.fromSystemProperty())) {
            return c.classify(v, true, progress);
        }
    }

    /** Brain mask of a head MRI with the bundled model (loaded and closed in this call). */
    public static BrainMaskResult brainMask(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid) {
        return brainMask(img, grid, ProgressListener.NONE);
    }

    /** {@link #brainMask(RandomAccessibleInterval, Grid)} reporting progress (and cancel). */
    public static BrainMaskResult brainMask(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid,
            ProgressListener progress) {
        Volume v = volume(img, grid);
        BrainMasker.check(v);
        try (BrainMasker m = BrainMasker.bundled(ComputeDevice.fromSystemProperty())) {
            return m.run(v, 0, 0, progress); // as run(v): no closing, no border
        }
    }

    /** White-matter hypointensities of a T1 head with the bundled networks (loaded and closed in this call). */
    public static WmhResult wmh(RandomAccessibleInterval<? extends RealType<?>> img, Grid grid,
            ProgressListener progress) {
        Volume v = volume(img, grid);
        WmhSegmenter.check(v);
        try (WmhSegmenter s = WmhSegmenter.open(WmhSegmenter.Method.NETWORK, ModelRegistry.find(WmhModel.ID),
                ModelRegistry.find(BrainMaskModel.ID), ComputeDevice.fromSystemProperty())) {
            return s.run(v, progress);
        }
    }

    /** MSA vs PD from grey-matter density and mean diffusivity maps in MNI space (the bundled GD-MD network). */
    public static MsaResult msaVsPd(RandomAccessibleInterval<? extends RealType<?>> gd,
            RandomAccessibleInterval<? extends RealType<?>> md, Grid grid) {
        MsaTask task = MsaTask.MSA;
        MsaModality modality = MsaModality.GD_MD;
        java.util.List<String> warnings = new java.util.ArrayList<>();
        MsaInputs.Checked g = MsaInputs.gd(volume(gd, grid), "GD map");
        MsaInputs.Checked m = MsaInputs.md(volume(md, grid), "MD map");
        warnings.addAll(g.warnings());
        warnings.addAll(m.warnings());
        try (MsaClassifier c = MsaClassifier.load(MsaClassifier.bundledModel(task, modality), task, modality,
                ComputeDevice.fromSystemProperty())) {
            return c.classify(g.map(), m.map(), warnings);
        }
    }

    /**
     * Progress in SciJava's status bar (Fiji's, for a script with {@code #@ StatusService status}): the fraction as
     * the progress bar, the message as the status line; cancelled when the script's thread is interrupted.
     */
    public static ProgressListener progress(StatusService status) {
        return new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
                status.showProgress((int) Math.round(1000 * Math.max(0, Math.min(1, fraction))), 1000);
                status.showStatus("DopaJ: " + message);
            }

            @Override
            public boolean cancelled() {
                return Thread.currentThread().isInterrupted();
            }
        };
    }
}
