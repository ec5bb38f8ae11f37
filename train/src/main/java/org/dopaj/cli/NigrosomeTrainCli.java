package org.dopaj.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.dopaj.train.NigrosomeRecipe;
import org.dopaj.train.RecipeArguments;

/**
 * {@code dopaj nigrosome-train}: the training recipe {@code nigrosome} ({@link NigrosomeRecipe}) with command-line
 * options — the same run as {@code dopaj train models/nigrosome-vgg3d-left/train.yaml}: phantom crops (cached),
 * training with a fixed seed (resumable), export with Grad-CAM, both packages, the held-out evaluation written into
 * the model card. Options are the recipe's arguments in kebab-case. See docs/validation/nigrosome.md.
 */
public final class NigrosomeTrainCli implements CliCommand {
    private final NigrosomeRecipe recipe = new NigrosomeRecipe();

    @Override
    public String name() {
        return "nigrosome-train";
    }

    @Override
    public String usage() {
        return "nigrosome-train [--work DIR] [--models DIR] [--prefix ID] [--phantoms N] [--epochs N] [--batch N]"
                + " [--seed N] [--lr X] [--threads N] [--eval-phantoms N] [--generator physics|box] [--calibration-phantoms N]"
                + " [--resume] [--no-bundle] [--force|--overwrite]";
    }

    @Override
    public int run(List<String> argv, PrintStream out, PrintStream err) {
        Args a = Args.parse(argv, Set.of("work", "models", "prefix", "phantoms", "epochs", "batch", "seed", "lr",
                "threads", "eval-phantoms", "generator", "calibration-phantoms"), Set.of("resume", "no-bundle", "overwrite", "force"));
        CliSupport.maxPositionals(a, 0, usage());
        Map<String, Object> given = new LinkedHashMap<>();
        given.put("work", a.option("work", "runs/nigrosome-vgg3d"));
        given.put("models", a.option("models", "models"));
        for (String text : List.of("prefix", "generator", "lr")) {
            if (a.option(text) != null) {
                given.put(text, a.option(text));
            }
        }
        for (String whole : List.of("phantoms", "epochs", "batch", "seed", "threads", "eval-phantoms",
                "calibration-phantoms")) {
            if (a.option(whole) != null) {
                given.put(whole.replace('-', '_'), CliSupport.longOption(a, whole, 0));
            }
        }
        given.put("resume", a.flag("resume"));
        given.put("bundle", !a.flag("no-bundle"));
        given.put("overwrite", a.flag("overwrite") || a.flag("force")); // --force, as everywhere else, or --overwrite
        RecipeArguments args = RecipeArguments.of("nigrosome-train", recipe.arguments(), given, null);
        Map<String, Object> res = recipe.run(args, err::println);
        CliSupport.printJson(out, res);
        return 0;
    }
}
