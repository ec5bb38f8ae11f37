package org.dopaj.train;

import java.util.List;

/**
 * One declared argument of a {@link TrainRecipe}: its YAML key (snake_case), type, default ({@code null} = required
 * for {@link Type#PATH}/{@link Type#TEXT} when {@code required}), allowed values for a {@link Type#CHOICE}, and a
 * one-line help text shown by {@code dopaj train --check}.
 */
public record RecipeArgument(String name, Type type, Object dflt, List<String> choices, boolean required, String help) {
    /** The value types a recipe argument can have. */
    public enum Type {
        /** A whole number (read as {@code long}). */
        INTEGER,
        /** A finite number. */
        NUMBER,
        /** true / false. */
        FLAG,
        /** A single word or sentence. */
        TEXT,
        /** One of {@link RecipeArgument#choices()}. */
        CHOICE,
        /** A path; relative paths are resolved against the config file's folder. */
        PATH,
        /** A list of words (a YAML list). */
        TEXTS,
        /** A list of paths (a YAML list), each resolved like {@link #PATH}. */
        PATHS
    }

    public RecipeArgument {
        choices = choices == null ? List.of() : List.copyOf(choices);
    }

    public static RecipeArgument integer(String name, long dflt, String help) {
        return new RecipeArgument(name, Type.INTEGER, dflt, null, false, help);
    }

    public static RecipeArgument number(String name, double dflt, String help) {
        return new RecipeArgument(name, Type.NUMBER, dflt, null, false, help);
    }

    public static RecipeArgument flag(String name, boolean dflt, String help) {
        return new RecipeArgument(name, Type.FLAG, dflt, null, false, help);
    }

    public static RecipeArgument text(String name, String dflt, String help) {
        return new RecipeArgument(name, Type.TEXT, dflt, null, false, help);
    }

    public static RecipeArgument choice(String name, String dflt, List<String> choices, String help) {
        return new RecipeArgument(name, Type.CHOICE, dflt, choices, false, help);
    }

    /** A path argument with a default (relative to the config file's folder). */
    public static RecipeArgument path(String name, String dflt, String help) {
        return new RecipeArgument(name, Type.PATH, dflt, null, false, help);
    }

    /** A path the config must give. */
    public static RecipeArgument requiredPath(String name, String help) {
        return new RecipeArgument(name, Type.PATH, null, null, true, help);
    }

    public static RecipeArgument texts(String name, List<String> dflt, String help) {
        return new RecipeArgument(name, Type.TEXTS, dflt, null, false, help);
    }

    /** An optional list of paths (none by default). */
    public static RecipeArgument paths(String name, String help) {
        return new RecipeArgument(name, Type.PATHS, null, null, false, help);
    }
}
