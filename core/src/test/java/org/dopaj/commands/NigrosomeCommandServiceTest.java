package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.gui.PointRoi;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.nigrosome.Centroids;
import org.dopaj.nigrosome.SbrRegressor;
import org.dopaj.nigrosome.Side;
import org.dopaj.nigrosome.SmwiPhantom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/**
 * Predict SBR's SciJava twin runs headless through CommandService and gives the core's numbers; an uncalibrated
 * image is refused (never asked for in headless use); point selections give per-point slices.
 */
class NigrosomeCommandServiceTest {
    static Context context;
    static CommandService commands;
    static SmwiPhantom.Result ph = SmwiPhantom.generate(3.2, 1.8, 31);

    @BeforeAll
    static void start() {
        context = new Context(CommandService.class);
        commands = context.getService(CommandService.class);
    }

    @AfterAll
    static void stop() {
        context.dispose();
    }

    static String text() {
        int[] l = ph.nigrosomes().left().nearestVoxel();
        int[] r = ph.nigrosomes().right().nearestVoxel();
        return "left=" + l[0] + "," + l[1] + "," + l[2] + " right=" + r[0] + "," + r[1] + "," + r[2];
    }

    @Test
    void twinGivesTheCoreNumbers() throws Exception {
        ImagePlus imp = ImagePlusBridge.toImagePlus(ph.smwi(), "smwi");
        Path left = Path.of("models", SbrRegressor.BUNDLED + "-left").toAbsolutePath();
        CommandModule m = commands.run(NigrosomePredictCommand.class, true, "image", imp, "centroids", text(), "units",
                "voxel", "model", left.toString()).get();
        try (SbrRegressor reg = SbrRegressor.load(left, left.resolveSibling(SbrRegressor.BUNDLED + "-right"),
                ComputeDevice.CPU)) {
            SbrRegressor.Result r = reg.predict(ph.smwi(), Centroids.parse(text(), org.dopaj.nigrosome.Units.VOXEL,
                    ph.smwi().grid()));
            assertEquals(r.left().sbr(), (double) m.getOutput("sbr_left"), 0);
            assertEquals(r.right().sbr(), (double) m.getOutput("sbr_right"), 0);
            assertEquals(r.sbrMean(), (double) m.getOutput("sbr_mean"), 0);
        }
        assertEquals("nigrosome-vgg3d-left + nigrosome-vgg3d-right", m.getOutput("models"));
    }

    @Test
    void uncalibratedImageIsRefusedHeadless() {
        ImagePlus imp = new ImagePlus("plain", ImagePlusBridge.toImagePlus(ph.smwi(), "x").getStack());
        imp.setCalibration(new ij.measure.Calibration());
        ExecutionException e = assertThrows(ExecutionException.class, () -> commands.run(NigrosomePredictCommand.class,
                true, "image", imp, "centroids", text(), "units", "voxel", "model", "").get());
        StringBuilder why = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            why.append(t.getMessage()).append(" | ");
        }
        assertTrue(why.toString().contains("plain: no voxel size in mm"), why.toString());
    }

    @Test
    void pointsKeepTheirOwnSlicesAndSidesComeFromOrientation() {
        ImagePlus imp = ImagePlusBridge.toImagePlus(ph.smwi(), "smwi");
        int[] l = ph.nigrosomes().left().nearestVoxel();
        int[] r = ph.nigrosomes().right().nearestVoxel();
        PointRoi roi = new PointRoi();
        roi.addPoint(r[0] + 0.7, r[1] + 0.2, r[2] + 1);    // right first, on its own slice: click order must not matter
        roi.addPoint(l[0], l[1], l[2] + 3);                // the left one two slices further
        imp.setSlice(1);
        imp.setRoi(roi);
        List<double[]> pts = NigrosomeFiji.points(imp);
        assertEquals(2, pts.size());
        Volume v = ImagePlusBridge.toVolume(imp);
        Centroids c = Centroids.fromPoints(pts, v.grid());
        assertEquals(l[0], c.left().voxel().x(), 0);
        assertEquals(r[0], c.right().voxel().x(), 0);
        assertEquals(r[1], c.get(Side.RIGHT).voxel().y(), 0, "a point's voxel is the pixel it lies in");
        assertEquals(r[2], c.right().voxel().z(), 0, "slice − 1");
        assertEquals(l[2] + 2, c.left().voxel().z(), 0, "each point keeps its own slice");
    }

    @Test
    void pointsOnTheReadingViewGiveTheFilesVoxels() {
        ImagePlus imp = ImagePlusBridge.toImagePlus(ph.smwi(), "smwi");
        org.dopaj.io.DisplayOrientation.reorient(imp, org.dopaj.io.DisplayOrientation.Convention.NEUROLOGICAL);
        org.dopaj.io.DisplayOrientation m = org.dopaj.io.DisplayOrientation.of(imp);
        assertTrue(!m.isIdentity(), "this phantom is shown reordered: " + ph.smwi().grid().orientation());
        int[] fd = ph.smwi().grid().dims();
        int[] l = ph.nigrosomes().left().nearestVoxel();
        int[] r = ph.nigrosomes().right().nearestVoxel();
        double[] ld = m.toDisplay(fd, l[0], l[1], l[2]);
        double[] rd = m.toDisplay(fd, r[0], r[1], r[2]);
        PointRoi roi = new PointRoi();
        roi.addPoint(ld[0] + 0.3, ld[1] + 0.3, (int) ld[2] + 1);
        roi.addPoint(rd[0] + 0.3, rd[1] + 0.3, (int) rd[2] + 1);
        imp.setRoi(roi);
        Centroids c = Centroids.fromPoints(NigrosomeFiji.points(imp), ImagePlusBridge.gridOf(imp));
        assertEquals(List.of((double) l[0], (double) l[1], (double) l[2]), List.of(c.left().voxel().x(),
                c.left().voxel().y(), c.left().voxel().z()), "typed and clicked voxels mean the file's indices");
        assertEquals(r[1], c.right().voxel().y(), 0);
    }

    @Test
    void cropTwinGivesBothCropsAroundTheCentroids() throws Exception {
        ImagePlus imp = ImagePlusBridge.toImagePlus(ph.smwi(), "smwi");
        CommandModule m = commands.run(NigrosomeCropCommand.class, true, "image", imp, "centroids", text(), "units",
                "voxel").get();
        int[] l = ph.nigrosomes().left().nearestVoxel();
        for (String side : new String[]{"crop_left", "crop_right"}) {
            ImagePlus c = (ImagePlus) m.getOutput(side);
            Volume v = ImagePlusBridge.toVolume(c);
            assertEquals(List.of(50, 50, 20), List.of(v.nx(), v.ny(), v.nz()), side);
            // the crop opens on the slice through its centroid (crop voxel 25,25,10), wherever the display puts it
            org.dopaj.io.DisplayOrientation shown = org.dopaj.io.DisplayOrientation.of(c);
            assertEquals((int) shown.toDisplay(new int[]{50, 50, 20}, 25, 25, 10)[2] + 1, c.getSlice(), side);
            if (side.equals("crop_left")) {
                assertEquals(ph.smwi().get(l[0], l[1], l[2]), v.get(25, 25, 10), 1e-4f, "centroid at crop voxel 25,25,10");
            }
        }
        assertTrue(((String) m.getOutput("inside_fraction")).matches("[0-9.]+ [0-9.]+"));
        ImagePlus plain = new ImagePlus("plain", ImagePlusBridge.toImagePlus(ph.smwi(), "x").getStack());
        plain.setCalibration(new ij.measure.Calibration());
        ExecutionException e = assertThrows(ExecutionException.class, () -> commands.run(NigrosomeCropCommand.class,
                true, "image", plain, "centroids", text(), "units", "voxel").get());
        StringBuilder why = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            why.append(t.getMessage()).append(" | ");
        }
        assertTrue(why.toString().contains("plain: no voxel size in mm"), why.toString());
    }
}
