package org.dopaj.wmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.dopaj.DopajException;
import org.dopaj.image.Affines;
import org.dopaj.image.Volume;
import org.dopaj.io.ImageFiles;

/**
 * Where the lesions a method misses lie: over the cases {@link WmhEvaluation} saved with {@code --save DIR}, the true
 * lesion voxels and the share of them the method marked, by 10 mm band of MNI z (through the head's own registration,
 * the one the lesions were drawn with), and the method's voxels outside the truth. Command:
 * <pre>
 * java -cp "$(./dopaj --classpath)" org.dopaj.wmh.WmhFoundByLevel runs/eval/heldout ../shared/data niivue_otsu network
 * </pre>
 */
public final class WmhFoundByLevel {
    private WmhFoundByLevel() {
    }

    /** Band (lower edge, mm) → {true voxels, true voxels marked, marked voxels outside the truth}. */
    public static TreeMap<Integer, long[]> count(Path saved, LesionSynthesis.Head head, String method) throws IOException {
        double[][] toMni = Affines.multiply(head.movingToFixed().matrix(), head.t1().grid().affine());
        TreeMap<Integer, long[]> bands = new TreeMap<>();
        List<Path> truths;
        try (Stream<Path> s = Files.list(saved)) {
            truths = s.filter(p -> p.getFileName().toString().startsWith(head.name() + "_")
                    && p.getFileName().toString().endsWith("_truth.nii.gz")).sorted().toList();
        }
        if (truths.isEmpty()) {
            throw new DopajException("no saved cases of " + head.name() + " in " + saved);
        }
        for (Path tp : truths) {
            Path mp = tp.resolveSibling(tp.getFileName().toString().replace("_truth.nii.gz", "_" + method + ".nii.gz"));
            if (!Files.isRegularFile(mp)) {
                throw new DopajException("no " + method + " mask beside " + tp);
            }
            Volume truth = ImageFiles.read(tp);
            Volume mask = ImageFiles.read(mp);
            int nx = truth.nx();
            for (int z = 0; z < truth.nz(); z++) {
                float[] t = truth.plane(z);
                float[] m = mask.plane(z);
                for (int i = 0; i < t.length; i++) {
                    boolean tv = t[i] > 0;
                    boolean mv = m[i] > 0;
                    if (!tv && !mv) {
                        continue;
                    }
                    int x = i % nx;
                    int y = i / nx;
                    double zMni = toMni[2][0] * x + toMni[2][1] * y + toMni[2][2] * z + toMni[2][3];
                    long[] c = bands.computeIfAbsent((int) Math.floor(zMni / 10) * 10, k -> new long[3]);
                    c[0] += tv ? 1 : 0;
                    c[1] += tv && mv ? 1 : 0;
                    c[2] += !tv ? 1 : 0;
                }
            }
        }
        return bands;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new DopajException("usage: WmhFoundByLevel SAVED_DIR SHARED_DATA HEAD[,HEAD...] METHOD");
        }
        for (String name : args[2].split(",")) {
            LesionSynthesis.Head h = LesionSynthesis.head(Path.of(args[1]), name);
            TreeMap<Integer, long[]> bands = count(Path.of(args[0]), h, args[3]);
            long all = bands.values().stream().mapToLong(c -> c[0]).sum();
            System.out.println("| head | MNI z (mm) | share of the true lesion voxels | of them marked by " + args[3]
                    + " | marked outside the truth (voxels) |");
            System.out.println("|---|---|---|---|---|");
            bands.forEach((k, c) -> System.out.printf(Locale.ROOT, "| %s | %d to %d | %.1f %% | %.1f %% | %d |%n", name, k,
                    k + 10, 100.0 * c[0] / Math.max(1, all), 100.0 * c[1] / Math.max(1, c[0]), c[2]));
        }
    }
}
