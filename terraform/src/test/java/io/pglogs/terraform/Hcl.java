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

    /**
     * A process running one of the tools with an environment of its own: a TF_CLI_ARGS=-input=false or
     * TF_CLI_CONFIG_FILE where the tests run would otherwise change what tofu does. A test adds what it means to pass.
     */
    static ProcessBuilder process(String... command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().put("PATH", "/usr/bin:/bin");
        pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        return pb;
    }

    static ObjectNode load(String dir) throws IOException, InterruptedException {
        ObjectNode merged = MAPPER.createObjectNode();
        try (Stream<Path> files = Files.list(ROOT.resolve(dir))) {
            for (Path tf : files.filter(p -> p.toString().endsWith(".tf")).sorted().toList()) {
                Process p = process(tool("pglogs.hcl2json"), tf.toString()).start();
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
