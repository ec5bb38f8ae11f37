package org.dopaj.spect;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.dopaj.DopajException;
import org.dopaj.image.Gaussian;
import org.dopaj.image.Volume;

/**
 * Drawn DaT-SPECT subjects of one {@link DatFamily}, as the classifier and the SBR baselines see them, cached on disk
 * in chunks so that training, leave-one-family-out runs and evaluations share them and a killed run resumes: per
 * subject its label, severity, the pooled 4 mm SBR maps of the original and the 18 mm-smoothed volume
 * ({@link DatCnn#pooled}), and the lower-side putamen SBR and hottest-voxel putamen SBR of both
 * ({@link SbrQuantifier} defaults, NaN where quantification refused the image). A subject whose spatial
 * normalisation failed its quality check is kept with {@code failed} set: it counts as a failure in evaluations and
 * is left out of training.
 */
public final class DatData {
    static final int CHUNK = 25;
    static final int SIZE = DatCnn.PX * DatCnn.PY * DatCnn.PZ;

    /** One subject. {@code sbr} = {putamen orig, putamen smoothed, hottest orig, hottest smoothed}. */
    public record Item(long seed, int label, double severity, float[] original, float[] smoothed, double[] sbr,
                       boolean failed) {
    }

    private DatData() {
    }

    /** Makes one subject's record. */
    static Item make(DatFamily family, AtlasDatSampler sampler, DatFamily.SubjectCamera camera, long seed, int label) {
        DatSubjectSampler.Subject s;
        try {
            s = family.draw(sampler, seed, label, camera);
        } catch (DopajException e) {
            // a physics subject whose registration failed its quality check: recorded, never silently used
            return new Item(seed, label, 0, new float[SIZE], new float[SIZE], new double[] {Double.NaN, Double.NaN,
                Double.NaN, Double.NaN}, true);
        }
        Volume orig = s.image();
        Volume smooth = Gaussian.smooth(orig, DatSubjectSampler.SMOOTHING_FWHM_MM);
        double[] sbr = new double[4];
        Volume[] both = {orig, smooth};
        for (int k = 0; k < 2; k++) {
            try {
                SbrResult r = SbrQuantifier.defaults().quantify(both[k]);
                sbr[k] = r.lowerPutamenSbr();
                sbr[2 + k] = r.lowerPutamenHottestSbr();
            } catch (DopajException e) {
                sbr[k] = Double.NaN;
                sbr[2 + k] = Double.NaN;
            }
        }
        return new Item(seed, label, s.stage(), DatCnn.pooled(DatCnn.normalise(orig)),
                DatCnn.pooled(DatCnn.normalise(smooth)), sbr, false);
    }

    /**
     * Subjects {@code seedBase + i}, i &lt; n (label i % 2) of {@code family}, from {@code dir} or drawn and stored
     * there.
     */
    public static List<Item> load(Path dir, DatFamily family, AtlasDatSampler sampler, DatFamily.SubjectCamera camera,
                                  String part, long seedBase, int n, int threads, Consumer<String> log)
            throws IOException {
        Files.createDirectories(dir);
        List<Item> items = new ArrayList<>(n);
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            for (int from = 0; from < n; from += CHUNK) {
                int to = Math.min(n, from + CHUNK);
                // generator versions are part of the name: a changed sampler never reuses older subjects
                Path f = dir.resolve(String.format(Locale.ROOT, "%s-%s-%s%s-%d-%05d-%05d.bin", family.id(), part,
                        DatSubjectSampler.VERSION, family.physics() ? "-" + PhysicsCamera.VERSION : "", seedBase,
                        from, to));
                if (!Files.isRegularFile(f)) {
                    List<Future<Item>> jobs = new ArrayList<>();
                    for (int i = from; i < to; i++) {
                        long seed = seedBase + i;
                        int label = i % 2;
                        jobs.add(pool.submit(() -> make(family, sampler, camera, seed, label)));
                    }
                    Path tmp = dir.resolve("." + f.getFileName() + ".tmp");
                    try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp),
                            1 << 20))) {
                        for (Future<Item> j : jobs) {
                            write(o, j.get());
                        }
                    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
                        throw new IOException("drawing " + family.id() + " subjects failed: " + e.getCause(), e);
                    }
                    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    log.accept(family.id() + " " + part + " subjects " + to + "/" + n);
                }
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f),
                        1 << 20))) {
                    for (int i = from; i < to; i++) {
                        items.add(read(in));
                    }
                }
            }
        } finally {
            pool.shutdown();
        }
        return items;
    }

    private static void write(DataOutputStream o, Item it) throws IOException {
        o.writeLong(it.seed());
        o.writeInt(it.label());
        o.writeDouble(it.severity());
        o.writeBoolean(it.failed());
        for (double v : it.sbr()) {
            o.writeDouble(v);
        }
        writeFloats(o, it.original());
        writeFloats(o, it.smoothed());
    }

    private static Item read(DataInputStream in) throws IOException {
        long seed = in.readLong();
        int label = in.readInt();
        double sev = in.readDouble();
        boolean failed = in.readBoolean();
        double[] sbr = new double[4];
        for (int k = 0; k < 4; k++) {
            sbr[k] = in.readDouble();
        }
        return new Item(seed, label, sev, readFloats(in), readFloats(in), sbr, failed);
    }

    private static void writeFloats(DataOutputStream o, float[] a) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(a.length * 4);
        b.asFloatBuffer().put(a);
        o.write(b.array());
    }

    private static float[] readFloats(DataInputStream in) throws IOException {
        byte[] bytes = in.readNBytes(SIZE * 4);
        if (bytes.length != SIZE * 4) {
            throw new DopajException("phantom cache file is truncated");
        }
        float[] a = new float[SIZE];
        java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
        return a;
    }
}
