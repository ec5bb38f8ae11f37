package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.Macro;
import org.dopaj.io.DisplayOrientation.Convention;
import org.dopaj.io.ImagePlusBridge;
import org.dopaj.image.Volume;
import org.dopaj.spect.SpectPhantom;
import org.junit.jupiter.api.Test;

/**
 * How images are shown (robust display range, the slice of interest, zoom) and what a dialog records: a recorded
 * option string, read back as a macro would, gives the same values.
 */
class ViewerParamsTest {
    @Test
    void spectOpensAtTheStriatumWithARangeThatIgnoresAFewHotVoxels() {
        SpectPhantom.Phantom ph = SpectPhantom.generate(SpectPhantom.Params.builder().stage(0).seed(4).build());
        Volume v = ph.image().copy();
        // ten absurdly hot voxels (a noise spike, a marker): the range must not follow them
        for (int i = 0; i < 10; i++) {
            v.set(5 + i, 5, 5, 1e6f);
        }
        ImagePlus imp = Viewer.prepare(ImagePlusBridge.toImagePlus(v, "dat"), Viewer.Modality.SPECT,
                Convention.RADIOLOGICAL);
        assertTrue(imp.getDisplayRangeMax() < 1e5, "range " + imp.getDisplayRangeMax());
        assertEquals(0, imp.getDisplayRangeMin(), 0);
        // the striatum of the MNI phantom lies around z = +2 mm: k = 37 on the 2 mm grid (slice 38, shown S-up)
        int z = imp.getSlice();
        assertTrue(Math.abs(z - 38) <= 5, "opening slice " + z);
        assertEquals(4, Overlays.count(imp, Viewer.LETTERS), "R, L, A, P on the edges");
        // the hot-iron LUT of nuclear medicine: black → red → yellow → white
        java.awt.image.IndexColorModel lut = imp.getProcessor().getLut();
        assertTrue(lut.getRed(0) + lut.getGreen(0) + lut.getBlue(0) < 30, "near black at 0");
        assertTrue(lut.getRed(100) > 200 && lut.getBlue(100) < 50, "red in the middle");
        assertEquals(255 * 3, lut.getRed(255) + lut.getGreen(255) + lut.getBlue(255));
    }

    @Test
    void mriRangeIsPercentileBasedAndMasksAre0To255() {
        ImagePlus imp = ImagePlusBridge.toImagePlus(org.dopaj.phantom.HeadPhantom.generate(
                org.dopaj.phantom.HeadPhantom.mni2mm(), 3, 2).t1(), "t1");
        double[] r = Viewer.range(imp, Viewer.Modality.MRI);
        assertTrue(r[1] > r[0] && r[0] <= 0, java.util.Arrays.toString(r));
        assertEquals(255, Viewer.range(imp, Viewer.Modality.MASK)[1], 0);
    }

    @Test
    void theModalityIsGuessedFromWholeWords() {
        assertEquals(Viewer.Modality.SPECT, Viewer.guess("dat.nii.gz"));
        assertEquals(Viewer.Modality.SPECT, Viewer.guess("spect_phantom_pd.nii.gz"));
        assertEquals(Viewer.Modality.SPECT, Viewer.guess("sub-01_FP-CIT.nii"));
        assertEquals(Viewer.Modality.SPECT, Viewer.guess("sub-01_nm.nii"));
        assertEquals(Viewer.Modality.MRI, Viewer.guess("candidate_t1.nii.gz"));
        assertEquals(Viewer.Modality.MRI, Viewer.guess("head_phantom.nii.gz"));
    }

    @Test
    void zoomFillsTheScreenWithImageJsZoomLevels() {
        assertEquals(6.0, Viewer.fillZoom(91, 109, 1920, 1080), 0, "a 2 mm SPECT on a full-HD screen: 654 px tall");
        assertEquals(2.0, Viewer.fillZoom(256, 256, 1920, 1080), 0);
        assertEquals(0.5, Viewer.fillZoom(1024, 1024, 1920, 1080), 0);
    }

    @Test
    void recordedOptionsReplayToTheSameValues(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // Crop ROIs on an uncalibrated SMWI image with two clicked points: what the adapter records types the points
        // as the file's voxel indices and keeps the voxel size, and replaying those options alone gives the same crops
        org.dopaj.nigrosome.SmwiPhantom.Result ph = org.dopaj.nigrosome.SmwiPhantom.generate(3.2, 1.8, 31);
        ImagePlus imp = new ImagePlus("plain", ImagePlusBridge.toImagePlus(ph.smwi(), "x").getStack());
        imp.setCalibration(new ij.measure.Calibration());
        int[] l = ph.nigrosomes().left().nearestVoxel();
        int[] r = ph.nigrosomes().right().nearestVoxel();
        ij.gui.PointRoi roi = new ij.gui.PointRoi();
        roi.addPoint(r[0], r[1], r[2] + 1);
        roi.addPoint(l[0], l[1], l[2] + 1);
        imp.setRoi(roi);
        String folder = dir.resolve("a folder").toString();
        org.scijava.command.CommandInfo info = Ij1Adapter.info(NigrosomeCropCommand.class.getName());
        String thread = Thread.currentThread().getName();
        Thread.currentThread().setName("Run$_test");
        try {
            String options = "units=voxel voxel_size=0.5,0.5,1 output_folder=[" + folder + "]";
            Macro.setOptions(options);
            org.scijava.module.Module m = Ij1Adapter.execute(info, imp, options, false);
            String recorded = Ij1Adapter.options(Ij1Adapter.fields(info, info.createModule()), m);
            assertEquals("centroids=[left=" + l[0] + "," + l[1] + "," + l[2] + " right=" + r[0] + "," + r[1] + ","
                    + r[2] + "] units=voxel voxel_size=0.5,0.5,1 output_folder=[" + folder + "]", recorded);
            imp.deleteRoi();
            Macro.setOptions(recorded);
            org.scijava.module.Module replay = Ij1Adapter.execute(info, imp, recorded, false);
            for (String side : new String[]{"crop_left", "crop_right"}) {
                Volume a = ImagePlusBridge.toVolume((ImagePlus) m.getOutput(side));
                Volume b = ImagePlusBridge.toVolume((ImagePlus) replay.getOutput(side));
                for (int z = 0; z < a.nz(); z++) {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(a.plane(z), b.plane(z), side + " z" + z);
                }
            }
            assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("a folder").resolve("nigrosome_left.nii.gz")));
        } finally {
            Macro.setOptions(null);
            Thread.currentThread().setName(thread);
        }
    }

    @Test
    void everyFieldSaysWhatItWants() {
        // every field of Quantify SBR says what it wants, numbers with their unit
        org.scijava.command.CommandInfo info = Ij1Adapter.info(SpectQuantifyCommand.class.getName());
        for (org.scijava.module.ModuleItem<?> in : info.inputs()) {
            if (!in.getName().equals("image")) {
                assertNotNull(in.getDescription(), "hint for " + in.getName());
            }
        }
        assertEquals("years", info.getInput("age").get("units"));
        assertEquals("voxels", info.getInput("hottest_voxels").get("units"));
    }
}
