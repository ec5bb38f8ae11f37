/**
 * Training recipes: the committed, typed training of each bundled model, run by {@code dopaj train
 * models/<id>/train.yaml} ({@code recipe: NAME} plus {@code arguments:}; docs/train-config.md). A recipe
 * ({@link org.dopaj.train.TrainRecipe}) declares its arguments ({@link org.dopaj.train.RecipeArgument}: name, type,
 * default, help), {@link org.dopaj.train.RecipeConfig} reads and checks a config against them (one-line errors for
 * unknown keys and wrong types) and {@link org.dopaj.train.TrainRecipes} is the registry. Each recipe calls its
 * capability's own training, packaging and calibration code with typed settings; nothing here parses argv. Knows no
 * ImageJ UI; it is training code (the future {@code dopaj-train} module).
 */
package org.dopaj.train;
