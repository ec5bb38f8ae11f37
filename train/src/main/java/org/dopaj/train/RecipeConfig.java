package org.dopaj.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
public record RecipeConfig(Path source, TrainRecipe recipe, String model, String description, RecipeArguments arguments,
        String text) {
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
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DopajException("cannot read training config " + file + ": " + e.getMessage());
        }
        return new RecipeConfig(file, recipe, model, p.text("description", null), a, text);
    }

    /** The same config with other arguments (command-line overrides such as {@code --resume}). */
    public RecipeConfig with(RecipeArguments a) {
        return new RecipeConfig(source, recipe, model, description, a, text);
    }

    /** What would run: the recipe's plan. */
    public List<String> plan() {
        return recipe.plan(arguments);
    }

    /**
     * The {@code train.yaml} of this config's folder and of its sibling folders ({@code models/*&#47;train.yaml} for a
     * bundled model's config), read before a run: writing a model package replaces its folder (the new package is
     * written beside it and moved over it), and {@link #restore} puts them back.
     */
    public Map<Path, String> snapshotSiblings() {
        Map<Path, String> kept = new LinkedHashMap<>();
        kept.put(source, text);
        Path models = source.getParent().getParent();
        if (models != null) {
            try (var dirs = Files.list(models)) {
                for (Path d : dirs.filter(Files::isDirectory).toList()) {
                    Path f = d.resolve(source.getFileName());
                    if (Files.isRegularFile(f) && !kept.containsKey(f)) {
                        kept.put(f, Files.readString(f, StandardCharsets.UTF_8));
                    }
                }
            } catch (IOException e) {
                throw new DopajException("cannot read the configs beside " + source + ": " + e.getMessage());
            }
        }
        return kept;
    }

    /**
     * After a run that wrote {@code packages}: every snapshot config whose folder is one of them and is now missing is
     * written back, so {@code models/<id>/train.yaml} stays with the model it makes.
     */
    public static void restore(Map<Path, String> kept, List<String> packages) {
        if (packages == null) {
            return;
        }
        for (String dir : packages) {
            Path d = Path.of(dir).toAbsolutePath().normalize();
            for (Map.Entry<Path, String> e : kept.entrySet()) {
                if (e.getKey().getParent().equals(d) && !Files.exists(e.getKey())) {
                    try {
                        Files.writeString(e.getKey(), e.getValue(), StandardCharsets.UTF_8);
                    } catch (IOException ex) {
                        throw new DopajException("cannot put the training config back into " + e.getKey() + ": "
                                + ex.getMessage());
                    }
                }
            }
        }
    }
}
