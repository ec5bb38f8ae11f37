package org.dopaj.commands;

import ij.Macro;
import ij.gui.GenericDialog;
import java.awt.GraphicsEnvironment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.dopaj.DopajException;

/**
 * A command's parameters, read from a {@link GenericDialog} in the GUI (where ImageJ fills it from the macro
 * options and records it) or straight from {@link Macro#getOptions()} when headless, where plain ImageJ 1
 * cannot show a dialog (DESIGN.md §2). Keys are snake_case and double as dialog labels, so a recorded macro
 * line and a CLI line read alike: {@code run("Brain Mask", "use_gpu intervals=49")}.
 */
public final class Params {
    private enum Kind { STRING, NUMBER, CHECK, CHOICE, FILE, FOLDER }

    /** One parameter; {@code hint} (may be null) is shown under the field, {@code units} beside a number. */
    private record Field(String key, Kind kind, Object dflt, String[] items, int digits, String units, String hint) {
    }

    private static final java.awt.Font HINT_FONT = new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.ITALIC, 11);
    private final String title;
    private final List<Field> fields = new ArrayList<>();
    private final Map<String, Object> values = new HashMap<>();
    private String message;

    public Params(String title) {
        this.title = title;
    }

    public Params message(String text) {
        this.message = text;
        return this;
    }

    public Params string(String key, String dflt) {
        return string(key, dflt, null);
    }

    /** A text field with a hint shown under it (format, units, what blank means). */
    public Params string(String key, String dflt, String hint) {
        fields.add(new Field(key, Kind.STRING, dflt, null, 0, null, hint));
        return this;
    }

    /** A file path with a Browse... button; {@code hint} says what the file is and what blank means. */
    public Params file(String key, String dflt, String hint) {
        fields.add(new Field(key, Kind.FILE, dflt, null, 0, null, hint));
        return this;
    }

    /** A folder path with a Browse... button. */
    public Params folder(String key, String dflt, String hint) {
        fields.add(new Field(key, Kind.FOLDER, dflt, null, 0, null, hint));
        return this;
    }

    public Params number(String key, double dflt, int digits) {
        return number(key, dflt, digits, null, null);
    }

    /** A number with its unit shown beside the field (e.g. "mm", "years", "0–1") and an optional hint. */
    public Params number(String key, double dflt, int digits, String units, String hint) {
        fields.add(new Field(key, Kind.NUMBER, dflt, null, digits, units, hint));
        return this;
    }

    public Params check(String key, boolean dflt) {
        return check(key, dflt, null);
    }

    public Params check(String key, boolean dflt, String hint) {
        fields.add(new Field(key, Kind.CHECK, dflt, null, 0, null, hint));
        return this;
    }

    public Params choice(String key, String[] items, String dflt) {
        return choice(key, items, dflt, null);
    }

    public Params choice(String key, String[] items, String dflt, String hint) {
        fields.add(new Field(key, Kind.CHOICE, dflt, items, 0, null, hint));
        return this;
    }

    /** The field's hint (for tests and the docs), or null. */
    String hint(String key) {
        for (Field f : fields) {
            if (f.key.equals(key)) {
                return f.hint != null ? f.hint : f.units;
            }
        }
        return null;
    }

    /** Keys in dialog order. */
    List<String> keys() {
        List<String> k = new ArrayList<>();
        for (Field f : fields) {
            k.add(f.key);
        }
        return k;
    }

    /**
     * Replaces a value after reading, e.g. centroids taken from point selections or a voxel size typed into the
     * prompt, so that the recorded macro line holds what was used.
     */
    public void set(String key, Object value) {
        values.put(key, value);
    }

    /**
     * The macro options that reproduce this run: every number, every text that is neither blank nor its default,
     * every ticked checkbox and every choice, in dialog order, as ImageJ's Recorder writes them ({@code key=value}, brackets around values with
     * spaces). A replay of {@code run(command, options())} takes exactly these values.
     */
    public String options() {
        StringBuilder b = new StringBuilder();
        for (Field f : fields) {
            Object v = values.get(f.key);
            String item = switch (f.kind) {
                case NUMBER -> f.key + "=" + formatNumber((Double) v);
                case CHECK -> Boolean.TRUE.equals(v) ? f.key : null;
                default -> omit(f, v) ? null : f.key + "=" + quote(v.toString());
            };
            if (item != null) {
                b.append(b.length() == 0 ? "" : " ").append(item);
            }
        }
        return b.toString();
    }

    /**
     * When ImageJ's Macro Recorder is recording this command, replaces what the dialogs recorded by
     * {@link #options()}: the recorded line then replays exactly (points become typed centroids, the voxel size its
     * documented key) instead of {@code centroids=[]} or the prompt's {@code x= y= z=}.
     */
    public void record() {
        if (!ij.plugin.frame.Recorder.record || ij.plugin.frame.Recorder.getCommand() == null) {
            return;
        }
        ij.plugin.frame.Recorder.resetCommandOptions();
        for (Field f : fields) {
            Object v = values.get(f.key);
            switch (f.kind) {
                case NUMBER -> ij.plugin.frame.Recorder.recordOption(f.key, formatNumber((Double) v));
                case CHECK -> {
                    if (Boolean.TRUE.equals(v)) {
                        ij.plugin.frame.Recorder.recordOption(f.key);
                    }
                }
                default -> {
                    if (!omit(f, v)) {
                        ij.plugin.frame.Recorder.recordOption(f.key, v.toString());
                    }
                }
            }
        }
        if (ij.plugin.frame.Recorder.getCommandOptions() == null) {
            ij.plugin.frame.Recorder.recordOption(" ");
        }
    }

    /** A blank text, or a text equal to its default (a replay takes the default anyway), is not recorded. */
    private static boolean omit(Field f, Object v) {
        return v == null || v.toString().isBlank() || (f.kind != Kind.CHOICE && v.equals(f.dflt));
    }

    static String formatNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static String quote(String v) {
        return v.contains(" ") ? "[" + v + "]" : v;
    }

    /** True when ImageJ cannot show dialogs (headless JVM); parameters then come from the macro options only. */
    public static boolean headless() {
        return GraphicsEnvironment.isHeadless();
    }

    /**
     * Reads every parameter. Returns false when the user cancelled the dialog. Headless, a missing key takes
     * its default, a checkbox is on when its key appears as a word, and a bad number or choice is refused.
     */
    public boolean read() {
        String options = Macro.getOptions();
        if (headless()) {
            readMacro(options == null ? "" : options);
            return true;
        }
        GenericDialog gd = new GenericDialog(title);
        if (message != null) {
            gd.addMessage(message);
        }
        for (Field f : fields) {
            switch (f.kind) {
                case STRING -> gd.addStringField(f.key, (String) f.dflt, 30);
                case FILE -> gd.addFileField(f.key, (String) f.dflt, 30);
                case FOLDER -> gd.addDirectoryField(f.key, (String) f.dflt, 30);
                case NUMBER -> gd.addNumericField(f.key, (Double) f.dflt, f.digits, 8, f.units == null ? "" : f.units);
                case CHECK -> gd.addCheckbox(f.key, (Boolean) f.dflt);
                case CHOICE -> gd.addChoice(f.key, f.items, (String) f.dflt);
                default -> throw new IllegalStateException();
            }
            if (f.hint != null) {
                gd.addMessage("     " + f.hint, HINT_FONT, java.awt.Color.darkGray);
            }
        }
        gd.addHelp("https://github.com/dopaj/dopaj#readme");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return false;
        }
        for (Field f : fields) {
            switch (f.kind) {
                case STRING, FILE, FOLDER -> values.put(f.key, gd.getNextString());
                case NUMBER -> {
                    double v = gd.getNextNumber();
                    if (gd.invalidNumber()) {
                        throw new DopajException("parameter " + f.key + " needs a number");
                    }
                    values.put(f.key, v);
                }
                case CHECK -> values.put(f.key, gd.getNextBoolean());
                case CHOICE -> values.put(f.key, gd.getNextChoice());
                default -> throw new IllegalStateException();
            }
        }
        return true;
    }

    private void readMacro(String options) {
        String padded = " " + options + " ";
        for (Field f : fields) {
            switch (f.kind) {
                case STRING, FILE, FOLDER -> values.put(f.key, Macro.getValue(options, f.key, (String) f.dflt));
                case NUMBER -> {
                    String s = Macro.getValue(options, f.key, null);
                    if (s == null) {
                        values.put(f.key, f.dflt);
                    } else {
                        try {
                            values.put(f.key, Double.parseDouble(s));
                        } catch (NumberFormatException e) {
                            throw new DopajException("parameter " + f.key + " needs a number, got '" + s + "'");
                        }
                    }
                }
                case CHECK -> values.put(f.key, options.isEmpty() ? f.dflt : padded.contains(" " + f.key + " "));
                case CHOICE -> {
                    String s = Macro.getValue(options, f.key, (String) f.dflt);
                    if (!List.of(f.items).contains(s)) {
                        throw new DopajException("parameter " + f.key + " must be one of " + String.join(", ", f.items)
                                + "; got '" + s + "'");
                    }
                    values.put(f.key, s);
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    public String getString(String key) {
        return (String) values.get(key);
    }

    public double getNumber(String key) {
        return (Double) values.get(key);
    }

    public boolean getCheck(String key) {
        return (Boolean) values.get(key);
    }

    public String getChoice(String key) {
        return (String) values.get(key);
    }
}
