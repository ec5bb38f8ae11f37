package org.dopaj.cli;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

/**
 * The {@code --help} text of the options a sub-command shares with a Fiji menu command, read from that command's
 * SciJava declaration — the one place the action's parameters are declared (docs/contributing.md) — so the help says
 * what the dialog says. The menu commands are found through {@code plugins.config} (entries run by
 * {@code org.dopaj.commands.Ij1Adapter}) and matched by their {@code cli} attribute; each parameter's option is the
 * kebab-case of its name, or the legacy spelling its {@code cli} attribute declares ({@code none}: Fiji display only,
 * {@code positional}: an argument). Read reflectively by class name, so the command line does not depend on the
 * ImageJ face at compile time; help never fails (an unreadable declaration gives no extra lines).
 */
final class DeclaredOptions {
    private static final Pattern ENTRY = Pattern.compile(
            "^[^#].*?,\\s*\"([^\"]+)\",\\s*org\\.dopaj\\.commands\\.Ij1Adapter\\(\"([^\"]+)\"\\)\\s*$");

    private DeclaredOptions() {
    }

    /** Help lines for sub-command {@code name} (empty when no menu command shares its options). */
    static List<String> help(String name) {
        List<String> lines = new ArrayList<>();
        try (InputStream in = DeclaredOptions.class.getClassLoader().getResourceAsStream("plugins.config")) {
            if (in == null) {
                return lines;
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                Matcher m = ENTRY.matcher(line);
                if (m.matches()) {
                    lines.addAll(help(name, m.group(2)));
                }
            }
        } catch (Exception | LinkageError e) {
            return List.of();
        }
        return lines;
    }

    private static List<String> help(String name, String className) throws ClassNotFoundException {
        Class<?> c = Class.forName(className, false, DeclaredOptions.class.getClassLoader());
        if (!Command.class.isAssignableFrom(c)) {
            return List.of();
        }
        CommandInfo info = new CommandInfo(c.asSubclass(Command.class));
        String cli = info.get("cli");
        if (cli == null || !cli.split(" ")[0].equals(name)) {
            return List.of();
        }
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
                    : "--" + item.getName().replace('_', '-').toLowerCase(Locale.ROOT);
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
