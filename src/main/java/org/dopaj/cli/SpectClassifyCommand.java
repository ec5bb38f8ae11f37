package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.spect.DatClassification;
import org.dopaj.spect.SpectClassifier;

/**
 * {@code dopaj spect-classify FILE [--cam OUT.nii.gz] [--model ID|DIR] [--device auto|cpu|gpu] [--force] [--json]}:
 * normal vs parkinsonian with the bundled DaT-SPECT CNN ({@link SpectClassifier}), optionally writing the Grad-CAM map
 * on the input grid. The CAM output is checked before the (slower) model runs and written atomically.
 */
final class SpectClassifyCommand implements CliCommand {
    @Override
    public String name() {
        return "spect-classify";
    }

    @Override
    public String usage() {
        return "spect-classify FILE [--cam OUT.nii.gz] [--model ID|DIR] [--device auto|cpu|gpu] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of("cam", "model", "device"), Set.of("json", "force"));
        Path file = Path.of(a.positional(0, "FILE (the spatially normalised DaT-SPECT volume)"));
        CliSupport.maxPositionals(a, 1, usage());
        Path camPath = a.has("cam") ? Path.of(a.option("cam")) : null;
        CliSupport.requireFile(file);
        if (camPath != null) {
            if (!CliSupport.isNiftiOutput(camPath)) {
                throw new DopajException(camPath + ": --cam output must be named .nii or .nii.gz");
            }
            CliSupport.checkOutput(camPath, a.flag("force"), file);
        }
        ComputeDevice device = ComputeDevice.parse(a.option("device", System.getProperty(ComputeDevice.PROPERTY)));
        Path modelDir = a.has("model") ? ModelRegistry.find(a.option("model")) : SpectClassifier.bundledModel();
        Volume image;
        try {
            image = ImageFiles.read(file);
        } catch (DopajException e) {
            throw CliSupport.naming(file, e);
        }
        DatClassification r;
        try (SpectClassifier c = SpectClassifier.load(modelDir, device)) {
            r = c.classify(image);
        } catch (DopajException e) {
            throw CliSupport.naming(file, e);
        }
        if (camPath != null) {
            ImageFiles.write(r.cam(), camPath);
        }
        for (String w : r.warnings()) {
            err.println("dopaj spect-classify: warning: " + w);
        }
        Map<String, Object> m = r.toMap();
        m.put("cam", camPath == null ? null : camPath.toString());
        if (a.flag("json")) {
            CliSupport.printJson(out, m);
        } else {
            out.printf(Locale.ROOT, "%s: %s (probability parkinsonian %.3f, model %s)%s%n", file, r.label(),
                    r.probabilityParkinsonian(), r.modelId(), camPath == null ? "" : "; CAM written to " + camPath);
            out.println("  " + DatClassification.NOTICE);
        }
        return 0;
    }
}
