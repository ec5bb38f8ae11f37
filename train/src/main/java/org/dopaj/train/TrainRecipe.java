package org.dopaj.train;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A named, committed way to train (and package, calibrate, preview) one capability's model, run by {@code dopaj
 * train CONFIG} when the config says {@code recipe: NAME}. A recipe declares its typed arguments once; the config's
 * {@code arguments:} are checked against them before anything runs, and {@link #plan} says what {@link #run} would do
 * ({@code dopaj train --check}).
 */
public interface TrainRecipe {
    /** The name a config gives under {@code recipe:}. */
    String name();

    /** One line: what the recipe trains. */
    String summary();

    /** The arguments, in the order {@code --check} lists them. */
    List<RecipeArgument> arguments();

    /**
     * Checks the arguments together (ranges, needed files) and returns the steps {@link #run} would take, one line
     * each; trains nothing and writes nothing. Bad arguments: a {@link org.dopaj.DopajException} with one line.
     */
    List<String> plan(RecipeArguments a);

    /**
     * Checks what a run needs beyond {@link #plan} (input folders present), before anything is printed or written;
     * {@code --check} does not call it, so a config can be checked where the training data are absent.
     */
    default void preflight(RecipeArguments a) {
        Recipes.requireFolder(a.path("shared"), "shared data folder");
    }

    /**
     * Runs the steps {@link #plan} listed. Progress goes to {@code log}; the returned map is the JSON summary, with
     * {@code packages} (a list of folders) when model packages were written.
     */
    Map<String, Object> run(RecipeArguments a, Consumer<String> log) throws Exception;
}
