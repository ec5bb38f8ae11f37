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
    private enum Kind { STRING, NUMBER, CHECK, CHOICE }

    private record Field(String key, Kind kind, Object dflt, String[] items, int digits) {
    }

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
        fields.add(new Field(key, Kind.STRING, dflt, null, 0));
        return this;
    }

    public Params number(String key, double dflt, int digits) {
        fields.add(new Field(key, Kind.NUMBER, dflt, null, digits));
        return this;
    }

    public Params check(String key, boolean dflt) {
        fields.add(new Field(key, Kind.CHECK, dflt, null, 0));
        return this;
    }

    public Params choice(String key, String[] items, String dflt) {
        fields.add(new Field(key, Kind.CHOICE, dflt, items, 0));
        return this;
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
                case NUMBER -> gd.addNumericField(f.key, (Double) f.dflt, f.digits);
                case CHECK -> gd.addCheckbox(f.key, (Boolean) f.dflt);
                case CHOICE -> gd.addChoice(f.key, f.items, (String) f.dflt);
                default -> throw new IllegalStateException();
            }
        }
        gd.addHelp("https://github.com/dopaj/dopaj#readme");
        gd.showDialog();
        if (gd.wasCanceled()) {
            return false;
        }
        for (Field f : fields) {
            switch (f.kind) {
                case STRING -> values.put(f.key, gd.getNextString());
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
                case STRING -> values.put(f.key, Macro.getValue(options, f.key, (String) f.dflt));
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
