package org.dopaj.spect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.dopaj.DopajException;

/**
 * Normal values of SBR metrics (from healthy controls) for z-scores. CSV, one metric per line:
 * {@code region,mean,sd[,age_slope,ref_age]}. An optional header line starting with {@code region} and lines
 * starting with {@code #} are skipped. {@code region} is a metric key of {@link SbrResult#metrics()} (e.g.
 * {@code putamen_l}, {@code striatum_r}, {@code putamen_l_hottest}, {@code putamen_asymmetry},
 * {@code putamen_caudate_ratio_l}). With {@code age_slope} (SBR change per year) and {@code ref_age} (years),
 * the expected value at age a is {@code mean + age_slope·(a − ref_age)}; z = (value − expected) / sd.
 */
public final class NormalDatabase {
    /** One line of the database. */
    public record Entry(String metric, double mean, double sd, double ageSlope, double refAge, boolean ageAdjusted) {
        /** Expected value at {@code age} (the plain mean when the entry has no age slope). */
        public double expected(Double age) {
            if (!ageAdjusted) {
                return mean;
            }
            if (age == null) {
                throw new DopajException("normal database: '" + metric + "' is age-adjusted: give the patient's age");
            }
            return mean + ageSlope * (age - refAge);
        }

        /** z-score of {@code value}. */
        public double z(double value, Double age) {
            return (value - expected(age)) / sd;
        }
    }

    private final Map<String, Entry> entries;
    private final String source;

    private NormalDatabase(Map<String, Entry> entries, String source) {
        this.entries = Collections.unmodifiableMap(entries);
        this.source = source;
    }

    /** Reads the CSV file. */
    public static NormalDatabase read(Path csv) {
        try {
            return parse(Files.readString(csv, StandardCharsets.UTF_8), csv.toString());
        } catch (IOException e) {
            throw new DopajException("normal database " + csv + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Parses CSV text; {@code source} names it in messages. */
    public static NormalDatabase parse(String text, String source) {
        Map<String, Entry> m = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(",", -1);
            String where = source + " line " + (n + 1);
            if (f[0].trim().equalsIgnoreCase("region")) {
                continue;
            }
            if (f.length != 3 && f.length != 5) {
                throw new DopajException(where + ": expected region,mean,sd[,age_slope,ref_age], got " + f.length + " fields");
            }
            String metric = f[0].trim().toLowerCase(Locale.ROOT);
            if (metric.isEmpty()) {
                throw new DopajException(where + ": empty region");
            }
            if (m.containsKey(metric)) {
                throw new DopajException(where + ": region '" + metric + "' is given twice");
            }
            double mean = number(f[1], "mean", where);
            double sd = number(f[2], "sd", where);
            if (!(sd > 0)) {
                throw new DopajException(where + ": sd must be > 0, got " + sd);
            }
            boolean adj = f.length == 5;
            double slope = adj ? number(f[3], "age_slope", where) : 0;
            double ref = adj ? number(f[4], "ref_age", where) : 0;
            m.put(metric, new Entry(metric, mean, sd, slope, ref, adj));
        }
        if (m.isEmpty()) {
            throw new DopajException("normal database " + source + " holds no entry");
        }
        return new NormalDatabase(m, source);
    }

    private static double number(String s, String what, String where) {
        try {
            double d = Double.parseDouble(s.trim());
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new DopajException(where + ": " + what + " '" + s.trim() + "' is not a finite number");
        }
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public String source() {
        return source;
    }
}
