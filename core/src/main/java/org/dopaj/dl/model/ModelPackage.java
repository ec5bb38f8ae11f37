package org.dopaj.dl.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.dopaj.DopajException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A model package folder ({@code models/<id>/}): {@code rdf.yaml} (BioImage Model Zoo 0.5 fields plus
 * {@code config.dopaj}), a TensorFlow SavedModel (inside the folder, or outside it through
 * {@code config.dopaj.external_source} for third-party weights that may not be copied), a model card and
 * {@code .npy} test tensors. The schema is documented in {@code docs/model-package.md}.
 *
 * <p>{@link #load(Path)} parses, validates and verifies every SHA-256 (each SavedModel file listed in
 * {@code config.dopaj.files}, the tree hash in {@code weights.tensorflow_saved_model_bundle.sha256}, and the test
 * tensors), refusing with the reason. {@link #read(Path)} parses and validates only, and {@link #verify()} lists
 * the problems without throwing (for {@code dopaj models list}).
 */
public final class ModelPackage {
    public static final String RDF = "rdf.yaml";
    public static final String FORMAT_VERSION = "0.5.3";
    public static final Set<String> TASKS = Set.of("classification", "regression", "segmentation");
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern VAR = Pattern.compile("\\$\\{([a-zA-Z0-9_.]+)}");

    private final Path dir;
    private final Map<String, Object> rdf;
    private final String id;
    private final String name;
    private final String description;
    private final List<String> authors;
    private final String license;
    private final String documentation;
    private final List<TensorSpec> inputs;
    private final List<TensorSpec> outputs;
    private final String weightsSource;
    private final String weightsSha256;
    private final String tensorflowVersion;
    private final String task;
    private final String signature;
    private final double[] voxelSizeMm;
    private final List<String> labels;
    private final Map<String, Double> outputScale;
    private final String predictionOutput;
    private final String camOutput;
    private final Map<String, Preprocessing> preprocessing;
    private final Map<String, String> files;
    private final String externalSource;
    private final Path savedModelDir;
    private final Applicability applicability;
    private final String trainingData;
    private final String version;
    private final String capability;
    /** Every other file rdf.yaml names (covers, attachments, sample tensors), relative to the package. */
    private final List<String> otherFiles = new ArrayList<>();
    private String unresolved;

    private ModelPackage(Path dir, Map<String, Object> rdf) {
        this.dir = dir;
        this.rdf = rdf;
        String where = dir.resolve(RDF).toString();
        String fv = str(rdf, "format_version", where, true);
        if (!fv.startsWith("0.5.")) {
            throw bad(where, "format_version must be 0.5.x, got " + fv);
        }
        if (!"model".equals(str(rdf, "type", where, true))) {
            throw bad(where, "type must be 'model'");
        }
        id = str(rdf, "id", where, true);
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw bad(where, "id '" + id + "' may hold only letters, digits, '.', '_' and '-'");
        }
        name = str(rdf, "name", where, true);
        description = str(rdf, "description", where, true);
        license = str(rdf, "license", where, true);
        documentation = str(rdf, "documentation", where, true);
        authors = new ArrayList<>();
        Object au = rdf.get("authors");
        if (!(au instanceof List) || ((List<?>) au).isEmpty()) {
            throw bad(where, "authors must be a non-empty list of {name: ...}");
        }
        for (Object a : (List<?>) au) {
            if (a instanceof Map && ((Map<?, ?>) a).get("name") != null) {
                authors.add(String.valueOf(((Map<?, ?>) a).get("name")));
            } else {
                throw bad(where, "each author needs a name, got " + a);
            }
        }
        inputs = tensors(rdf.get("inputs"), where + " inputs");
        outputs = tensors(rdf.get("outputs"), where + " outputs");
        // every file rdf.yaml names must lie inside the package, checked here (before anything is read or hashed)
        // and again by real path in verify(): a package may not make DopaJ read or hash files it does not hold
        confined(documentation, where + " documentation");
        for (TensorSpec t : concat(inputs, outputs)) {
            if (t.testTensor() != null) {
                confined(t.testTensor(), where + " " + t.id() + ".test_tensor.source");
            }
        }
        collectOtherFiles(where);

        Map<String, Object> weights = map(rdf.get("weights"), where + " weights");
        Map<String, Object> tf = map(weights.get("tensorflow_saved_model_bundle"),
                where + " weights.tensorflow_saved_model_bundle");
        String tfWhere = where + " weights.tensorflow_saved_model_bundle";
        weightsSource = str(tf, "source", tfWhere, true);
        weightsSha256 = sha(str(tf, "sha256", tfWhere, true), tfWhere + ".sha256");
        tensorflowVersion = str(tf, "tensorflow_version", tfWhere, true);

        Map<String, Object> config = map(rdf.get("config"), where + " config");
        Map<String, Object> dj = map(config.get("dopaj"), where + " config.dopaj");
        String cw = where + " config.dopaj";
        task = str(dj, "task", cw, true).toLowerCase(Locale.ROOT);
        if (!TASKS.contains(task)) {
            throw bad(cw, "task must be classification, regression or segmentation, got " + task);
        }
        signature = dj.get("signature") == null ? "serving_default" : str(dj, "signature", cw, true);
        voxelSizeMm = dj.get("voxel_size_mm") == null ? null : voxelSize(dj.get("voxel_size_mm"), cw + ".voxel_size_mm");
        labels = new ArrayList<>();
        if (dj.get("labels") != null) {
            if (!(dj.get("labels") instanceof List)) {
                throw bad(cw, "labels must be a list");
            }
            for (Object l : (List<?>) dj.get("labels")) {
                labels.add(String.valueOf(l));
            }
        }
        if (task.equals("classification") && labels.isEmpty()) {
            throw bad(cw, "a classification model needs labels");
        }
        Map<String, Object> outs = map(dj.get("outputs"), cw + ".outputs");
        predictionOutput = str(outs, "prediction", cw + ".outputs", true);
        camOutput = outs.get("cam") == null ? null : str(outs, "cam", cw + ".outputs", true);
        requireOutput(predictionOutput, cw + ".outputs.prediction");
        if (camOutput != null) {
            requireOutput(camOutput, cw + ".outputs.cam");
        }
        outputScale = new LinkedHashMap<>();
        Object os = dj.get("output_scale");
        if (os instanceof Number) {
            outputScale.put(predictionOutput, ((Number) os).doubleValue());
        } else if (os instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) os).entrySet()) {
                String k = String.valueOf(e.getKey());
                requireOutput(k, cw + ".output_scale");
                outputScale.put(k, Preprocessing.number(e.getValue(), 1, cw + ".output_scale." + k));
            }
        } else if (os != null) {
            throw bad(cw, "output_scale must be a number or a map {output id: number}");
        }
        preprocessing = new LinkedHashMap<>();
        Map<String, Object> pre = dj.get("preprocessing") == null ? Map.of() : map(dj.get("preprocessing"), cw + ".preprocessing");
        for (String k : pre.keySet()) {
            if (input(k) == null) {
                throw bad(cw, "preprocessing names input '" + k + "', which is not among inputs " + ids(inputs));
            }
        }
        for (TensorSpec in : inputs) {
            preprocessing.put(in.id(), Preprocessing.parse(pre.get(in.id()), in, cw + ".preprocessing." + in.id()));
        }
        Map<String, Object> fm = map(dj.get("files"), cw + ".files");
        if (fm.isEmpty()) {
            throw bad(cw, "files must list every SavedModel file with its sha256");
        }
        files = new TreeMap<>();
        for (Map.Entry<String, Object> e : fm.entrySet()) {
            String rel = e.getKey();
            if (rel.startsWith("/") || rel.contains("..") || rel.contains("\\")) {
                throw bad(cw, "files entry '" + rel + "' must be a plain relative path inside the SavedModel folder");
            }
            files.put(rel, sha(String.valueOf(e.getValue()), cw + ".files." + rel));
        }
        if (!files.containsKey("saved_model.pb")) {
            throw bad(cw, "files must include saved_model.pb");
        }
        externalSource = dj.get("external_source") == null ? null : str(dj, "external_source", cw, true);
        Path smd;
        if (externalSource != null) {
            try {
                smd = resolveExternal(externalSource, cw + ".external_source");
            } catch (DopajException e) {
                // Not malformed: the package is fine, its third-party weights are not reachable here.
                smd = null;
                unresolved = e.getMessage();
            }
        } else {
            confined(weightsSource, tfWhere + ".source");
            smd = safeResolve(weightsSource, tfWhere + ".source");
        }
        for (Map.Entry<String, Object> w : weights.entrySet()) {
            if (!w.getKey().equals("tensorflow_saved_model_bundle") && w.getValue() instanceof Map
                    && ((Map<?, ?>) w.getValue()).get("source") != null) {
                String src = String.valueOf(((Map<?, ?>) w.getValue()).get("source"));
                if (!src.contains("://")) {
                    confined(src, where + " weights." + w.getKey() + ".source");
                }
            }
        }
        savedModelDir = smd;
        applicability = Applicability.parse(dj.get("applicability"), cw + ".applicability");
        trainingData = trainingKind(dj.get("training_data"));
        version = rdf.get("version") != null ? String.valueOf(rdf.get("version"))
                : dj.get("version") != null ? String.valueOf(dj.get("version")) : "unversioned";
        capability = dj.get("capability") == null ? null : str(dj, "capability", cw, true);
    }

    /**
     * {@code real_patients}, {@code phantoms} or {@code unknown} from {@code config.dopaj.training_data}; free text
     * (older packages describe their data in words) counts as phantoms when it says "phantom" or "synthetic", as
     * unknown otherwise — never as real patients, which must be said exactly.
     */
    static String trainingKind(Object o) {
        if (o == null || o instanceof Map || o instanceof List) {
            return TRAINING_UNKNOWN;
        }
        String t = String.valueOf(o).trim().toLowerCase(Locale.ROOT);
        if (t.equals(TRAINING_REAL) || t.equals(TRAINING_PHANTOMS)) {
            return t;
        }
        return t.contains("phantom") || t.contains("synthetic") ? TRAINING_PHANTOMS : TRAINING_UNKNOWN;
    }

    /** {@code config.dopaj.training_data}: the model learnt from patients' images. */
    public static final String TRAINING_REAL = "real_patients";
    /** {@code config.dopaj.training_data}: the model learnt from synthetic phantoms only. */
    public static final String TRAINING_PHANTOMS = "phantoms";
    /** {@code config.dopaj.training_data} absent. */
    public static final String TRAINING_UNKNOWN = "unknown";

    // ---------------------------------------------------------------- loading

    /** Parses, validates and verifies every checksum; refuses the package with the first problem. */
    public static ModelPackage load(Path dir) {
        ModelPackage p = read(dir);
        List<String> problems = p.verify();
        if (!problems.isEmpty()) {
            throw new DopajException("model package " + dir + " refused: " + problems.get(0)
                    + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s))" : ""));
        }
        return p;
    }

    /** Parses and validates {@code dir/rdf.yaml} without reading the weights. */
    public static ModelPackage read(Path dir) {
        Path rdfFile = dir.resolve(RDF);
        if (!Files.isRegularFile(rdfFile)) {
            throw new DopajException("model package " + dir + " has no " + RDF);
        }
        Object root;
        try (InputStream in = Files.newInputStream(rdfFile)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        } catch (MarkedYAMLException e) {
            String line = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1);
            throw new DopajException(rdfFile + " is malformed YAML" + line + ": " + e.getProblem(), e);
        } catch (YAMLException e) {
            throw new DopajException(rdfFile + " is malformed YAML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DopajException("cannot read " + rdfFile + ": " + e.getMessage(), e);
        }
        if (!(root instanceof Map)) {
            throw new DopajException(rdfFile + " must hold a YAML mapping at top level");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) root;
        return new ModelPackage(dir.toAbsolutePath().normalize(), m);
    }

    /**
     * Every problem with the files: missing documentation, test tensors or SavedModel files, a file in the
     * SavedModel folder not listed in {@code files}, or a SHA-256 that does not match. Empty when all is well.
     */
    public List<String> verify() {
        List<String> problems = new ArrayList<>();
        if (!inside(dir, dir.resolve(documentation), "documentation " + documentation, problems)) {
            return problems;
        }
        if (!Files.isRegularFile(dir.resolve(documentation))) {
            problems.add("documentation " + documentation + " missing");
        }
        for (TensorSpec t : concat(inputs, outputs)) {
            if (t.testTensor() != null) {
                if (!inside(dir, dir.resolve(t.testTensor()), "test tensor " + t.testTensor(), problems)) {
                    return problems;
                }
                checkFile(dir.resolve(t.testTensor()), t.testTensorSha256(), "test tensor " + t.testTensor(), problems);
            }
        }
        for (String f : otherFiles) {
            if (!inside(dir, dir.resolve(f), "file " + f, problems)) {
                return problems;
            }
            if (!Files.isRegularFile(dir.resolve(f))) {
                problems.add("file " + f + " (named in " + RDF + ") missing");
            }
        }
        if (savedModelDir == null) {
            problems.add(unresolved);
            return problems;
        }
        // the package's own SavedModel folder may not be a link out (then its files would all be "inside" it)
        if (externalSource == null && !inside(dir, savedModelDir, "SavedModel folder " + weightsSource, problems)) {
            return problems;
        }
        if (!Files.isDirectory(savedModelDir)) {
            problems.add("SavedModel folder " + savedModelDir + " not found"
                    + (externalSource != null ? " (external_source " + externalSource + ")" : ""));
            return problems;
        }
        for (Map.Entry<String, String> e : files.entrySet()) {
            if (!inside(savedModelDir, savedModelDir.resolve(e.getKey()), "weight file " + e.getKey(), problems)) {
                return problems;
            }
            checkFile(savedModelDir.resolve(e.getKey()), e.getValue(), "weight file " + e.getKey(), problems);
        }
        try (Stream<Path> s = Files.walk(savedModelDir)) {
            for (Path f : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                String rel = relative(savedModelDir, f);
                if (!hidden(rel) && !files.containsKey(rel)) {
                    problems.add("weight file " + rel + " is in " + savedModelDir + " but not listed in config.dopaj.files");
                }
            }
        } catch (IOException e) {
            problems.add("cannot list " + savedModelDir + ": " + e.getMessage());
        }
        String tree = treeHash(files);
        if (!tree.equals(weightsSha256)) {
            problems.add("weights.tensorflow_saved_model_bundle.sha256 " + weightsSha256
                    + " does not match the tree hash of config.dopaj.files " + tree);
        }
        return problems;
    }

    /**
     * {@code false} (with the problem added) when {@code f} lies outside {@code base} by its path or, through a link,
     * by where it really is: a package may not read files it does not hold.
     */
    static boolean inside(Path base, Path f, String what, List<String> problems) {
        Path n = f.normalize();
        if (!n.startsWith(base.normalize())) {
            problems.add(what + " points outside " + base + " (" + n + ")");
            return false;
        }
        if (!Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return true;
        }
        try {
            Path real = f.toRealPath();
            Path realBase = base.toRealPath();
            if (!real.startsWith(realBase)) {
                problems.add(what + " is a link out of " + base + " (to " + real + ")");
                return false;
            }
        } catch (IOException e) {
            problems.add(what + " unreadable: " + e.getMessage());
            return false;
        }
        return true;
    }

    /** {@code true} when the SavedModel folder exists (false for external weights that are absent here). */
    public boolean weightsPresent() {
        return savedModelDir != null && Files.isRegularFile(savedModelDir.resolve("saved_model.pb"));
    }

    private static void checkFile(Path f, String expected, String what, List<String> problems) {
        if (!Files.isRegularFile(f)) {
            problems.add(what + " missing (" + f + ")");
            return;
        }
        try {
            String got = sha256(f);
            if (!got.equals(expected)) {
                problems.add(what + " checksum mismatch: sha256 " + got + ", rdf.yaml says " + expected);
            }
        } catch (IOException e) {
            problems.add(what + " unreadable: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- hashing

    /** Lower-case hex SHA-256 of a file. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = sha();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * The SavedModel tree hash: SHA-256 of the {@code sha256sum}-style lines {@code "<sha256>  <path>\n"} sorted by
     * path (byte order). Same as {@code (cd saved_model && find . -type f | sed 's|^\./||' | LC_ALL=C sort |
     * xargs sha256sum | sha256sum)}.
     */
    public static String treeHash(Map<String, String> files) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(files).entrySet()) {
            sb.append(e.getValue()).append("  ").append(e.getKey()).append('\n');
        }
        return HexFormat.of().formatHex(sha().digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static MessageDigest sha() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String relative(Path base, Path f) {
        return base.relativize(f).toString().replace('\\', '/');
    }

    static boolean hidden(String rel) {
        for (String part : rel.split("/")) {
            if (part.startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- external weights

    /**
     * Expands {@code ${dopaj.shared}} (system property, else environment {@code DOPAJ_SHARED}, else
     * {@code ../shared} from the working directory when it exists), {@code ${user.home}} and any other system
     * property; a relative result is taken from the package folder.
     */
    Path resolveExternal(String text, String where) {
        Matcher m = VAR.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String key = m.group(1);
            String v = expand(key);
            if (v == null) {
                throw bad(where, "'" + text + "' uses ${" + key + "}, which is not set"
                        + (key.equals("dopaj.shared") ? " (set -Ddopaj.shared=DIR or DOPAJ_SHARED)" : ""));
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(v));
        }
        m.appendTail(sb);
        Path p = Paths.get(sb.toString());
        return (p.isAbsolute() ? p : dir.resolve(p)).normalize();
    }

    static String expand(String key) {
        String v = System.getProperty(key);
        if (v != null) {
            return v;
        }
        if (key.equals("dopaj.shared")) {
            String env = System.getenv("DOPAJ_SHARED");
            if (env != null && !env.isBlank()) {
                return env;
            }
            Path guess = Paths.get("..", "shared").toAbsolutePath().normalize();
            return Files.isDirectory(guess) ? guess.toString() : null;
        }
        return null;
    }

    /**
     * Refuses a file name that could leave the package: empty, absolute (or a Windows drive), with a {@code ..}
     * segment or a backslash, or a URL (DopaJ reads nothing from the network). Links are checked in {@link #verify()}.
     */
    static void confined(String rel, String where) {
        String why = null;
        if (rel == null || rel.isBlank()) {
            why = "is empty";
        } else if (rel.contains("://")) {
            why = "is a URL; DopaJ reads only files inside the package";
        } else if (rel.startsWith("/") || rel.startsWith("~") || rel.matches("^[A-Za-z]:.*") || rel.contains("\\")) {
            why = "is not a relative path inside the package";
        } else {
            for (String seg : rel.split("/")) {
                if (seg.equals("..")) {
                    why = "leaves the package ('..')";
                    break;
                }
            }
        }
        if (why != null) {
            throw bad(where, "'" + rel + "' " + why);
        }
    }

    /** covers, attachments (spec 0.5 list of {source}, or 0.4 {files: [...]}) and sample tensors, each confined. */
    private void collectOtherFiles(String where) {
        Object covers = rdf.get("covers");
        if (covers instanceof List) {
            for (Object c : (List<?>) covers) {
                otherFiles.add(checked(String.valueOf(c), where + " covers"));
            }
        } else if (covers != null) {
            throw bad(where, "covers must be a list of image files");
        }
        Object att = rdf.get("attachments");
        List<?> items = att instanceof List ? (List<?>) att
                : att instanceof Map && ((Map<?, ?>) att).get("files") instanceof List ? (List<?>) ((Map<?, ?>) att).get("files")
                : List.of();
        for (Object a : items) {
            Object src = a instanceof Map ? ((Map<?, ?>) a).get("source") : a;
            otherFiles.add(checked(String.valueOf(src), where + " attachments"));
        }
        for (String io : new String[]{"inputs", "outputs"}) {
            if (rdf.get(io) instanceof List) {
                for (Object t : (List<?>) rdf.get(io)) {
                    if (t instanceof Map && ((Map<?, ?>) t).get("sample_tensor") instanceof Map) {
                        Object src = ((Map<?, ?>) ((Map<?, ?>) t).get("sample_tensor")).get("source");
                        otherFiles.add(checked(String.valueOf(src), where + " " + io + ".sample_tensor.source"));
                    }
                }
            }
        }
    }

    private static String checked(String rel, String where) {
        confined(rel, where);
        return rel;
    }

    private Path safeResolve(String rel, String where) {
        Path p = dir.resolve(rel).normalize();
        if (!p.startsWith(dir)) {
            throw bad(where, "'" + rel + "' points outside the package; use config.dopaj.external_source for that");
        }
        return p;
    }

    // ---------------------------------------------------------------- parsing helpers

    private static DopajException bad(String where, String why) {
        return new DopajException(where + ": " + why);
    }

    private static String str(Map<String, Object> m, String key, String where, boolean required) {
        Object o = m.get(key);
        if (o == null || String.valueOf(o).isBlank()) {
            if (required) {
                throw bad(where, "missing '" + key + "'");
            }
            return null;
        }
        if (o instanceof Map || o instanceof List) {
            throw bad(where, "'" + key + "' must be a single value");
        }
        return String.valueOf(o);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) {
        if (o == null) {
            throw new DopajException(where + " missing");
        }
        if (!(o instanceof Map)) {
            throw new DopajException(where + " must be a mapping");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
            m.put(String.valueOf(e.getKey()), e.getValue());
        }
        return m;
    }

    private static String sha(String s, String where) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (!SHA.matcher(v).matches()) {
            throw new DopajException(where + " must be a 64-hex-digit sha256, got '" + s + "'");
        }
        return v;
    }

    private static double[] voxelSize(Object o, String where) {
        if (!(o instanceof List) || ((List<?>) o).size() != 3) {
            throw new DopajException(where + " must be [x, y, z] in mm");
        }
        double[] v = new double[3];
        for (int i = 0; i < 3; i++) {
            v[i] = Preprocessing.number(((List<?>) o).get(i), Double.NaN, where);
            if (!(v[i] > 0)) {
                throw new DopajException(where + " values must be > 0");
            }
        }
        return v;
    }

    private static List<TensorSpec> tensors(Object o, String where) {
        if (!(o instanceof List) || ((List<?>) o).isEmpty()) {
            throw new DopajException(where + " must be a non-empty list");
        }
        List<TensorSpec> l = new ArrayList<>();
        for (Object t : (List<?>) o) {
            Map<String, Object> m = map(t, where + " entry");
            String tid = str(m, "id", where, true);
            String tw = where + " '" + tid + "'";
            Object ax = m.get("axes");
            if (!(ax instanceof List) || ((List<?>) ax).isEmpty()) {
                throw new DopajException(tw + ": axes must be a non-empty list");
            }
            List<AxisSpec> axes = new ArrayList<>();
            for (Object a : (List<?>) ax) {
                axes.add(axis(map(a, tw + " axis"), tw));
            }
            for (int i = 1; i < axes.size(); i++) {
                if (axes.get(i).isBatch()) {
                    throw new DopajException(tw + ": the batch axis must come first");
                }
            }
            String src = null;
            String sh = null;
            if (m.get("test_tensor") != null) {
                Map<String, Object> tt = map(m.get("test_tensor"), tw + ".test_tensor");
                src = str(tt, "source", tw + ".test_tensor", true);
                sh = sha(str(tt, "sha256", tw + ".test_tensor", true), tw + ".test_tensor.sha256");
            }
            String desc = m.get("description") == null ? null : String.valueOf(m.get("description"));
            l.add(new TensorSpec(tid, desc, axes, src, sh));
        }
        Set<String> seen = new java.util.HashSet<>();
        for (TensorSpec t : l) {
            if (!seen.add(t.id())) {
                throw new DopajException(where + ": id '" + t.id() + "' appears twice");
            }
        }
        return l;
    }

    private static AxisSpec axis(Map<String, Object> m, String where) {
        String type = AxisSpec.normType(str(m, "type", where + " axis", true));
        switch (type) {
            case "batch":
                return new AxisSpec("batch", "batch", m.get("size") == null ? null : intOf(m.get("size"), where), null, null, null);
            case "channel": {
                Object cn = m.get("channel_names");
                if (!(cn instanceof List) || ((List<?>) cn).isEmpty()) {
                    throw new DopajException(where + ": a channel axis needs channel_names");
                }
                List<String> names = new ArrayList<>();
                for (Object c : (List<?>) cn) {
                    names.add(String.valueOf(c));
                }
                return new AxisSpec("channel", "channel", names.size(), null, null, names);
            }
            case "space":
            case "index":
            case "time": {
                String aid = str(m, "id", where + " " + type + " axis", true);
                Object size = m.get("size");
                if (size instanceof Map) {
                    Map<?, ?> sm = (Map<?, ?>) size;
                    return new AxisSpec(type, aid, null, intOf(sm.get("min"), where), sm.get("step") == null ? 1 : intOf(sm.get("step"), where), null);
                }
                return new AxisSpec(type, aid, size == null ? null : intOf(size, where), null, null, null);
            }
            default:
                throw new DopajException(where + ": axis type '" + type + "' unknown (batch, space, channel, index, time)");
        }
    }

    private static int intOf(Object o, String where) {
        if (o instanceof Integer && (Integer) o > 0) {
            return (Integer) o;
        }
        throw new DopajException(where + ": axis size must be a positive integer, got '" + o + "'");
    }

    private void requireOutput(String outId, String where) {
        if (output(outId) == null) {
            throw new DopajException(where + " names '" + outId + "', which is not among outputs " + ids(outputs));
        }
    }

    private static List<String> ids(List<TensorSpec> l) {
        List<String> s = new ArrayList<>();
        for (TensorSpec t : l) {
            s.add(t.id());
        }
        return s;
    }

    private static List<TensorSpec> concat(List<TensorSpec> a, List<TensorSpec> b) {
        List<TensorSpec> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    // ---------------------------------------------------------------- accessors

    public Path dir() {
        return dir;
    }

    /** The whole parsed rdf.yaml (read-only view). */
    public Map<String, Object> rdf() {
        return Collections.unmodifiableMap(rdf);
    }

    public String id() {
        return id;
    }

    public String name() {
        return name;
    }

    public String description() {
        return description;
    }

    public List<String> authors() {
        return List.copyOf(authors);
    }

    public String license() {
        return license;
    }

    public String documentation() {
        return documentation;
    }

    public List<TensorSpec> inputs() {
        return List.copyOf(inputs);
    }

    public List<TensorSpec> outputs() {
        return List.copyOf(outputs);
    }

    public TensorSpec input(String inputId) {
        return inputs.stream().filter(t -> t.id().equals(inputId)).findFirst().orElse(null);
    }

    public TensorSpec output(String outputId) {
        return outputs.stream().filter(t -> t.id().equals(outputId)).findFirst().orElse(null);
    }

    public String weightsSource() {
        return weightsSource;
    }

    public String weightsSha256() {
        return weightsSha256;
    }

    public String tensorflowVersion() {
        return tensorflowVersion;
    }

    public String task() {
        return task;
    }

    public String signature() {
        return signature;
    }

    /** Voxel size the model expects, mm [x,y,z], or {@code null} when the package does not say. */
    public double[] voxelSizeMm() {
        return voxelSizeMm == null ? null : voxelSizeMm.clone();
    }

    public List<String> labels() {
        return List.copyOf(labels);
    }

    /** Factor applied to an output after the model ran (1 when none). */
    public double outputScale(String outputId) {
        return outputScale.getOrDefault(outputId, 1.0);
    }

    public String predictionOutput() {
        return predictionOutput;
    }

    /** The Grad-CAM output id, or {@code null}. */
    public String camOutput() {
        return camOutput;
    }

    public Preprocessing preprocessing(String inputId) {
        return preprocessing.getOrDefault(inputId, Preprocessing.none(inputId));
    }

    /** SavedModel file → sha256, paths relative to {@link #savedModelDir()}. */
    public Map<String, String> files() {
        return Collections.unmodifiableMap(files);
    }

    /** The {@code external_source} text as written, or {@code null}. */
    public String externalSource() {
        return externalSource;
    }

    /** The SavedModel folder (inside the package, or the resolved external source); {@code null} when unresolvable. */
    public Path savedModelDir() {
        return savedModelDir;
    }

    /** What the model knows ({@code config.dopaj.applicability}); {@link Applicability#NONE} when not declared. */
    public Applicability applicability() {
        return applicability;
    }

    /** {@code real_patients}, {@code phantoms} or {@code unknown} ({@code config.dopaj.training_data}). */
    public String trainingData() {
        return trainingData;
    }

    /** Human words for {@link #trainingData()}: "trained on real patients" / "trained on phantoms" / "training data unknown". */
    public String trainingDataText() {
        return switch (trainingData) {
            case TRAINING_REAL -> "trained on real patients";
            case TRAINING_PHANTOMS -> "trained on phantoms";
            default -> "training data unknown";
        };
    }

    /** The rdf {@code version} (or {@code config.dopaj.version}); "unversioned" when neither is given. */
    public String version() {
        return version;
    }

    /** {@code config.dopaj.capability} (e.g. {@code nigrosome-sbr}), or {@code null}. */
    public String capability() {
        return capability;
    }

    /** {"id", "version", "training_data", "license"}: what every result names about its model. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("version", version);
        m.put("training_data", trainingData);
        m.put("license", license);
        m.put("applicability_checks", applicability.checks());
        return m;
    }

    @Override
    public String toString() {
        return "ModelPackage[" + id + ", " + task + ", " + dir + "]";
    }
}
