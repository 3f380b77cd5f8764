package io.pglogs.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Terraform directory read through hcl2json (HashiCorp's hcl/v2 parser): all its .tf files merged into one JSON
 * tree, expressions kept as "${...}" strings and blocks as arrays, as hcl2json writes them.
 */
final class Hcl {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The repository's terraform/ directory (the Maven module's base directory). */
    static final Path ROOT = Path.of("").toAbsolutePath();

    private Hcl() {
    }

    static String tool(String property) {
        String path = System.getProperty(property, "");
        if (path.isBlank() || !Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(property + " is not set to an installed binary ('" + path
                    + "'): run scripts/test, which installs it through scripts/setup-tools");
        }
        return path;
    }

    static ObjectNode load(String dir) throws IOException, InterruptedException {
        ObjectNode merged = MAPPER.createObjectNode();
        try (Stream<Path> files = Files.list(ROOT.resolve(dir))) {
            for (Path tf : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
                Process p = new ProcessBuilder(tool("pglogs.hcl2json"), tf.toString()).start();
                JsonNode json = MAPPER.readTree(p.getInputStream());
                String err = new String(p.getErrorStream().readAllBytes());
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("hcl2json failed on " + tf + ": " + err);
                }
                deepMerge(merged, (ObjectNode) json);
            }
        }
        return merged;
    }

    private static void deepMerge(ObjectNode into, ObjectNode from) {
        from.fields().forEachRemaining(e -> {
            JsonNode existing = into.get(e.getKey());
            if (existing instanceof ObjectNode o && e.getValue() instanceof ObjectNode f) {
                deepMerge(o, f);
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }

    /** The single body of a block such as resource.TYPE.NAME (hcl2json wraps each in an array). */
    static JsonNode block(JsonNode tree, String... path) {
        JsonNode n = tree;
        for (String p : path) {
            n = n.path(p);
            if (n.isArray()) {
                if (n.size() != 1) {
                    throw new AssertionError(String.join(".", path) + " has " + n.size() + " blocks");
                }
                n = n.get(0);
            }
        }
        if (n.isMissingNode()) {
            throw new AssertionError("no " + String.join(".", path));
        }
        return n;
    }

    static List<String> strings(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
