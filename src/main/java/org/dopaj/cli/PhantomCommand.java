package org.dopaj.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;
import org.dopaj.image.Volume;
import org.dopaj.io.Nifti;
import org.dopaj.io.NiftiDatatype;
import org.dopaj.io.NiftiHeader;
import org.dopaj.phantom.HeadPhantom;

/**
 * {@code dopaj phantom KIND ...}: writes deterministic digital phantoms (samples and test objects with known
 * ground truth). A dispatcher on its first positional: each kind is a {@link CliCommand} in {@link #kinds()}
 * ({@code head} now; DaT-SPECT and SMWI phantoms join the map as their packages arrive).
 */
final class PhantomCommand extends DispatchCommand {
    @Override
    Map<String, CliCommand> kinds() {
        Map<String, CliCommand> m = new LinkedHashMap<>();
        CliCommand head = new Head();
        m.put(head.name(), head);
        CliCommand smwi = new SmwiPhantomCommand();
        m.put(smwi.name(), smwi);
        return m;
    }

    @Override
    public String name() {
        return "phantom";
    }

    /**
     * {@code head OUT [--seed N] [--noise SD] [--mask MASKOUT] [--force] [--json]}: the T1-like
     * {@link HeadPhantom} on the FSL MNI152 2 mm grid, written as int16 NIfTI (sform/qform code "mni"), and
     * optionally its brain mask as uint8. Same seed and noise, same bytes.
     */
    static final class Head implements CliCommand {
        /**
         * Default noise SD in phantom intensity units (grey matter 75, white matter 110: SNR about 100). Kept low
         * because noise is what makes the gzip file large: 1 gives a 281 kB sample, 2 gives 342 kB (measured).
         */
        static final double DEFAULT_NOISE = 1.0;

        @Override
        public String name() {
            return "head";
        }

        @Override
        public String usage() {
            return "head OUT [--seed N] [--noise SD] [--mask MASKOUT] [--force] [--json]";
        }

        @Override
        public int run(List<String> argv, PrintStream out, PrintStream err) {
            Args a = Args.parse(argv, Set.of("seed", "noise", "mask"), Set.of("force", "json"));
            Path t1Path = Path.of(a.positional(0, "OUT (the phantom's .nii or .nii.gz file)"));
            CliSupport.maxPositionals(a, 1, "phantom " + usage());
            long seed = CliSupport.longOption(a, "seed", 1);
            double noise = a.number("noise", DEFAULT_NOISE);
            if (!(noise >= 0) || !Double.isFinite(noise)) {
                throw new DopajException("option --noise must be a finite SD ≥ 0, got " + a.option("noise"));
            }
            Path maskPath = a.has("mask") ? Path.of(a.option("mask")) : null;
            requireNiftiName(t1Path);
            CliSupport.checkOutput(t1Path, a.flag("force"));
            if (maskPath != null) {
                requireNiftiName(maskPath);
                if (CliSupport.sameFile(maskPath, t1Path)) {
                    throw new DopajException(maskPath + ": --mask must name another file than OUT");
                }
                CliSupport.checkOutput(maskPath, a.flag("force"));
            }
            HeadPhantom.Head head = HeadPhantom.generate(HeadPhantom.mni2mm(), noise, seed);
            String what = String.format(java.util.Locale.ROOT, "DopaJ head phantom seed=%d noise=%s", seed, noise);
            write(head.t1(), t1Path, what, NiftiDatatype.INT16);
            if (maskPath != null) {
                write(head.brainMask(), maskPath, what + " brain mask", NiftiDatatype.UINT8);
            }
            long brain = 0;
            for (float[] p : head.brainMask().planes()) {
                for (float v : p) {
                    if (v != 0) {
                        brain++;
                    }
                }
            }
            if (a.flag("json")) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("output", t1Path.toString());
                m.put("mask", maskPath == null ? null : maskPath.toString());
                m.put("kind", "head");
                m.put("seed", seed);
                m.put("noise", noise);
                m.put("dims", head.t1().grid().dims());
                m.put("voxel_mm", head.t1().grid().voxelMm());
                m.put("orientation", head.t1().grid().orientation());
                m.put("datatype", NiftiDatatype.INT16.label());
                m.put("brain_voxels", brain);
                m.put("brain_ml", brain * head.t1().grid().voxelVolumeMm3() / 1000.0);
                m.put("notice", CliSupport.NOTICE + " Synthetic phantom, not anatomy.");
                CliSupport.printJson(out, m);
            } else {
                out.println("wrote " + t1Path + (maskPath != null ? " and " + maskPath : "") + " (head phantom, seed "
                        + seed + ", noise " + noise + ", " + head.t1().grid() + ")");
            }
            return 0;
        }

        private static void requireNiftiName(Path p) {
            if (!CliSupport.isNiftiOutput(p)) {
                throw new DopajException(p + ": phantom output must be named .nii or .nii.gz");
            }
        }

        private static void write(Volume v, Path file, String descrip, NiftiDatatype type) {
            NiftiHeader t = new NiftiHeader();
            t.sformCode = NiftiHeader.XFORM_MNI;
            t.qformCode = NiftiHeader.XFORM_MNI;
            t.setDescrip(descrip);
            Nifti.write(v, file, t, type);
        }
    }
}
