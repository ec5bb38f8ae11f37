package org.dopaj.train;

import java.util.List;

import org.dopaj.DopajException;

/** The registry of training recipes, one per capability with a bundled model. */
public final class TrainRecipes {
    private static final List<TrainRecipe> ALL = List.of(new BrainMaskRecipe(), new WmhRecipe(), new MsaRecipe(),
            new NigrosomeRecipe(), new DatCnnRecipe());

    private TrainRecipes() {
    }

    /** Every recipe, in a fixed order. */
    public static List<TrainRecipe> all() {
        return ALL;
    }

    /** The names, for error lines and docs. */
    public static List<String> names() {
        return ALL.stream().map(TrainRecipe::name).toList();
    }

    /** The recipe called {@code name}; an unknown name is a one-line error listing the known ones. */
    public static TrainRecipe find(String name) {
        for (TrainRecipe r : ALL) {
            if (r.name().equals(name)) {
                return r;
            }
        }
        throw new DopajException("unknown training recipe '" + name + "' (known: " + String.join(", ", names()) + ")");
    }
}
