package org.dopaj.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.real.FloatType;
import org.dopaj.image.Imglib2;
import org.dopaj.image.Volume;
import org.dopaj.spect.DatClassification;
import org.dopaj.spect.SbrQuantifier;
import org.dopaj.spect.SbrResult;
import org.dopaj.spect.SpectClassifier;
import org.dopaj.spect.SpectPhantom;
import org.junit.jupiter.api.Test;
import org.scijava.app.StatusService;

/** A script's imglib2 image with its grid gives the numbers the volume API gives; planar floats are not copied. */
class DopaJTest {
    static final Volume SCAN = SpectPhantom.generate(SpectPhantom.Params.builder().stage(2).seed(17).build()).image();

    @Test
    void msaMapsAreCheckedAsOnTheCommandLineBeforeAnyModelLoads() {
        org.dopaj.image.Grid mni = org.dopaj.phantom.HeadPhantom.mni2mm();
        Volume gd = Volume.allocate(mni);
        Volume md = Volume.allocate(mni);
        for (float[] p : gd.planes()) {
            java.util.Arrays.fill(p, 5f);
        }
        org.dopaj.DopajException e = org.junit.jupiter.api.Assertions.assertThrows(org.dopaj.DopajException.class,
                () -> DopaJ.msaVsPd(Imglib2.wrap(gd), Imglib2.wrap(md), mni));
        assertTrue(e.getMessage().contains("GD map: GD values span"), e.getMessage());
    }

    @Test
    void progressReachesSciJavasStatusServiceAndInterruptCancels() {
        List<String> calls = new ArrayList<>();
        StatusService status = (StatusService) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StatusService.class}, (proxy, m, args) -> {
                    calls.add(m.getName() + java.util.Arrays.toString(args));
                    return null;
                });
        org.dopaj.progress.ProgressListener p = DopaJ.progress(status);
        p.progress(0.5, "rigid, 8 mm");
        assertEquals(List.of("showProgress[500, 1000]", "showStatus[DopaJ: rigid, 8 mm]"), calls);
        assertFalse(p.cancelled());
        Thread.currentThread().interrupt();
        try {
            assertTrue(p.cancelled(), "an interrupted script thread cancels");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void planarFloatImagesAreSharedOthersCopied() {
        PlanarImg<FloatType, FloatArray> img = Imglib2.wrap(SCAN);
        Volume v = DopaJ.volume(img, SCAN.grid());
        assertSame(SCAN.plane(40), v.plane(40), "no copy");
        ArrayImg<FloatType, FloatArray> flat = ArrayImgs.floats(SCAN.toArray(), SCAN.nx(), SCAN.ny(), SCAN.nz());
        Volume c = DopaJ.volume(flat, SCAN.grid());
        assertNotSame(SCAN.plane(40), c.plane(40));
        assertEquals(SCAN.get(45, 60, 40), c.get(45, 60, 40));
    }

    @Test
    void capabilitiesFromImglib2EqualTheVolumeApi() {
        PlanarImg<FloatType, FloatArray> img = Imglib2.wrap(SCAN);
        SbrResult a = DopaJ.quantifySbr(img, SCAN.grid());
        SbrResult b = SbrQuantifier.defaults().quantify(SCAN);
        assertEquals(b.sbr().get("putamen_l"), a.sbr().get("putamen_l"), 1e-9);
        DatClassification d = DopaJ.classifyDat(ArrayImgs.floats(SCAN.toArray(), SCAN.nx(), SCAN.ny(), SCAN.nz()),
                SCAN.grid());
        try (SpectClassifier cl = SpectClassifier.load()) {
            assertEquals(cl.classify(SCAN).probabilityParkinsonian(), d.probabilityParkinsonian(), 1e-6);
        }
    }
}
