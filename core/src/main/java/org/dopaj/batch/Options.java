package org.dopaj.batch;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.dopaj.DopajException;

/** Checks of a task's batch-wide options, all before any case runs, each naming the option as the CLI spells it. */
final class Options {
    private Options() {
    }

    static void allow(Map<String, String> given, Set<String> allowed) {
        for (String k : given.keySet()) {
            if (!allowed.contains(k)) {
                throw new DopajException("option --" + k + " is not one of this capability's batch options ("
                        + String.join(", ", new TreeSet<>(allowed).stream().map(s -> "--" + s).toList()) + ")");
            }
        }
    }

    static int integer(Map<String, String> o, String key, int min, int max) {
        String v = o.get(key);
        try {
            int i = Integer.parseInt(v.trim());
            if (i < min || i > max) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException | NullPointerException e) {
            throw new DopajException("option --" + key + " needs an integer " + min + ".." + max + ", got '" + v + "'");
        }
    }

    static double number(Map<String, String> o, String key, double dflt, double min, double max) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (!(d >= min && d <= max)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new DopajException("option --" + key + " needs a number " + min + ".." + max + ", got '" + v + "'");
        }
    }

    static Path file(Map<String, String> o, String key) {
        Path p = Path.of(o.get(key));
        if (!Files.isRegularFile(p)) {
            throw new DopajException("--" + key + " " + p + ": file not found");
        }
        return p;
    }

    /** A manifest's age in years. */
    static double age(String text) {
        try {
            double a = Double.parseDouble(text.trim());
            if (a >= 0 && a <= 130) {
                return a;
            }
        } catch (NumberFormatException e) {
            // named below
        }
        throw new DopajException("age '" + text + "' is not an age in years (0..130)");
    }
}
