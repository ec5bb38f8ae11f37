package org.dopaj.nigrosome;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import org.dopaj.DopajException;
import org.dopaj.dl.train.Dataset;
import org.dopaj.dl.train.Sample;
import org.dopaj.image.Volume;

/**
 * Training crops for the nigrosome SBR regressor, made from {@link SmwiPhantom}s and cached on disk so a training
 * run (and a resumed one) reads the same samples without regenerating them.
 *
 * <p>Phantom p (0-based) has seed {@code baseSeed + p}; its left and right SBR are drawn independently and uniformly
 * in [{@code sbrMin}, {@code sbrMax}] from a generator keyed by that seed, so each nigrosome's contrast is tied to its
 * own side's SBR. Each phantom gives two samples: the left crop (sample 2p) and the right crop mirrored along x, the
 * left–right axis of the phantom grid (sample 2p+1), so that both look like a left nigrosome and one network serves
 * both sides. Each crop is cut around the true centroid rounded to the nearest voxel (as a user clicks a voxel) plus
 * a uniform integer jitter of ±{@code jitterInPlane} voxels in x and y and ±{@code jitterThroughPlane} in z (annotation
 * error). Sample inputs are the crop in tensor C order ([x][y][z][1]) divided by its mean — the preprocessing the
 * bundled package declares; the target is that side's SBR divided by {@link #TARGET_SCALE} (the package's
 * {@code output_scale} multiplies it back).
 *
 * <p>Files in the folder: {@code crops.f32} (little-endian float32, one 50 000-value crop after another),
 * {@code targets.csv} (sample, phantom, seed, side, sbr, centroid offset) and {@code meta.json} (the settings; written
 * last, so its presence means the set is complete). Everything is deterministic: the same settings give the same
 * bytes whatever the thread count.
 */
public final class SbrTrainingSet {
    /** SBR / TARGET_SCALE is what the network learns (values about 0.1–1.1 train faster than 0.5–4.5). */
    public static final double TARGET_SCALE = 4.0;
    static final String CROPS = "crops.f32";
    static final String TARGETS = "targets.csv";
    static final String META = "meta.json";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();

    /**
     * Settings of a training set.
     *
     * @param phantoms           number of phantoms (2 samples each)
     * @param baseSeed           seed of phantom 0; phantom p uses baseSeed + p
     * @param sbrMin             smallest SBR drawn per side
     * @param sbrMax             largest SBR drawn per side
     * @param jitterInPlane      centroid jitter, ± voxels in x and y
     * @param jitterThroughPlane centroid jitter, ± voxels in z
     */
    public record Settings(int phantoms, long baseSeed, double sbrMin, double sbrMax, int jitterInPlane,
                           int jitterThroughPlane, PhantomGenerator generator) {
        /** The first generator ({@code box}): the settings of the first bundled model. */
        public Settings(int phantoms, long baseSeed, double sbrMin, double sbrMax, int jitterInPlane,
                        int jitterThroughPlane) {
            this(phantoms, baseSeed, sbrMin, sbrMax, jitterInPlane, jitterThroughPlane, PhantomGenerator.BOX);
        }

        public Settings {
            if (phantoms < 1) {
                throw new DopajException("phantoms must be >= 1, got " + phantoms);
            }
            if (!(sbrMin > 0) || !(sbrMax > sbrMin)) {
                throw new DopajException("SBR range must satisfy 0 < min < max, got " + sbrMin + " … " + sbrMax);
            }
            if (jitterInPlane < 0 || jitterThroughPlane < 0) {
                throw new DopajException("jitter must be >= 0 voxels");
            }
        }

        /** The bundled model's settings: SBR 0.5–4.5 per side, jitter ±2 voxels in-plane and ±1 through-plane. */
        public static Settings defaults(int phantoms, long baseSeed) {
            return new Settings(phantoms, baseSeed, 0.5, 4.5, 2, 1);
        }

        /** The same with another phantom generator. */
        public Settings with(PhantomGenerator g) {
            return new Settings(phantoms, baseSeed, sbrMin, sbrMax, jitterInPlane, jitterThroughPlane, g);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("phantoms", phantoms);
            m.put("base_seed", baseSeed);
            m.put("sbr_min", sbrMin);
            m.put("sbr_max", sbrMax);
            m.put("jitter_in_plane_voxels", jitterInPlane);
            m.put("jitter_through_plane_voxels", jitterThroughPlane);
            if (generator != PhantomGenerator.BOX) {
                m.put("generator", generator.label());
            }
            return m;
        }
    }

    private final Path dir;
    private final Settings settings;
    private final int sampleSize;
    private final float[] targets;

    private SbrTrainingSet(Path dir, Settings settings, int sampleSize, float[] targets) {
        this.dir = dir;
        this.settings = settings;
        this.sampleSize = sampleSize;
        this.targets = targets;
    }

    public Settings settings() {
        return settings;
    }

    /** Number of samples (2 per phantom). */
    public int size() {
        return targets.length;
    }

    /**
     * Opens the set in {@code dir}, generating it first when absent (or made with other settings, in which case it is
     * regenerated). {@code progress} receives the number of phantoms done.
     */
    public static SbrTrainingSet openOrGenerate(Path dir, Settings s, IntConsumer progress) {
        Path meta = dir.resolve(META);
        if (Files.isRegularFile(meta)) {
            try {
                Map<?, ?> m = GSON.fromJson(Files.readString(meta), Map.class);
                Object saved = m.get("settings");
                if (GSON.toJson(saved).equals(GSON.toJson(GSON.fromJson(GSON.toJson(s.toMap()), Map.class)))) {
                    return open(dir, s);
                }
            } catch (IOException | RuntimeException e) {
                // unreadable metadata: regenerate below
            }
        }
        generate(dir, s, progress);
        return open(dir, s);
    }

    /** The SBRs of phantom {@code p}: {left, right}. */
    public static double[] sbrs(Settings s, int p) {
        SplittableRandom r = new SplittableRandom((s.baseSeed() + p) * 0x9E3779B97F4A7C15L + 17);
        double l = s.sbrMin() + (s.sbrMax() - s.sbrMin()) * r.nextDouble();
        double rt = s.sbrMin() + (s.sbrMax() - s.sbrMin()) * r.nextDouble();
        return new double[]{l, rt};
    }

    /** Samples 2p and 2p+1 of the set (inputs preprocessed, right mirrored), computed on demand. */
    static float[][] phantomSamples(Settings s, int p, int[][] offsets) {
        double[] sbr = sbrs(s, p);
        long seed = s.baseSeed() + p;
        SmwiPhantom.Result ph = s.generator().generate(sbr[0], sbr[1], seed);
        SplittableRandom jr = new SplittableRandom(seed * 31 + 7);
        NigrosomeCropper cropper = new NigrosomeCropper();
        float[][] out = new float[2][];
        for (Side side : Side.values()) {
            Centroid truth = ph.nigrosomes().get(side);
            int[] v = truth.nearestVoxel();
            int[] o = {jitter(jr, s.jitterInPlane()), jitter(jr, s.jitterInPlane()), jitter(jr, s.jitterThroughPlane())};
            Point3 pv = new Point3(v[0] + o[0], v[1] + o[1], v[2] + o[2]);
            Centroid c = new Centroid(side, pv, Point3.of(ph.smwi().grid().toMm(pv.x(), pv.y(), pv.z())));
            Volume crop = cropper.crop(ph.smwi(), c).volume();
            float[] t = NigrosomeCropper.toTensorCOrder(crop);
            divideByMean(t);
            if (side == Side.RIGHT) {
                t = flipX(t, crop.nx(), crop.ny(), crop.nz());
            }
            out[side.ordinal()] = t;
            if (offsets != null) {
                offsets[side.ordinal()] = o;
            }
        }
        return out;
    }

    private static int jitter(SplittableRandom r, int max) {
        return max == 0 ? 0 : r.nextInt(2 * max + 1) - max;
    }

    /** x / mean(x), as the package's {@code divide_by_mean} step. */
    static void divideByMean(float[] t) {
        double sum = 0;
        for (float v : t) {
            sum += v;
        }
        double mean = sum / t.length;
        if (!(mean > 0)) {
            throw new DopajException("crop mean is " + mean + ": cannot divide by it");
        }
        for (int i = 0; i < t.length; i++) {
            t[i] = (float) (t[i] / mean);
        }
    }

    /** Reverses the x axis (the slowest) of a [x][y][z] C-order array: the package's {@code flip_axis: x}. */
    static float[] flipX(float[] t, int nx, int ny, int nz) {
        float[] f = new float[t.length];
        int plane = ny * nz;
        for (int i = 0; i < nx; i++) {
            System.arraycopy(t, i * plane, f, (nx - 1 - i) * plane, plane);
        }
        return f;
    }

    /** Generates the set into {@code dir} (replacing what is there), phantoms in parallel, bytes deterministic. */
    public static void generate(Path dir, Settings s, IntConsumer progress) {
        int[] size = new NigrosomeCropper().size();
        int n = size[0] * size[1] * size[2];
        long bytes = (long) s.phantoms() * 2 * n * 4;
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(META));
            Path tmp = dir.resolve(CROPS + ".tmp");
            String[] rows = new String[s.phantoms() * 2];
            AtomicInteger done = new AtomicInteger();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.position(bytes - 1);
                ch.write(ByteBuffer.wrap(new byte[1]));
                IntStream.range(0, s.phantoms()).parallel().forEach(p -> {
                    int[][] off = new int[2][];
                    float[][] smp = phantomSamples(s, p, off);
                    double[] sbr = sbrs(s, p);
                    for (int side = 0; side < 2; side++) {
                        ByteBuffer b = ByteBuffer.allocate(n * 4).order(ByteOrder.LITTLE_ENDIAN);
                        b.asFloatBuffer().put(smp[side]);
                        try {
                            long pos = ((long) 2 * p + side) * n * 4;
                            while (b.hasRemaining()) {
                                pos += ch.write(b, pos);
                            }
                        } catch (IOException e) {
                            throw new DopajException("cannot write " + tmp + ": " + e.getMessage(), e);
                        }
                        rows[2 * p + side] = String.format(Locale.ROOT, "%d,%d,%d,%s,%.6f,%d,%d,%d", 2 * p + side, p,
                                s.baseSeed() + p, side == 0 ? "left" : "right_mirrored", sbr[side], off[side][0],
                                off[side][1], off[side][2]);
                    }
                    int d = done.incrementAndGet();
                    if (progress != null) {
                        progress.accept(d);
                    }
                });
            }
            Files.move(tmp, dir.resolve(CROPS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Path csv = dir.resolve(TARGETS + ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
                w.write("sample,phantom,seed,side,sbr,offset_x,offset_y,offset_z\n");
                for (String r : rows) {
                    w.write(r);
                    w.write('\n');
                }
            }
            Files.move(csv, dir.resolve(TARGETS), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("generator", SbrTrainingSet.class.getName());
            meta.put("settings", s.toMap());
            meta.put("samples", 2 * s.phantoms());
            meta.put("crop", List.of(size[0], size[1], size[2]));
            meta.put("layout", "float32 little-endian, [x][y][z] C order per sample, divided by its mean; right crops mirrored along x");
            meta.put("target", "sbr / " + TARGET_SCALE);
            Path mt = dir.resolve(META + ".tmp");
            Files.writeString(mt, GSON.toJson(meta), StandardCharsets.UTF_8);
            Files.move(mt, dir.resolve(META), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DopajException("cannot write training set " + dir + ": " + e.getMessage(), e);
        }
    }

    private static SbrTrainingSet open(Path dir, Settings s) {
        int[] size = new NigrosomeCropper().size();
        int n = size[0] * size[1] * size[2];
        try {
            List<String> lines = Files.readAllLines(dir.resolve(TARGETS), StandardCharsets.UTF_8);
            float[] t = new float[lines.size() - 1];
            for (int i = 1; i < lines.size(); i++) {
                t[i - 1] = (float) (Double.parseDouble(lines.get(i).split(",")[4]) / TARGET_SCALE);
            }
            if (Files.size(dir.resolve(CROPS)) != (long) t.length * n * 4) {
                throw new DopajException("training set " + dir + ": " + CROPS + " has the wrong size");
            }
            return new SbrTrainingSet(dir, s, n, t);
        } catch (IOException e) {
            throw new DopajException("cannot read training set " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The samples (memory-mapped; inputs [50][50][20][1] C order, target {sbr / TARGET_SCALE}). */
    public Dataset dataset() {
        MappedByteBuffer map;
        try (FileChannel ch = FileChannel.open(dir.resolve(CROPS), StandardOpenOption.READ)) {
            map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
        } catch (IOException e) {
            throw new DopajException("cannot map " + dir.resolve(CROPS) + ": " + e.getMessage(), e);
        }
        FloatBuffer all = map.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        return Dataset.generated(targets.length, i -> {
            float[] x = new float[sampleSize];
            all.duplicate().position(i * sampleSize).get(x);
            return new Sample(x, new float[]{targets[i]});
        });
    }

    /** Indices of the samples of phantoms {@code from} (inclusive) … {@code to} (exclusive). */
    public static int[] phantomRange(int from, int to) {
        int[] idx = new int[2 * (to - from)];
        for (int p = from; p < to; p++) {
            idx[2 * (p - from)] = 2 * p;
            idx[2 * (p - from) + 1] = 2 * p + 1;
        }
        return idx;
    }
}
