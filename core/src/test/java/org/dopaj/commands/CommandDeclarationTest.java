package org.dopaj.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.dopaj.batch.BatchTasks;
import org.dopaj.brainmask.BrainMaskModel;
import org.dopaj.cam.ColorMap;
import org.dopaj.cli.Main;
import org.dopaj.msa.MsaTask;
import org.dopaj.nigrosome.Units;
import org.dopaj.wmh.WmhSegmenter;
import org.junit.jupiter.api.Test;
import org.scijava.command.CommandInfo;
import org.scijava.module.ModuleItem;

/**
 * Each action is declared once — its SciJava command — and the other faces must not drift from it: the ImageJ 1 menu
 * (plugins.config) runs the command through {@link Ij1Adapter}, whose macro keys are the parameter names; every macro
 * line in README.md and docs/ uses only those keys (or their declared older aliases); and every parameter is a CLI
 * option of the action's {@code dopaj} command under the kebab-case of the same name, unless its declaration names the
 * legacy CLI spelling ({@code @Attr(name = "cli", value = "--hottest")}), says it is a positional argument
 * ({@code "positional"}) or says it has no CLI counterpart because it only steers Fiji's display ({@code "none"}).
 * The CLI is probed as a user would call it: an option it does not know is refused with "unknown option".
 */
class CommandDeclarationTest {
    /** The menu label → command class of every plugins.config entry that goes through the adapter. */
    static Map<String, String> adapted() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        Pattern p = Pattern.compile("^[^#].*?,\\s*\"([^\"]+)\",\\s*org\\.dopaj\\.commands\\.Ij1Adapter\\(\"([^\"]+)\"\\)\\s*$");
        for (String line : Files.readAllLines(Path.of("core/src/main/resources/plugins.config"))) {
            Matcher x = p.matcher(line);
            if (x.matches()) {
                m.put(x.group(1), x.group(2));
            }
        }
        return m;
    }

    @Test
    void everyMenuCommandIsASciJavaCommandWithTheSameMenuPathAndLabel() throws IOException {
        Map<String, String> adapted = adapted();
        assertTrue(adapted.size() >= 3, "plugins.config entries through Ij1Adapter: " + adapted);
        for (Map.Entry<String, String> e : adapted.entrySet()) {
            CommandInfo info = Ij1Adapter.info(e.getValue());
            assertEquals(e.getKey(), info.getLabel(), "the SciJava label is the ImageJ 1 menu label");
            assertNotNull(info.getMenuPath(), e.getValue() + " has a menuPath");
            assertEquals(e.getKey(), info.getMenuPath().getLeaf().getName(), "menu leaf of " + e.getValue());
            assertNotNull(info.get("cli"), e.getValue() + ": @Plugin attrs name the dopaj command (cli=...)");
            for (ModuleItem<?> in : info.inputs()) {
                assertTrue(in.getName().matches("[a-z][a-z0-9_]*"), "snake_case name " + in.getName());
            }
        }
    }

    private static String kebab(String name) {
        return "--" + name.replace('_', '-');
    }

    /** The CLI's answer to {@code args} (stderr), run in-process as {@code dopaj args...}. */
    private static String cli(List<String> args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
             PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
            Main.run(args, po, pe);
        }
        return e.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everyParameterIsTheSameOptionOnTheCommandLine() throws IOException {
        List<String> drift = new ArrayList<>();
        int probed = 0;
        for (String cls : adapted().values()) {
            CommandInfo info = Ij1Adapter.info(cls);
            String cmd = info.get("cli");
            if ("none".equals(cmd)) {
                continue;
            }
            List<String> control = new ArrayList<>(List.of(cmd.split(" ")));
            control.addAll(List.of("/nonexistent/dopaj-drift-probe.nii.gz", "--dopaj-no-such-option"));
            assertTrue(cli(control).contains("unknown option --dopaj-no-such-option"), "dopaj " + cmd
                    + " must refuse an unknown option, or this probe proves nothing: " + cli(control));
            for (ModuleItem<?> in : info.inputs()) {
                String spelling = in.get("cli");
                if ("none".equals(spelling) || "positional".equals(spelling)) {
                    continue;
                }
                List<String> options = spelling == null ? List.of(kebab(in.getName())) : List.of(spelling.split(" "));
                if (spelling != null) {
                    assertFalse(options.contains(kebab(in.getName())), cls + " " + in.getName()
                            + ": an alias equal to the derived name is noise");
                }
                for (String opt : options) {
                    List<String> args = new ArrayList<>(List.of(cmd.split(" ")));
                    args.add("/nonexistent/dopaj-drift-probe.nii.gz");
                    args.add(opt);
                    String err = cli(args);
                    probed++;
                    if (err.contains("unknown option " + opt)) {
                        drift.add("dopaj " + cmd + " has no " + opt + " for " + cls.replace("org.dopaj.commands.", "")
                                + "." + in.getName());
                    }
                }
            }
        }
        assertTrue(probed >= 5, "options probed: " + probed);
        assertEquals(List.of(), drift, "a SciJava parameter and its CLI option differ: rename one, or declare the"
                + " legacy CLI spelling with @Attr(name = \"cli\", ...)");
    }

    @Test
    void theCommandLinesHelpDescribesEachSharedOptionAsTheDialogDoes() throws IOException {
        int lines = 0;
        for (String cls : adapted().values()) {
            CommandInfo info = Ij1Adapter.info(cls);
            String cmd = info.get("cli");
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
                 PrintStream pe = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
                assertEquals(0, Main.run(List.of(cmd.split(" ")[0], "--help"), po, pe), cmd);
            }
            List<String> help = o.toString(StandardCharsets.UTF_8).lines().collect(Collectors.toList());
            for (ModuleItem<?> in : info.inputs()) {
                String spelling = in.get("cli");
                if ("none".equals(spelling) || "positional".equals(spelling)) {
                    continue;
                }
                String option = spelling == null ? kebab(in.getName()) : spelling.replace(" ", ", ");
                String line = help.stream().filter(l -> l.trim().startsWith(option + " ")
                        && l.contains("[" + in.getName() + "]")).findFirst().orElse(null);
                assertNotNull(line, "dopaj " + cmd + " --help has no line for " + option + " [" + in.getName() + "]:\n"
                        + String.join("\n", help));
                assertTrue(line.contains(in.getDescription()), line);
                lines++;
            }
        }
        assertTrue(lines >= 20, "help lines checked: " + lines);
    }

    /** Keys of every {@code run("Label", "...")} line in the README and the docs, by label. */
    static Map<String, List<String>> documentedKeys() throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        Pattern run = Pattern.compile("run\\(\"([^\"]+)\"(?:,\\s*\"([^\"]*)\")?\\)");
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> s = Files.walk(Path.of("docs"))) {
            files.addAll(s.filter(f -> f.toString().endsWith(".md")).collect(Collectors.toList()));
        }
        for (Path f : files) {
            Matcher m = run.matcher(Files.readString(f));
            while (m.find()) {
                List<String> k = keys.computeIfAbsent(m.group(1), x -> new ArrayList<>());
                if (m.group(2) != null) {
                    // key=value, key=[value with spaces], or a bare checkbox key
                    Matcher kv = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(=(\\[[^\\]]*\\]|\\S*))?").matcher(m.group(2));
                    while (kv.find()) {
                        k.add(kv.group(1));
                    }
                }
            }
        }
        return keys;
    }

    @Test
    void everyDocumentedMacroKeyIsAParameterOrADeclaredAlias() throws IOException {
        Map<String, String> adapted = adapted();
        Map<String, List<String>> documented = documentedKeys();
        int checked = 0;
        for (Map.Entry<String, List<String>> e : documented.entrySet()) {
            String cls = adapted.get(e.getKey());
            if (cls == null) {
                continue; // NIfTI import/export and other hand-written ImageJ 1 plugins
            }
            CommandInfo info = Ij1Adapter.info(cls);
            List<String> known = new ArrayList<>();
            for (ModuleItem<?> in : info.inputs()) {
                known.add(in.getName());
                String a = in.get("aliases");
                if (a != null) {
                    known.addAll(Arrays.asList(a.split("\\s*,\\s*")));
                }
            }
            for (String k : e.getValue()) {
                assertTrue(known.contains(k), "run(\"" + e.getKey() + "\") in the docs uses key '" + k + "', which "
                        + cls + " does not declare: " + known);
                checked++;
            }
        }
        assertTrue(checked >= 10, "documented keys checked: " + checked);
    }

    private static List<String> choices(Class<?> cls, String name) {
        CommandInfo info = Ij1Adapter.info(cls.getName());
        return info.getInput(name).getChoices().stream().map(String::valueOf).collect(Collectors.toList());
    }

    private static List<String> lower(Enum<?>[] values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.toList());
    }

    @Test
    void choicesAreTheOnesOfTheCodeThatOwnsThem() {
        assertEquals(ColorMap.NAMES, choices(SpectClassifyCommand.class, "colour_map"));
        assertEquals(lower(BrainMaskModel.Convention.values()), choices(BrainMaskCommand.class, "convention"));
        assertEquals(lower(WmhSegmenter.Method.values()), choices(WmhCommand.class, "method"));
        assertEquals(ColorMap.NAMES, choices(WmhCommand.class, "colour_map"));
        assertEquals(ColorMap.NAMES, choices(MsaPdCommand.class, "colour_map"));
        assertEquals(Arrays.stream(MsaTask.values()).map(MsaTask::id).collect(Collectors.toList()),
                choices(MsaPdCommand.class, "task"));
        assertEquals(BatchTasks.CAPABILITIES, choices(BatchAnalysisCommand.class, "capability"));
        assertEquals(lower(Units.values()), choices(NigrosomeCropCommand.class, "units"));
        assertEquals(lower(Units.values()), choices(NigrosomePredictCommand.class, "units"));
    }
}
