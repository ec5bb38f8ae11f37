package org.dopaj.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

/**
 * The options a sub-command shares with a Fiji menu command — parsed ({@link #valued}, {@link #flags}) and explained
 * ({@link #help}) — read from that command's SciJava declaration — the one place the action's parameters are declared (docs/contributing.md) — so the help says
 * what the dialog says. The menu commands are found through {@code plugins.config} (entries run by
 * {@code org.dopaj.commands.Ij1Adapter}) and matched by their {@code cli} attribute; each parameter's option is the
 * kebab-case of its name, or the legacy spelling its {@code cli} attribute declares ({@code none}: Fiji display only,
 * {@code positional}: an argument). Read reflectively by class name, so the command line does not depend on the
 * ImageJ face at compile time; help never fails (an unreadable declaration gives no extra lines).
 */
final class DeclaredOptions {
    private static final Pattern ENTRY = Pattern.compile(
            "^[^#].*?,\\s*\"([^\"]+)\",\\s*org\\.dopaj\\.commands\\.Ij1Adapter\\(\"([^\"]+)\"\\)\\s*$");

    /** Option names (no dashes) by sub-command: [0] options with a value, [1] flags; read once. */
    private static final Map<String, List<Set<String>>> PARSED = new ConcurrentHashMap<>();

    private DeclaredOptions() {
    }

    /**
     * The options of sub-command {@code name} that take a value: those of its menu command's parameters spelled as
     * the parameter (kebab-case of the name; every type but {@code boolean}), plus the command line's own
     * {@code others} (its output options, {@code --json}, and the legacy spellings declared by a parameter's
     * {@code cli} attribute, whose value kind the command line decides). So a parameter added to a menu command is
     * an option of the command line without a second declaration.
     */
    static Set<String> valued(String name, String... others) {
        return union(parsed(name).get(0), others);
    }

    /** The flags of sub-command {@code name}: its menu command's {@code boolean} parameters, plus {@code others}. */
    static Set<String> flags(String name, String... others) {
        return union(parsed(name).get(1), others);
    }

    private static Set<String> union(Set<String> declared, String... others) {
        Set<String> all = new TreeSet<>(declared);
        all.addAll(Arrays.asList(others));
        return all;
    }

    private static List<Set<String>> parsed(String name) {
        return PARSED.computeIfAbsent(name, n -> {
            List<CommandInfo> declared;
            try {
                declared = declarations(n);
            } catch (Exception | LinkageError e) {
                throw new IllegalStateException("the menu commands' declarations (plugins.config) could not be read: " + e, e);
            }
            if (declared.isEmpty()) {
                throw new IllegalStateException("no menu command declares the options of 'dopaj " + n + "'");
            }
            Set<String> valued = new TreeSet<>();
            Set<String> flags = new TreeSet<>();
            for (CommandInfo info : declared) {
                for (ModuleItem<?> item : info.inputs()) {
                    if (item.get("cli") != null) {
                        continue; // none, positional, or a legacy spelling the command line parses itself
                    }
                    (item.getType() == boolean.class || item.getType() == Boolean.class ? flags : valued)
                            .add(option(item));
                }
            }
            return List.of(Set.copyOf(valued), Set.copyOf(flags));
        });
    }

    /** The menu commands (run through the ImageJ 1 adapter) whose {@code cli} attribute names sub-command {@code name}. */
    private static List<CommandInfo> declarations(String name) throws java.io.IOException, ClassNotFoundException {
        List<CommandInfo> out = new ArrayList<>();
        for (String className : adaptedCommands()) {
            Class<?> c = Class.forName(className, false, DeclaredOptions.class.getClassLoader());
            if (!Command.class.isAssignableFrom(c)) {
                continue;
            }
            CommandInfo info = new CommandInfo(c.asSubclass(Command.class));
            String cli = info.get("cli");
            if (cli != null && cli.split(" ")[0].equals(name)) {
                out.add(info);
            }
        }
        return out;
    }

    /** The option a parameter is on the command line without a legacy spelling: kebab-case of its name. */
    private static String option(ModuleItem<?> item) {
        return item.getName().replace('_', '-').toLowerCase(Locale.ROOT);
    }

    /** The command classes plugins.config runs through the ImageJ 1 adapter. */
    private static List<String> adaptedCommands() throws java.io.IOException {
        List<String> classes = new ArrayList<>();
        try (InputStream in = DeclaredOptions.class.getClassLoader().getResourceAsStream("plugins.config")) {
            if (in == null) {
                throw new java.io.IOException("plugins.config is not on the class path");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Matcher m = ENTRY.matcher(line);
                if (m.matches()) {
                    classes.add(m.group(2));
                }
            }
        }
        return classes;
    }

    /** Help lines for sub-command {@code name} (empty when no menu command shares its options). */
    static List<String> help(String name) {
        List<String> lines = new ArrayList<>();
        try {
            for (CommandInfo info : declarations(name)) {
                lines.addAll(help(info));
            }
        } catch (Exception | LinkageError e) {
            return List.of();
        }
        return lines;
    }

    private static List<String> help(CommandInfo info) {
        List<String> lines = new ArrayList<>();
        String menu = info.getMenuPath() == null ? info.getLabel() : info.getMenuPath().getMenuString(true)
                .replace(" > ", "›").replace(">", "›");
        lines.add("options shared with Fiji's " + menu + " (its macro key in brackets):");
        for (ModuleItem<?> item : info.inputs()) {
            String spelling = item.get("cli");
            if ("none".equals(spelling) || "positional".equals(spelling)) {
                continue;
            }
            String option = spelling != null ? spelling.replace(" ", ", ")
                    : "--" + option(item);
            StringBuilder text = new StringBuilder(item.getDescription() == null ? "" : item.getDescription());
            String units = item.get("units");
            if (units != null) {
                text.append(" (").append(units).append(')');
            }
            if (item.getChoices() != null && !item.getChoices().isEmpty() && spelling == null) {
                text.append("; one of ").append(String.join(", ", item.getChoices().stream().map(String::valueOf)
                        .toArray(String[]::new)));
            }
            lines.add(String.format(Locale.ROOT, "  %-18s [%s] %s", option, item.getName(), text));
        }
        return lines.size() > 1 ? lines : List.of();
    }
}
