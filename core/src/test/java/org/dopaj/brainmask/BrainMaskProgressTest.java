package org.dopaj.brainmask;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dopaj.DopajException;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.phantom.HeadPhantom;
import org.dopaj.progress.ProgressListener;
import org.junit.jupiter.api.Test;

/** The brain mask reports its progress (what Fiji's status and progress bars show) and stops when asked. */
class BrainMaskProgressTest {
    static final Volume HEAD = HeadPhantom.generate(HeadPhantom.mni2mm(), 3, 2).t1();

    @Test
    void progressRisesFromZeroToOneWithWhatIsRunning() {
        List<Double> fractions = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        try (BrainMasker m = BrainMasker.bundled(ComputeDevice.CPU)) {
            BrainMaskResult r = m.run(HEAD, 0, 0, (f, msg) -> {
                fractions.add(f);
                messages.add(msg);
            });
            assertTrue(r.volumeMl() > 1000);
        }
        assertEquals(0.0, fractions.get(0), 0);
        assertEquals(1.0, fractions.get(fractions.size() - 1), 0);
        for (int i = 1; i < fractions.size(); i++) {
            assertTrue(fractions.get(i) >= fractions.get(i - 1), "monotonic: " + fractions);
        }
        assertTrue(messages.stream().anyMatch(s -> s.startsWith("sagittal slices 1–")), messages.toString());
        assertTrue(messages.stream().anyMatch(s -> s.startsWith("axial slices 1–")), "all three planes: " + messages);
        assertTrue(fractions.size() >= 5, "several steps: " + fractions);
    }

    @Test
    void escapeStopsItBetweenBatches() {
        int[] polls = {0};
        ProgressListener stopAfterTwo = new ProgressListener() {
            @Override
            public void progress(double fraction, String message) {
            }

            @Override
            public boolean cancelled() {
                return ++polls[0] > 2;
            }
        };
        try (BrainMasker m = BrainMasker.bundled(ComputeDevice.CPU)) {
            DopajException e = assertThrows(DopajException.class, () -> m.run(HEAD, 0, 0, stopAfterTwo));
            assertEquals("brain mask cancelled", e.getMessage());
        }
        assertEquals(3, polls[0], "stopped at the first poll that said so");
    }
}
