package org.dopaj.wmh;

import java.nio.file.Path;
import java.util.Locale;

import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.dl.model.ModelRegistry;
import org.dopaj.dl.runtime.ComputeDevice;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;

/**
 * Speed of the WMH pipeline on one head, after model loading: prints the load time, then per run the brain mask +
 * registration time, the rest (box, network or baseline, back to the input grid, volumes) and the total.
 *
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.wmh.WmhBench ../shared/data/realheads/niivue_otsu_t1.nii.gz \
 *      [--runs 3] [--method network|threshold] [--model models/wmh-unet3d]
 * </pre>
 */
public final class WmhBench {
    private WmhBench() {
    }

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: WmhBench T1 [--runs N] [--method network|threshold] [--model DIR]");
            System.exit(2);
        }
        Path in = Path.of(args[0]);
        int runs = 3;
        WmhSegmenter.Method method = WmhSegmenter.Method.NETWORK;
        String model = WmhModel.ID;
        for (int i = 1; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--method" -> method = WmhSegmenter.Method.parse(args[i + 1]);
                case "--model" -> model = args[i + 1];
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Volume t1 = ImageFiles.read(in);
        long t0 = System.nanoTime();
        try (WmhSegmenter s = WmhSegmenter.open(method, method == WmhSegmenter.Method.NETWORK
                ? ModelRegistry.find(model) : null, ModelRegistry.find(BrainMaskModel.ID), ComputeDevice.CPU)) {
            System.out.printf(Locale.ROOT, "%s: %d x %d x %d voxels, %s; %d cores; models loaded in %.2f s%n",
                    in.getFileName(), t1.nx(), t1.ny(), t1.nz(), method.name().toLowerCase(Locale.ROOT),
                    Runtime.getRuntime().availableProcessors(), (System.nanoTime() - t0) / 1e9);
            for (int r = 0; r < runs; r++) {
                long a = System.nanoTime();
                WmhSegmenter.Space sp = s.prepare(t1, null);
                long b = System.nanoTime();
                WmhResult res = s.run(t1, sp, null);
                long c = System.nanoTime();
                System.out.printf(Locale.ROOT, "run %d: brain mask + registration %.2f s, box + %s + back %.2f s, "
                        + "total %.2f s; WMH %.2f mL%n", r + 1, (b - a) / 1e9, method.name().toLowerCase(Locale.ROOT),
                        (c - b) / 1e9, (c - a) / 1e9, res.wmhMl());
            }
        }
    }
}
