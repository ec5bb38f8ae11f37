package org.dopaj.msa;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dopaj.dl.runtime.ComputeDevice;
import org.junit.jupiter.api.Test;

/**
 * A bundled model that separates even its own training family's held-out phantoms barely better than chance
 * (config.dopaj.own_test_accuracy below {@link MsaClassifier#WEAK_MODEL_ACCURACY}) says so in every result; a good one
 * does not.
 */
class MsaWeakModelTest {
    @Test
    void onlyAWeakModelWarnsThatItIsWeak() {
        Path weak = Path.of("models/msa-p-pd-gd");
        Path good = Path.of("models/msa-pd-gd-md");
        assumeTrue(Files.isDirectory(weak) && Files.isDirectory(good), "MSA packages not bundled");
        MsaPhantom.Subject s = MsaPhantom.generate(MsaAnatomy.aal(MsaSharedData.dir()), MsaPhantom.Params.FAMILY_A, 5,
                MsaSubtype.MSA_P);
        try (MsaClassifier c = MsaClassifier.load(weak, MsaTask.MSA_P, MsaModality.GD, ComputeDevice.CPU)) {
            MsaResult r = c.classify(MsaInputs.gd(s.gd(), "gd").map(), null, List.of());
            assertTrue(r.warnings().stream().anyMatch(w -> w.contains("weak evidence") && w.contains("msa-p-pd-gd")),
                    r.warnings().toString());
        }
        try (MsaClassifier c = MsaClassifier.load(good, MsaTask.MSA, MsaModality.GD_MD, ComputeDevice.CPU)) {
            MsaResult r = c.classify(MsaInputs.gd(s.gd(), "gd").map(), MsaInputs.md(s.md(), "md").map(), List.of());
            assertFalse(r.warnings().stream().anyMatch(w -> w.contains("weak evidence")), r.warnings().toString());
        }
    }
}
