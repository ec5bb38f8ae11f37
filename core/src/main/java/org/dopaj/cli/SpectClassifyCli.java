package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dopaj.DopajException;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;
import org.dopaj.spect.DatClassification;
import org.dopaj.spect.DatNormaliser;
import org.dopaj.spect.SpectClassifier;

/**
 * {@code dopaj spect-classify FILE [--cam OUT.nii.gz] [--model ID|DIR] [--device auto|cpu|gpu] [--no-normalise]
 * [--qc FILE.png] [--force] [--json]}: normal vs parkinsonian with the bundled DaT-SPECT CNN ({@link SpectClassifier}),
 * after spatial normalisation to DopaJ's template when the image is not in MNI space, optionally writing the
 * class-activation map on the input grid and the normalisation's QC picture. Outputs are checked before the (slower)
 * model runs and written atomically.
 */
final class SpectClassifyCli implements CliCommand {
    @Override
    public String name() {
        return "spect-classify";
    }

    @Override
    public String usage() {
        return "spect-classify FILE [--cam OUT.nii.gz] [--model ID|DIR] [--device auto|cpu|gpu] [--no-normalise]"
                + " [--qc FILE.png] [--force] [--json]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, DeclaredOptions.valued(name(), "cam", "device", "qc"),
                DeclaredOptions.flags(name(), "json", "force"));
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
        Path qc = SpectSbrCli.qcOutput(a, file);
        if (qc != null && camPath != null && CliSupport.sameFile(qc, camPath)) {
            throw new DopajException("--qc and --cam name the same file " + qc);
        }
        ComputeDevice device = ComputeDevice.parse(a.option("device", System.getProperty(ComputeDevice.PROPERTY)));
        Path modelDir = a.has("model") ? ModelRegistry.find(a.option("model")) : SpectClassifier.bundledModel();
        Volume image = SpectSbrCli.readSpect(file);
        // normalisation (and its refusals) before the model loads: a failed registration costs no engine start
        DatNormaliser.Normalised norm = SpectSbrCli.normalise(image, a, file, err, name());
        DatClassification r;
        try (SpectClassifier c = SpectClassifier.load(modelDir, device)) {
            r = c.classify(image, norm);
        } catch (DopajException e) {
            throw CliSupport.naming(file, e);
        }
        SpectSbrCli.writeQc(norm, qc, file);
        if (camPath != null) {
            ImageFiles.write(r.cam(), camPath);
        }
        for (String w : r.warnings()) {
            err.println("dopaj spect-classify: warning: " + w);
        }
        Map<String, Object> m = r.toMap();
        m.put("cam", camPath == null ? null : camPath.toString());
        m.put("qc", qc == null ? null : qc.toString());
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
