package org.dopaj.msa;

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
import java.util.function.Consumer;

/**
 * Phantom subjects as the network sees them (4 mm pooled GD and prepared MD channels, {@link MsaCnn}), cached on disk
 * in chunks of {@value #CHUNK} so that training runs, splits and evaluations share them and a killed run resumes.
 *
 * <p>Subject i of a part has seed {@code seedBase + i} and subtype {@link #subtypeOf}(i): of every 12 subjects 6 PD, 3
 * MSA-P, 2 MSA-C and 1 MSA-PC (so PD/MSA is balanced; MSA-P : C : PC ≈ 50 : 33 : 17, near the paper's 50 : 33 : 9).
 */
public final class MsaData {
    static final int CHUNK = 50;
    private static final int MAGIC = 0x4d534131;

    /** One subject. */
    public record Item(long seed, MsaSubtype subtype, double severity, double age, float[] gd, float[] md) {
        /** The network input of {@code modality}, [x][y][z][c]. */
        public float[] input(MsaModality modality) {
            return switch (modality) {
                case GD -> gd;
                case MD -> md;
                case GD_MD -> MsaCnn.interleave(gd, md);
            };
        }
    }

    private MsaData() {
    }

    /** The subtype of subject index i. */
    public static MsaSubtype subtypeOf(int i) {
        return MsaSubtype.ofCohortIndex(i);
    }

    /** Makes one subject's record. */
    public static Item make(MsaAnatomy anatomy, MsaPhantom.Params p, long seed, MsaSubtype subtype) {
        MsaPhantom.Subject s = MsaPhantom.generate(anatomy, p, seed, subtype);
        return new Item(seed, subtype, s.severity(), s.age(), MsaCnn.pooled(MsaCnn.prepareGd(s.gd())),
                MsaCnn.pooled(MsaCnn.prepareMd(s.md())));
    }

    /** Subjects {@code seedBase + i}, i &lt; n, of {@code family}, from {@code dir} or drawn and stored there. */
    public static List<Item> load(Path dir, MsaFamily family, MsaAnatomy anatomy, String part, long seedBase, int n,
                                  Consumer<String> log) throws IOException {
        if (family == MsaFamily.MIXED_WIDE) {
            throw new IllegalArgumentException("family mixed-wide is drawn on several anatomies: pass them all");
        }
        return load(dir, family, new MsaAnatomy[] {anatomy}, part, seedBase, n, log);
    }

    /**
     * As above for a family drawn on several anatomies ({@link MsaFamily#anatomies}, in that order): subject
     * {@code seed} on {@code anatomies[family.anatomyIndex(seed)]}.
     */
    public static List<Item> load(Path dir, MsaFamily family, MsaAnatomy[] anatomies, String part, long seedBase, int n,
                                  Consumer<String> log) throws IOException {
        Path d = dir.resolve(family.id());
        Files.createDirectories(d);
        List<Item> items = new ArrayList<>(n);
        for (int c = 0; c * CHUNK < n; c++) {
            int from = c * CHUNK;
            int to = Math.min(n, from + CHUNK);
            Path f = d.resolve(String.format(Locale.ROOT, "%s-%d-%05d-%d.bin", part, seedBase, from, to - from));
            List<Item> chunk = Files.isRegularFile(f) ? read(f) : null;
            if (chunk == null) {
                long t0 = System.nanoTime();
                chunk = new ArrayList<>();
                for (int i = from; i < to; i++) {
                    long seed = seedBase + i;
                    MsaAnatomy anatomy = anatomies[family.anatomyIndex(seed)];
                    chunk.add(make(anatomy, family.params(seed), seed, subtypeOf(i)));
                }
                write(f, chunk);
                log.accept(String.format(Locale.ROOT, "%s %s subjects %d-%d drawn (%.1f s)", family.id(), part, from,
                        to - 1, (System.nanoTime() - t0) / 1e9));
            }
            items.addAll(chunk);
        }
        return items;
    }

    static void write(Path f, List<Item> items) throws IOException {
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        try (DataOutputStream o = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16))) {
            o.writeInt(MAGIC);
            o.writeInt(items.size());
            for (Item it : items) {
                o.writeLong(it.seed());
                o.writeInt(it.subtype().ordinal());
                o.writeDouble(it.severity());
                o.writeDouble(it.age());
                for (float v : it.gd()) {
                    o.writeFloat(v);
                }
                for (float v : it.md()) {
                    o.writeFloat(v);
                }
            }
        }
        Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static List<Item> read(Path f) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(f), 1 << 16))) {
            if (in.readInt() != MAGIC) {
                return null;
            }
            int n = in.readInt();
            List<Item> items = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                long seed = in.readLong();
                MsaSubtype st = MsaSubtype.values()[in.readInt()];
                double sev = in.readDouble();
                double age = in.readDouble();
                float[] gd = new float[MsaCnn.SIZE];
                float[] md = new float[MsaCnn.SIZE];
                for (int i = 0; i < gd.length; i++) {
                    gd[i] = in.readFloat();
                }
                for (int i = 0; i < md.length; i++) {
                    md[i] = in.readFloat();
                }
                items.add(new Item(seed, st, sev, age, gd, md));
            }
            return items;
        }
    }
}
