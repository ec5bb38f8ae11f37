package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ij.ImagePlus;
import ij.Macro;
import org.dopaj.image.DisplayOrientation.Convention;
import org.dopaj.image.ImagePlusBridge;
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
    void recordedOptionsReplayToTheSameValues() {
        Params p = NigrosomeFiji.centroidParams("Crop ROIs").folder("output_folder", "", "where");
        Macro.setOptions(null);
        Thread.currentThread().setName("Run$_test");
        try {
            Macro.setOptions("units=voxel");
            p.read();
            p.set("centroids", "left=35,52,18 right=82,47,18");
            p.set("voxel_size", "0.5,0.5,1");
            p.set("output_folder", "/tmp/a folder");
            String recorded = p.options();
            assertEquals("centroids=[left=35,52,18 right=82,47,18] units=voxel voxel_size=0.5,0.5,1"
                    + " output_folder=[/tmp/a folder]", recorded);
            Params replay = NigrosomeFiji.centroidParams("Crop ROIs").folder("output_folder", "", "where");
            Macro.setOptions(recorded);
            replay.read();
            for (String k : replay.keys()) {
                assertEquals(String.valueOf(p.getString(k)), String.valueOf(replay.getString(k)), k);
            }
        } finally {
            Macro.setOptions(null);
        }
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
