package org.dopaj.commands;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.gui.GenericDialog;
import ij.measure.ResultsTable;
import ij.plugin.PlugIn;
import ij.plugin.frame.Recorder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandInfo;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;
import org.scijava.widget.FileWidget;

/**
 * The one ImageJ 1 face of every DopaJ menu command: {@code plugins.config} names this class with a SciJava command's
 * class as its argument ({@code Plugins>DopaJ, "Brain Mask", org.dopaj.commands.Ij1Adapter("org.dopaj.commands.BrainMaskCommand")}),
 * and the adapter builds the dialog and the macro keys from that command's {@code @Parameter} inputs, runs it, and shows
 * its outputs. So a command is declared once, and plain ImageJ 1 and Fiji get the same parameters under the same names.
 *
 * <p>How inputs become a dialog (read through SciJava's {@link CommandInfo}; no SciJava {@link Context} is created,
 * since plain ImageJ 1 has none and the commands need no services — {@link #info} refuses a command that asks for one):
 * <ul>
 * <li>the key is the parameter's name (snake_case) and doubles as the dialog label, so a recorded macro line and a CLI
 * line read alike; the {@code description} is shown under the field, the attribute {@code units} beside a number, and
 * the attribute {@code aliases} (comma-separated) lists older macro keys still accepted;</li>
 * <li>{@code ImagePlus image}: the current image (not in the dialog); any other {@code ImagePlus} input: a choice of the
 * open images' titles (plus {@code none} when not required), the k-th such input defaulting to the k-th open image;</li>
 * <li>{@code boolean}: a checkbox (in a macro, on only when its key is given); numbers: a numeric field, checked against
 * {@code min}/{@code max} (and whole for integers); {@code String} with {@code choices}: a choice; with
 * {@code style = "file"} or {@code "directory"}: a path with Browse...; otherwise a text field.</li>
 * </ul>
 * Headless (where plain ImageJ 1 cannot show a dialog, DESIGN.md §2) the values come from {@link Macro#getOptions()}
 * alone, a missing key taking the declared default. After a successful run the values the command actually used
 * (read back from its inputs: e.g. centroids taken from points) replace what the Recorder wrote, so a recorded line
 * replays exactly. Outputs: each {@code ImagePlus} output is shown (in declaration order, so the last is the current
 * image for the next macro line), each {@code ResultsTable} output is shown under its {@code label}; numbers and texts
 * are for scripts (the command logs its own result line). Errors are one line ({@link CommandRunner}).
 */
public class Ij1Adapter implements PlugIn {
    /** The value of an optional image choice meaning "no image". */
    public static final String NONE = "none";
    private static final String HELP = "https://github.com/dopaj/dopaj#readme";
    private static final java.awt.Font HINT_FONT = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.ITALIC, 11);

    private enum Kind { CURRENT_IMAGE, IMAGE_CHOICE, NUMBER, CHECK, CHOICE, FILE, FOLDER, STRING }

    /** One dialog field / macro key. */
    record Field(ModuleItem<?> item, String key, Kind kind, Object dflt, String[] choices, List<String> aliases) {
    }

    @Override
    public void run(String arg) {
        CommandInfo info;
        try {
            info = info(arg);
        } catch (RuntimeException e) {
            IJ.error("DopaJ", "no such DopaJ command '" + arg + "': " + e.getMessage());
            return;
        }
        String title = title(info);
        ImagePlus current = null;
        if (needsCurrentImage(info)) {
            current = CommandRunner.currentImage(title);
            if (current == null) {
                return;
            }
        }
        ImagePlus image = current;
        CommandRunner.run(title, () -> {
            Module m = execute(info, image, Macro.getOptions(), !headless());
            if (m != null) {
                show(info, m);
            }
        });
    }

    /** The command's metadata; refuses a class that is not a SciJava command or that needs a SciJava service. */
    static CommandInfo info(String className) {
        Class<?> c;
        try {
            c = Class.forName(className.trim(), true, Ij1Adapter.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("class not found");
        }
        if (!Command.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException("not a SciJava command");
        }
        @SuppressWarnings("unchecked")
        CommandInfo info = new CommandInfo((Class<? extends Command>) c);
        for (ModuleItem<?> in : info.inputs()) {
            if (Service.class.isAssignableFrom(in.getType()) || Context.class.isAssignableFrom(in.getType())) {
                throw new IllegalArgumentException(in.getName() + ": a SciJava service, which plain ImageJ 1 lacks");
            }
        }
        return info;
    }

    /** The command's menu label without a trailing "...": the title of its dialog and of its error lines. */
    static String title(CommandInfo info) {
        String t = info.getLabel() == null || info.getLabel().isBlank() ? info.getName() : info.getLabel();
        return t.endsWith("...") ? t.substring(0, t.length() - 3) : t;
    }

    private static boolean needsCurrentImage(CommandInfo info) {
        for (ModuleItem<?> in : info.inputs()) {
            if (kind(in) == Kind.CURRENT_IMAGE) {
                return true;
            }
        }
        return false;
    }

    /** True when ImageJ cannot show dialogs (headless JVM); parameters then come from the macro options only. */
    public static boolean headless() {
        return java.awt.GraphicsEnvironment.isHeadless();
    }

    /** True when a command may ask the user something (not headless, not a batch-mode macro). */
    public static boolean mayAsk() {
        return !headless() && !ij.macro.Interpreter.isBatchMode();
    }

    /**
     * Reads the inputs (from a dialog when {@code dialog}, where ImageJ fills it from {@code options} in a macro; else
     * from {@code options} alone), runs the command with {@code image} as its current image, and records the values it
     * used. Returns the finished module, or null when the user cancelled the dialog. For tests and the adapter.
     */
    static Module execute(CommandInfo info, ImagePlus image, String options, boolean dialog) throws Exception {
        Module module = info.createModule();
        List<Field> fields = fields(info, module);
        String opts = canonical(options, fields);
        if (opts != null && !opts.equals(options)) {
            Macro.setOptions(opts); // older keys become today's, for GenericDialog too
        }
        Map<String, Object> values = dialog ? readDialog(info, fields, opts) : readMacro(fields, opts);
        if (values == null) {
            return null;
        }
        for (Field f : fields) {
            Object v = f.kind == Kind.CURRENT_IMAGE ? image : values.get(f.key);
            if (f.kind == Kind.IMAGE_CHOICE) {
                v = imageOf(f, (String) v);
            }
            module.setInput(f.key, v);
        }
        IJ.resetEscape();
        try {
            module.run();
        } finally {
            IJ.showProgress(1.0);
            IJ.showStatus("");
        }
        record(fields, module);
        return module;
    }

    /** The dialog fields of {@code info}'s inputs, with the defaults the command's fields start with. */
    static List<Field> fields(CommandInfo info, Module module) {
        List<Field> out = new ArrayList<>();
        int imageChoices = 0;
        for (ModuleItem<?> in : info.inputs()) {
            Kind k = kind(in);
            Object dflt = in.getValue(module);
            String[] choices = null;
            if (k == Kind.IMAGE_CHOICE) {
                List<String> titles = new ArrayList<>();
                if (!in.isRequired()) {
                    titles.add(NONE);
                }
                titles.addAll(Arrays.asList(WindowManager.getImageTitles()));
                choices = titles.toArray(new String[0]);
                int first = in.isRequired() ? 0 : 1;
                dflt = first + imageChoices < choices.length ? choices[first + imageChoices] : choices.length > 0
                        ? choices[0] : NONE;
                imageChoices++;
            } else if (k == Kind.CHOICE) {
                choices = in.getChoices().stream().map(String::valueOf).toArray(String[]::new);
            } else if (dflt == null && (k == Kind.STRING || k == Kind.FILE || k == Kind.FOLDER)) {
                dflt = "";
            }
            String a = in.get("aliases");
            List<String> aliases = a == null || a.isBlank() ? List.of() : List.of(a.trim().split("\\s*,\\s*"));
            out.add(new Field(in, in.getName(), k, dflt, choices, aliases));
        }
        return out;
    }

    private static Kind kind(ModuleItem<?> in) {
        Class<?> t = in.getType();
        if (ImagePlus.class.isAssignableFrom(t)) {
            return "image".equals(in.getName()) ? Kind.CURRENT_IMAGE : Kind.IMAGE_CHOICE;
        }
        if (t == boolean.class || t == Boolean.class) {
            return Kind.CHECK;
        }
        if (t == int.class || t == Integer.class || t == double.class || t == Double.class || t == long.class
                || t == Long.class || t == float.class || t == Float.class) {
            return Kind.NUMBER;
        }
        if (t != String.class) {
            throw new IllegalStateException(in.getName() + ": inputs of type " + t.getSimpleName()
                    + " have no ImageJ 1 field");
        }
        if (in.getChoices() != null && !in.getChoices().isEmpty()) {
            return Kind.CHOICE;
        }
        String style = in.getWidgetStyle();
        if (style != null && style.contains(FileWidget.DIRECTORY_STYLE)) {
            return Kind.FOLDER;
        }
        if (style != null && style.contains(FileWidget.OPEN_STYLE)) {
            return Kind.FILE;
        }
        return Kind.STRING;
    }

    private static boolean integer(Field f) {
        Class<?> t = f.item.getType();
        return t == int.class || t == Integer.class || t == long.class || t == Long.class;
    }

    /** {@code options} with every older key replaced by its field's key (null stays null). */
    static String canonical(String options, List<Field> fields) {
        if (options == null) {
            return null;
        }
        String o = " " + options + " ";
        for (Field f : fields) {
            for (String a : f.aliases) {
                if (Macro.getValue(options, f.key, null) != null || o.contains(" " + f.key + " ")) {
                    continue; // today's key wins
                }
                o = o.replaceFirst("(?<=\\s)" + java.util.regex.Pattern.quote(a) + "(?==|\\s)",
                        java.util.regex.Matcher.quoteReplacement(f.key));
            }
        }
        return o.substring(1, o.length() - 1);
    }

    /** Values from the macro options alone (headless): a missing key takes its default. */
    static Map<String, Object> readMacro(List<Field> fields, String options) {
        String opts = options == null ? "" : options;
        String padded = " " + opts + " ";
        Map<String, Object> v = new LinkedHashMap<>();
        for (Field f : fields) {
            switch (f.kind) {
                case CURRENT_IMAGE -> {
                }
                case CHECK -> v.put(f.key, opts.isEmpty() ? f.dflt : padded.contains(" " + f.key + " "));
                case NUMBER -> {
                    String s = Macro.getValue(opts, f.key, null);
                    if (s == null) {
                        v.put(f.key, f.dflt);
                    } else {
                        double d;
                        try {
                            d = Double.parseDouble(s);
                        } catch (NumberFormatException e) {
                            throw new DopajException("parameter " + f.key + " needs a number, got '" + s + "'");
                        }
                        v.put(f.key, number(f, d));
                    }
                }
                case CHOICE, IMAGE_CHOICE -> {
                    String s = Macro.getValue(opts, f.key, (String) f.dflt);
                    if (f.kind == Kind.CHOICE && !List.of(f.choices).contains(s)) {
                        throw new DopajException("parameter " + f.key + " must be one of "
                                + String.join(", ", f.choices) + "; got '" + s + "'");
                    }
                    v.put(f.key, s);
                }
                default -> v.put(f.key, Macro.getValue(opts, f.key, (String) f.dflt));
            }
        }
        return v;
    }

    /** Values from a GenericDialog (filled by ImageJ from the macro options in a macro); null when cancelled. */
    private static Map<String, Object> readDialog(CommandInfo info, List<Field> fields, String options) {
        GenericDialog gd = new GenericDialog("DopaJ " + title(info));
        if (info.getDescription() != null && !info.getDescription().isBlank()) {
            gd.addMessage(info.getDescription());
        }
        int shown = 0;
        for (Field f : fields) {
            String units = f.item.get("units");
            switch (f.kind) {
                case CURRENT_IMAGE -> {
                    continue;
                }
                case STRING -> gd.addStringField(f.key, (String) f.dflt, 30);
                case FILE -> gd.addFileField(f.key, (String) f.dflt, 30);
                case FOLDER -> gd.addDirectoryField(f.key, (String) f.dflt, 30);
                case NUMBER -> gd.addNumericField(f.key, ((Number) f.dflt).doubleValue(), integer(f) ? 0 : 2, 8,
                        units == null ? "" : units);
                case CHECK -> gd.addCheckbox(f.key, (Boolean) f.dflt);
                case CHOICE, IMAGE_CHOICE -> gd.addChoice(f.key, f.choices, (String) f.dflt);
                default -> throw new IllegalStateException();
            }
            shown++;
            String hint = f.item.getDescription();
            if (hint != null && !hint.isBlank()) {
                gd.addMessage("     " + hint, HINT_FONT, java.awt.Color.darkGray);
            }
        }
        if (shown == 0 && (info.getDescription() == null || info.getDescription().isBlank())) {
            return readMacro(fields, options); // nothing to ask
        }
        gd.addHelp(HELP);
        gd.showDialog();
        if (gd.wasCanceled()) {
            return null;
        }
        Map<String, Object> v = new LinkedHashMap<>();
        for (Field f : fields) {
            switch (f.kind) {
                case CURRENT_IMAGE -> {
                }
                case STRING, FILE, FOLDER -> v.put(f.key, gd.getNextString());
                case NUMBER -> {
                    double d = gd.getNextNumber();
                    if (gd.invalidNumber()) {
                        throw new DopajException("parameter " + f.key + " needs a number");
                    }
                    v.put(f.key, number(f, d));
                }
                case CHECK -> v.put(f.key, gd.getNextBoolean());
                case CHOICE, IMAGE_CHOICE -> v.put(f.key, gd.getNextChoice());
                default -> throw new IllegalStateException();
            }
        }
        return v;
    }

    /** {@code d} as the field's type, checked against its declared range. */
    private static Object number(Field f, double d) {
        Object min = f.item.getMinimumValue();
        Object max = f.item.getMaximumValue();
        double lo = min instanceof Number n ? n.doubleValue() : Double.NEGATIVE_INFINITY;
        double hi = max instanceof Number n ? n.doubleValue() : Double.POSITIVE_INFINITY;
        if (!(d >= lo && d <= hi)) {
            throw new DopajException("parameter " + f.key + (max instanceof Number ? min instanceof Number
                    ? " must be between " + fmt(lo) + " and " + fmt(hi) : " must be at most " + fmt(hi)
                    : " must be at least " + fmt(lo)) + ", got " + fmt(d));
        }
        Class<?> t = f.item.getType();
        if (integer(f) && d != Math.rint(d)) {
            throw new DopajException("parameter " + f.key + " needs a whole number, got " + fmt(d));
        }
        if (t == int.class || t == Integer.class) {
            return (int) d;
        }
        if (t == long.class || t == Long.class) {
            return (long) d;
        }
        if (t == float.class || t == Float.class) {
            return (float) d;
        }
        return d;
    }

    private static ImagePlus imageOf(Field f, String title) {
        if (title == null || title.isBlank() || NONE.equals(title)) {
            if (f.item.isRequired()) {
                throw new DopajException("parameter " + f.key + " needs an open image");
            }
            return null;
        }
        ImagePlus imp = WindowManager.getImage(title);
        if (imp == null) {
            throw new DopajException("no open image titled '" + title + "'");
        }
        return imp;
    }

    /** A number as the Recorder writes it: whole numbers without ".0". */
    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /**
     * The macro options that reproduce a run from the values the command used: every number, every ticked checkbox,
     * every choice, every text that is neither blank nor its default, in declaration order ({@code key=value}).
     */
    static List<String[]> used(List<Field> fields, Module module) {
        List<String[]> out = new ArrayList<>();
        for (Field f : fields) {
            Object v = module.getInput(f.key);
            switch (f.kind) {
                case CURRENT_IMAGE -> {
                }
                case NUMBER -> out.add(new String[] {f.key, fmt(((Number) v).doubleValue())});
                case CHECK -> {
                    if (Boolean.TRUE.equals(v)) {
                        out.add(new String[] {f.key});
                    }
                }
                case IMAGE_CHOICE -> out.add(new String[] {f.key, v instanceof ImagePlus imp ? imp.getTitle() : NONE});
                case CHOICE -> out.add(new String[] {f.key, String.valueOf(v)});
                default -> {
                    if (v != null && !v.toString().isBlank() && !v.equals(f.dflt)) {
                        out.add(new String[] {f.key, v.toString()});
                    }
                }
            }
        }
        return out;
    }

    /** {@link #used} as one options string, brackets around values with spaces (as ImageJ's Recorder writes it). */
    static String options(List<Field> fields, Module module) {
        StringBuilder b = new StringBuilder();
        for (String[] kv : used(fields, module)) {
            b.append(b.length() == 0 ? "" : " ").append(kv[0]);
            if (kv.length > 1) {
                b.append('=').append(kv[1].contains(" ") ? "[" + kv[1] + "]" : kv[1]);
            }
        }
        return b.toString();
    }

    /** When ImageJ's Macro Recorder records this command: the values used replace what the dialog recorded. */
    private static void record(List<Field> fields, Module module) {
        if (!Recorder.record || Recorder.getCommand() == null) {
            return;
        }
        Recorder.resetCommandOptions();
        for (String[] kv : used(fields, module)) {
            if (kv.length == 1) {
                Recorder.recordOption(kv[0]);
            } else {
                Recorder.recordOption(kv[0], kv[1]);
            }
        }
        if (Recorder.getCommandOptions() == null) {
            Recorder.recordOption(" ");
        }
    }

    /** Shows the image outputs (declaration order) and then the tables (under their labels). */
    static void show(CommandInfo info, Module m) {
        List<ResultsTable> tables = new ArrayList<>();
        List<String> titles = new ArrayList<>();
        for (ModuleItem<?> out : info.outputs()) {
            Object v = m.getOutput(out.getName());
            if (v instanceof ImagePlus imp) {
                Viewer.show(imp);
            } else if (v instanceof ResultsTable rt) {
                tables.add(rt);
                titles.add(out.getLabel() == null || out.getLabel().isBlank() ? "DopaJ " + title(info) : out.getLabel());
            }
        }
        for (int i = 0; i < tables.size(); i++) {
            tables.get(i).show(titles.get(i)); // a macro reads it as Table.get(column, row, title)
        }
    }
}
