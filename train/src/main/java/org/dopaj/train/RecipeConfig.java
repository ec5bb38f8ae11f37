package org.dopaj.train;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.dopaj.DopajException;
import org.dopaj.dl.train.Params;

/**
 * A training config in the recipe form ({@code recipe: NAME}, optional {@code model: ID} and {@code description},
 * {@code arguments: {...}}), checked against the recipe's declared arguments. {@code model} names the package the
 * recipe makes ({@code models/<id>/train.yaml} must name its own folder). Relative paths in the arguments are resolved
 * against the config file's folder, as in the generic form.
 */
public record RecipeConfig(Path source, TrainRecipe recipe, String model, String description,
        RecipeArguments arguments) {
    private static final Set<String> KEYS = Set.of("recipe", "model", "description", "arguments");

    /** Whether a parsed YAML config is in the recipe form. */
    public static boolean isRecipe(Map<String, Object> doc) {
        return doc.containsKey("recipe");
    }

    /** Checks a parsed config; {@code source} is the config file. */
    @SuppressWarnings("unchecked")
    public static RecipeConfig parse(Map<String, Object> doc, Path source) {
        Path file = source.toAbsolutePath().normalize();
        String where = "training config " + file.getFileName();
        Params p = new Params(where, doc).requireOnly(KEYS);
        String name = p.text("recipe", null);
        if (name == null || name.isBlank()) {
            throw new DopajException(where + ": recipe needs a name (" + String.join(", ", TrainRecipes.names()) + ")");
        }
        TrainRecipe recipe = TrainRecipes.find(name);
        String model = p.text("model", null);
        if (model != null && !model.matches("[A-Za-z0-9_.-]+")) {
            throw new DopajException(where + ": model must be a package id (letters, digits, '.', '_', '-'), got " + model);
        }
        Object args = doc.get("arguments");
        if (args != null && !(args instanceof Map)) {
            throw new DopajException(where + ": arguments must be a map of name: value, got " + args);
        }
        RecipeArguments a = RecipeArguments.of(where + " (recipe " + name + ")", recipe.arguments(),
                (Map<String, ?>) args, file.getParent());
        return new RecipeConfig(file, recipe, model, p.text("description", null), a);
    }

    /** The same config with other arguments (command-line overrides such as {@code --resume}). */
    public RecipeConfig with(RecipeArguments a) {
        return new RecipeConfig(source, recipe, model, description, a);
    }

    /** What would run: the recipe's plan. */
    public List<String> plan() {
        return recipe.plan(arguments);
    }
}
