package org.dopaj.spect;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Grid;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.phantom.HeadPhantom;

/**
 * DopaJ's DaT-SPECT template on the MNI152 2 mm grid (91×109×91), the target of spatial normalisation
 * ({@link DatNormaliser}), shipped in the jar as {@value #RESOURCE}.
 *
 * <p>Recipe ({@link #build}; {@code java -cp "$(./dopaj --classpath)" org.dopaj.spect.DatTemplate
 * ../shared/data core/src/main/resources/org/dopaj/spect/dat-template.nii.gz}): the mean of {@value #PER_FAMILY} normal
 * subjects of each atlas family ({@link DatFamily#AAL}, {@link DatFamily#ICBM}, {@link DatFamily#AICHA}; seeds
 * {@value #SEED} + i): their activity (brain from real tissue maps, atlas striatum, thalamus, pons, skull and scalp)
 * blurred to 12 mm FWHM, each divided by its occipital reference mean before averaging, so the
 * template is in units of the reference (reference ≈ 1), quantised to 1/1024. The ellipsoid family is left out: its
 * brain is an ellipsoid, and a template must have a real brain's outline, which drives a registration most. Normal subjects only, so that a parkinsonian scan is not drawn
 * towards a normal striatum by its own template any more than by another's; the registration's similarity (normalised
 * cross-correlation) ignores the units. The shipped file was built with generator v4 (2026-12-06); v5 changed only the
 * spread of the normals' binding (sd 0.3–0.35 instead of 0.4–0.45, same means), and the recipe now gives a template
 * within 0.011 of it everywhere (striatal voxels above twice the reference: 0.25 % on average, at most 0.38 %); the
 * shipped file was kept, so that cached physics subjects and published figures stay reproducible.
 */
public final class DatTemplate {
    /** Class-path resource of the template. */
    public static final String RESOURCE = "/org/dopaj/spect/dat-template.nii.gz";
    static final int PER_FAMILY = 30;
    static final long SEED = 9_000_000L;

    private DatTemplate() {
    }

    /** The shipped template. */
    public static Volume load() {
        return Holder.TEMPLATE;
    }

    private static final class Holder {
        static final Volume TEMPLATE = read();

        private static Volume read() {
            try (InputStream in = DatTemplate.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new DopajException("DaT-SPECT template " + RESOURCE + " is missing from the DopaJ jar");
                }
                Path tmp = Files.createTempFile("dopaj-dat-template", ".nii.gz");
                try {
                    Files.copy(in, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    return ImageFiles.read(tmp);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException e) {
                throw new DopajException("cannot read the DaT-SPECT template: " + e.getMessage(), e);
            }
        }
    }

    /** Builds the template from the phantom families (see the class comment). */
    public static Volume build(Path sharedData) {
        Grid g = HeadPhantom.mni2mm();
        double[] sum = new double[g.nx() * g.ny() * g.nz()];
        int n = 0;
        for (DatFamily f : java.util.List.of(DatFamily.AAL, DatFamily.ICBM, DatFamily.AICHA)) {
            AtlasDatSampler s = f.sampler(sharedData);
            for (int i = 0; i < PER_FAMILY; i++) {
                Volume v = Gaussian.smooth(s.draw(SEED + i, DatSubjectSampler.NORMAL).activity(), 12);
                float[] a = DatCnn.normalise(v).toArray();
                for (int k = 0; k < a.length; k++) {
                    sum[k] += a[k] + 1; // back to image / reference
                }
                n++;
            }
        }
        float[] t = new float[sum.length];
        for (int k = 0; k < t.length; k++) {
            // quantised to 1/1024 (far below the registration's sensitivity) so the shipped file compresses well
            t[k] = (float) (Math.round(sum[k] / n * 1024) / 1024.0);
        }
        return Volume.of(g, t);
    }

    public static void main(String[] args) {
        Volume t = build(Path.of(args[0]));
        ImageFiles.write(t, Path.of(args[1]));
        System.out.println("template written to " + args[1]);
    }
}
