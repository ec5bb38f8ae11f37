package org.dopaj.dl.model;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.dopaj.DopajException;

/**
 * Finds the install's bundled {@code models/} folder and the packages in it. Search order: {@code -Ddopaj.models=DIR};
 * environment {@code DOPAJ_MODELS}; {@code models/} beside the DopaJ jar or one or two folders above it
 * ({@code target/dopaj.jar} → project root, {@code Fiji.app/plugins/DopaJ_.jar} → {@code Fiji.app/models});
 * {@code models/} in the working directory.
 */
public final class ModelRegistry {
    private ModelRegistry() {
    }

    /** The bundled models folder, or {@code null} when none is found. */
    public static Path modelsDir() {
        String p = System.getProperty("dopaj.models");
        if (p != null && !p.isBlank()) {
            Path d = Paths.get(p);
            if (!Files.isDirectory(d)) {
                throw new DopajException("-Ddopaj.models=" + p + " is not a folder");
            }
            return d.toAbsolutePath().normalize();
        }
        String env = System.getenv("DOPAJ_MODELS");
        if (env != null && !env.isBlank() && Files.isDirectory(Paths.get(env))) {
            return Paths.get(env).toAbsolutePath().normalize();
        }
        Path code = codeLocation();
        if (code != null) {
            Path d = code;
            for (int up = 0; up < 3 && d != null; up++, d = d.getParent()) {
                Path m = d.resolve("models");
                if (Files.isDirectory(m) && hasPackage(m)) {
                    return m.toAbsolutePath().normalize();
                }
            }
        }
        Path wd = Paths.get("models");
        return Files.isDirectory(wd) ? wd.toAbsolutePath().normalize() : null;
    }

    private static Path codeLocation() {
        try {
            CodeSource cs = ModelRegistry.class.getProtectionDomain().getCodeSource();
            if (cs == null) {
                return null;
            }
            Path p = Paths.get(cs.getLocation().toURI());
            return Files.isDirectory(p) ? p : p.getParent();
        } catch (URISyntaxException | SecurityException | java.nio.file.FileSystemNotFoundException e) {
            return null;
        }
    }

    private static boolean hasPackage(Path dir) {
        return !packageDirs(dir).isEmpty();
    }

    /** System property naming the user's model folder (where {@code dopaj models install} puts models). */
    public static final String USER_PROPERTY = "dopaj.user.models";

    /**
     * The user's model folder — where {@code models install} copies models: {@code -Ddopaj.user.models=DIR}; environment
     * {@code DOPAJ_USER_MODELS}; in Fiji (the jar in a {@code plugins} folder or below it) {@code <Fiji.app>/dopaj-models},
     * next to the plugin; otherwise {@code ~/.dopaj/models}. It need not exist yet.
     */
    public static Path userModelsDir() {
        String p = System.getProperty(USER_PROPERTY);
        if (p != null && !p.isBlank()) {
            return Paths.get(p).toAbsolutePath().normalize();
        }
        String env = System.getenv("DOPAJ_USER_MODELS");
        if (env != null && !env.isBlank()) {
            return Paths.get(env).toAbsolutePath().normalize();
        }
        Path code = codeLocation();
        for (Path d = code; d != null; d = d.getParent()) {
            if (d.getFileName() != null && d.getFileName().toString().equals("plugins") && d.getParent() != null) {
                return d.getParent().resolve("dopaj-models").toAbsolutePath().normalize();
            }
        }
        return Paths.get(System.getProperty("user.home"), ".dopaj", "models").toAbsolutePath().normalize();
    }

    /** Sub-folders of {@code modelsDir} that hold an rdf.yaml, sorted by name. */
    public static List<Path> packageDirs(Path modelsDir) {
        List<Path> l = new ArrayList<>();
        if (modelsDir == null || !Files.isDirectory(modelsDir)) {
            return l;
        }
        try (Stream<Path> s = Files.list(modelsDir)) {
            s.filter(d -> Files.isRegularFile(d.resolve(ModelPackage.RDF)))
                    .filter(d -> !d.getFileName().toString().startsWith("."))
                    .sorted().forEach(l::add);
        } catch (IOException e) {
            throw new DopajException("cannot list " + modelsDir + ": " + e.getMessage(), e);
        }
        return l;
    }

    /** A package folder given as a path, or as the id of an installed (user folder first) or bundled package. */
    public static Path find(String idOrDir) {
        Path asPath = Paths.get(idOrDir);
        if (Files.isRegularFile(asPath.resolve(ModelPackage.RDF))) {
            return asPath.toAbsolutePath().normalize();
        }
        for (Path d : packageDirs(userModelsDir())) {
            if (d.getFileName().toString().equals(idOrDir)) {
                return d;
            }
        }
        Path models = modelsDir();
        if (models != null) {
            for (Path d : packageDirs(models)) {
                if (d.getFileName().toString().equals(idOrDir)) {
                    return d;
                }
            }
            for (Path d : packageDirs(models)) {
                try {
                    if (ModelPackage.read(d).id().equals(idOrDir)) {
                        return d;
                    }
                } catch (DopajException ignored) {
                    // a broken neighbour must not hide the one asked for
                }
            }
        }
        throw new DopajException("no model package '" + idOrDir + "' (not a folder with rdf.yaml, and not an id under "
                + (models == null ? "any models/ folder" : models) + ")");
    }
}
