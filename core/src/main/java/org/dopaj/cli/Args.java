package org.dopaj.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.DopajException;

/**
 * Minimal GNU-style argument parsing: {@code --flag}, {@code --key value}, {@code --key=value},
 * {@code -o value}, and positionals. Unknown options are refused so a typo never passes silently.
 */
public final class Args {
    private final List<String> positionals = new ArrayList<>();
    private final Map<String, String> options = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    /**
     * @param valued option names (without dashes) that take a value, e.g. "left", "o"
     * @param booleans option names that are flags, e.g. "json", "mm"
     */
    public static Args parse(List<String> args, Set<String> valued, Set<String> booleans) {
        Args a = new Args();
        for (int i = 0; i < args.size(); i++) {
            String s = args.get(i);
            if (s.startsWith("-") && s.length() > 1 && !isNumber(s)) {
                String key = s.replaceFirst("^--?", "");
                String value = null;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                }
                if (booleans.contains(key)) {
                    if (value != null) {
                        throw new DopajException("option --" + key + " takes no value");
                    }
                    a.flags.add(key);
                } else if (valued.contains(key)) {
                    if (value == null) {
                        // "--out --json" must not take "--json" as the folder name: a value that looks like an
                        // option is a forgotten value (a value really starting with '-' can be given as --key=-x)
                        if (i + 1 >= args.size() || looksLikeOption(args.get(i + 1))) {
                            throw new DopajException("option " + s + " needs a value");
                        }
                        value = args.get(++i);
                    }
                    a.options.put(key, value);
                } else {
                    throw new DopajException("unknown option " + s);
                }
            } else {
                a.positionals.add(s);
            }
        }
        return a;
    }

    /** An option word: starts with '-' and is neither a number ("-3", "-1e5") nor a list of them ("-1,2,-3"). */
    static boolean looksLikeOption(String s) {
        if (!s.startsWith("-") || s.length() < 2) {
            return false;
        }
        char c = s.charAt(1);
        return !(Character.isDigit(c) || c == '.' || isNumber(s));
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public List<String> positionals() {
        return positionals;
    }

    /** Positional {@code i}, or an error naming {@code what} when it is missing. */
    public String positional(int i, String what) {
        if (i >= positionals.size()) {
            throw new DopajException("missing " + what);
        }
        return positionals.get(i);
    }

    public boolean flag(String name) {
        return flags.contains(name);
    }

    public String option(String name) {
        return options.get(name);
    }

    public String option(String name, String dflt) {
        return options.getOrDefault(name, dflt);
    }

    public boolean has(String name) {
        return options.containsKey(name);
    }

    /** Option as a double, or an error naming the option and the bad text. */
    public double number(String name, double dflt) {
        String v = options.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new DopajException("option --" + name + " needs a number, got '" + v + "'");
        }
    }

    public int integer(String name, int dflt) {
        String v = options.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new DopajException("option --" + name + " needs an integer, got '" + v + "'");
        }
    }
}
